package dev.coflow;

import java.util.List;
import kotlinx.coroutines.flow.SharedFlow;

/** A read-only {@link AsyncSharedFlow} over a kotlinx {@code SharedFlow}. */
final class SharedFlowView<T> implements AsyncSharedFlow<T> {
    private final SharedFlow<T> flow;
    private final boolean foreign;

    /** {@code foreign}: the flow may hold nulls (it came from Kotlin code), so check each element. */
    SharedFlowView(SharedFlow<T> flow, boolean foreign) {
        this.flow = flow;
        this.foreign = foreign;
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
    public SharedFlow<T> kotlinFlow() {
        return flow;
    }

    @Override
    public String toString() {
        return "AsyncSharedFlow[replayCache=" + flow.getReplayCache() + "]";
    }
}
