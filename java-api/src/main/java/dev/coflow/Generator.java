package dev.coflow;

/**
 * The body of {@link AsyncFlow#generate}: ordinary sequential Java that emits elements. It may
 * block, throw checked exceptions and call {@link dev.coflow.bridge.Suspend} methods.
 *
 * {@snippet :
 * Generator<Integer> countdown = emitter -> {
 *     for (int i = 3; i > 0; i--) {
 *         emitter.emit(i);
 *         Suspend.delay(1_000);
 *     }
 * };
 * }
 *
 * <p>kotlinx counterpart: the {@code suspend FlowCollector<T>.() -> Unit} block of {@code flow { }}.
 *
 * @param <T> the element type
 */
@FunctionalInterface
public interface Generator<T> {
    /**
     * Runs the body once for one collection.
     *
     * @param emitter where to emit elements
     * @throws Exception any failure; it ends the flow with that exception
     */
    void generate(Emitter<T> emitter) throws Exception;
}
