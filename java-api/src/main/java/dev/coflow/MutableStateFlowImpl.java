package dev.coflow;

import java.util.List;
import java.util.function.UnaryOperator;
import kotlin.jvm.functions.Function1;
import kotlinx.coroutines.flow.FlowKt;
import kotlinx.coroutines.flow.MutableStateFlow;
import kotlinx.coroutines.flow.StateFlowKt;

/** {@link MutableAsyncStateFlow} over a kotlinx {@code MutableStateFlow}. */
final class MutableStateFlowImpl<T> implements MutableAsyncStateFlow<T> {
    private final MutableStateFlow<T> flow;

    MutableStateFlowImpl(MutableStateFlow<T> flow) {
        this.flow = flow;
    }

    @Override
    public T value() {
        return flow.getValue();
    }

    @Override
    public void set(T value) {
        flow.setValue(HotFlows.checkValue("set", value));
    }

    @Override
    public boolean compareAndSet(T expect, T update) {
        return flow.compareAndSet(HotFlows.checkValue("compareAndSet(expect)", expect),
                HotFlows.checkValue("compareAndSet(update)", update));
    }

    @Override
    public void update(UnaryOperator<T> fn) {
        StateFlowKt.update(flow, checked(fn));
    }

    @Override
    public T updateAndGet(UnaryOperator<T> fn) {
        return StateFlowKt.updateAndGet(flow, checked(fn));
    }

    /** A state flow never suspends an emitter: emit is set. */
    @Override
    public void emit(T value) {
        set(value);
    }

    @Override
    public boolean tryEmit(T value) {
        set(value);
        return true;
    }

    @Override
    public AsyncStateFlow<Integer> subscriptionCount() {
        return new StateFlowView<>(flow.getSubscriptionCount(), false);
    }

    @Override
    public void resetReplayCache() {
        throw new UnsupportedOperationException("resetReplayCache: a state flow always has a value; set a new one instead");
    }

    @Override
    public AsyncStateFlow<T> asReadOnly() {
        return new StateFlowView<>(FlowKt.asStateFlow(flow), false);
    }

    @Override
    public AsyncFlow<T> asFlow() {
        return HotFlows.subscription(flow, false);
    }

    @Override
    public List<T> replayCache() {
        return List.of(flow.getValue());
    }

    @Override
    public MutableStateFlow<T> kotlinFlow() {
        return flow;
    }

    @Override
    public String toString() {
        return "MutableAsyncStateFlow[value=" + flow.getValue() + "]";
    }

    private static <T> Function1<T, T> checked(UnaryOperator<T> fn) {
        java.util.Objects.requireNonNull(fn, "fn");
        return v -> HotFlows.checkValue("update", fn.apply(v));
    }
}
