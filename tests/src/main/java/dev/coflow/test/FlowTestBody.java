package dev.coflow.test;

/**
 * The assertions of one {@link FlowTester#test} call: receives the tester and awaits events.
 *
 * {@snippet :
 * FlowTestBody<Integer> body = t -> {
 *     assertEquals(1, t.awaitItem());
 *     t.awaitComplete();
 * };
 * }
 *
 * <p>Turbine counterpart: the {@code suspend ReceiveTurbine<T>.() -> Unit} block of {@code test}.
 *
 * @param <T> the flow's element type
 */
@FunctionalInterface
public interface FlowTestBody<T> {
    /**
     * Runs the assertions.
     *
     * @param tester the tester observing the flow
     * @throws Exception any failure; it fails the test unchanged
     */
    void run(FlowTester<T> tester) throws Exception;
}
