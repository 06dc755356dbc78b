package dev.coflow;

import kotlinx.coroutines.flow.FlowKt;
import kotlinx.coroutines.flow.MutableSharedFlow;

/** {@link MutableAsyncSharedFlow} over a kotlinx {@code MutableSharedFlow}. */
final class MutableSharedFlowImpl<T> extends HotFlowView<T, MutableSharedFlow<T>> implements MutableAsyncSharedFlow<T> {

    MutableSharedFlowImpl(MutableSharedFlow<T> flow) {
        super(flow, false);
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
    public String toString() {
        return "MutableAsyncSharedFlow[replayCache=" + flow.getReplayCache() + "]";
    }
}
