package dev.coflow;

import java.util.List;
import kotlinx.coroutines.flow.StateFlow;

/** A read-only {@link AsyncStateFlow} over a kotlinx {@code StateFlow}. */
final class StateFlowView<T> implements AsyncStateFlow<T> {
    private final StateFlow<T> flow;
    private final boolean foreign;

    /** {@code foreign}: the flow may hold null (it came from Kotlin code), so check each value. */
    StateFlowView(StateFlow<T> flow, boolean foreign) {
        this.flow = flow;
        this.foreign = foreign;
    }

    @Override
    public T value() {
        return HotFlows.value(flow);
    }

    @Override
    public AsyncFlow<T> asFlow() {
        return HotFlows.subscription(flow, foreign);
    }

    @Override
    public List<T> replayCache() {
        return HotFlows.snapshot(flow);
    }

    @Override
    public StateFlow<T> kotlinFlow() {
        return flow;
    }

    @Override
    public String toString() {
        return "AsyncStateFlow[value=" + flow.getValue() + "]";
    }
}
