package dev.coflow;

/**
 * What a generator body emits into: {@link #emit} hands one element downstream and returns only
 * when everything downstream has finished with it (or, after {@code buffer}, when there is room).
 * kotlinx counterpart: the {@code FlowCollector} receiver of {@code flow { }}.
 *
 * {@snippet :
 * AsyncFlow<String> lines = AsyncFlow.generate(emitter -> {
 *     try (BufferedReader r = Files.newBufferedReader(path)) {
 *         String line;
 *         while ((line = r.readLine()) != null) {
 *             emitter.emit(line);       // suspends until the collector is ready
 *         }
 *     }
 * });
 * }
 *
 * <p>An emitter belongs to one run of one generator body: use it only from that body's own
 * thread and only while the body runs. To produce from several threads or callbacks, use a
 * channel-based flow instead.
 *
 * @param <T> the element type
 */
public interface Emitter<T> {
    /**
     * Emits one element and waits until the downstream has taken it.
     *
     * @param value the element, not null
     * @throws NullPointerException if {@code value} is null
     * @throws java.util.concurrent.CancellationException if the collector went away (the body should
     *     let it propagate; its {@code finally} blocks run)
     * @throws IllegalStateException if called after the body returned or from another thread
     */
    void emit(T value);

    /**
     * Emits every element of another flow, in order, from this body: the flow is collected here
     * and each element passes through this emitter's downstream. kotlinx counterpart:
     * {@code emitAll(flow)}.
     *
     * {@snippet :
     * AsyncFlow<String> all = AsyncFlow.generate(out -> {
     *     out.emit("header");
     *     out.emitAll(rows);        // not rows.forEach(out::emit): that runs on another thread
     * });
     * }
     *
     * @param flow the flow to forward, not null; its elements must be non-null
     */
    void emitAll(kotlinx.coroutines.flow.Flow<? extends T> flow);

    /**
     * Emits every element of {@code values}, in order.
     *
     * @param values the elements, none null
     */
    default void emitAll(Iterable<? extends T> values) {
        java.util.Objects.requireNonNull(values, "values");
        for (T v : values) {
            emit(v);
        }
    }
}
