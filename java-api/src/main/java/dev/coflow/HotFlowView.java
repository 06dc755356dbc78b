package dev.coflow;

import java.util.List;
import kotlinx.coroutines.flow.SharedFlow;

/**
 * The part of coflow's hot-flow wrappers that does not depend on the kind of flow: subscribing,
 * the replay snapshot and the wrapped kotlinx flow. Each subclass implements its public interface;
 * this class is no type of its own.
 *
 * @param <T> the element type
 * @param <F> the wrapped kotlinx flow type, returned by {@link #kotlinFlow()}
 */
abstract class HotFlowView<T, F extends SharedFlow<T>> {
    final F flow;
    private final boolean foreign;

    /** {@code foreign}: the flow may hold nulls (it came from Kotlin code), so check each element. */
    HotFlowView(F flow, boolean foreign) {
        this.flow = flow;
        this.foreign = foreign;
    }

    public AsyncFlow<T> asFlow() {
        return HotFlows.subscription(flow, foreign);
    }

    public List<T> replayCache() {
        return HotFlows.snapshot(flow);
    }

    public F kotlinFlow() {
        return flow;
    }
}
