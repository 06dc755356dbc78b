package dev.coflow;

import kotlinx.coroutines.flow.SharedFlow;

/** A read-only {@link AsyncSharedFlow} over a kotlinx {@code SharedFlow}. */
final class SharedFlowView<T> extends HotFlowView<T, SharedFlow<T>> implements AsyncSharedFlow<T> {

    /** {@code foreign}: the flow may hold nulls (it came from Kotlin code), so check each element. */
    SharedFlowView(SharedFlow<T> flow, boolean foreign) {
        super(flow, foreign);
    }

    @Override
    public String toString() {
        return "AsyncSharedFlow[replayCache=" + flow.getReplayCache() + "]";
    }
}
