package dev.coflow;

import java.util.List;
import kotlinx.coroutines.flow.FlowKt;
import kotlinx.coroutines.flow.MutableSharedFlow;

/** {@link MutableAsyncSharedFlow} over a kotlinx {@code MutableSharedFlow}. */
final class MutableSharedFlowImpl<T> implements MutableAsyncSharedFlow<T> {
    private final MutableSharedFlow<T> flow;

    MutableSharedFlowImpl(MutableSharedFlow<T> flow) {
        this.flow = flow;
    }

    @Override
    public void emit(T value) {
        HotFlows.emit(flow, value);
    }

    @Override
    public boolean tryEmit(T value) {
        return flow.tryEmit(HotFlows.checkValue("tryEmit", value));
    }

    @Override
    public AsyncStateFlow<Integer> subscriptionCount() {
        return new StateFlowView<>(flow.getSubscriptionCount(), false);
    }

    @Override
    public void resetReplayCache() {
        flow.resetReplayCache();
    }

    @Override
    public AsyncSharedFlow<T> asReadOnly() {
        return new SharedFlowView<>(FlowKt.asSharedFlow(flow), false);
    }

    @Override
    public AsyncFlow<T> asFlow() {
        return HotFlows.subscription(flow, false);
    }

    @Override
    public List<T> replayCache() {
        return HotFlows.snapshot(flow);
    }

    @Override
    public MutableSharedFlow<T> kotlinFlow() {
        return flow;
    }

    @Override
    public String toString() {
        return "MutableAsyncSharedFlow[replayCache=" + flow.getReplayCache() + "]";
    }
}
