package dev.coflow;

import kotlinx.coroutines.flow.StateFlow;

/** A read-only {@link AsyncStateFlow} over a kotlinx {@code StateFlow}. */
final class StateFlowView<T> extends HotFlowView<T, StateFlow<T>> implements AsyncStateFlow<T> {

    /** {@code foreign}: the flow may hold null (it came from Kotlin code), so check each value. */
    StateFlowView(StateFlow<T> flow, boolean foreign) {
        super(flow, foreign);
    }

    @Override
    public T value() {
        return HotFlows.value(flow);
    }

    @Override
    public String toString() {
        return "AsyncStateFlow[value=" + flow.getValue() + "]";
    }
}
