package dev.coflow.test;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import kotlinx.coroutines.flow.Flow;

/**
 * Collects a flow while a test body asserts, one event at a time, what it emitted: Turbine for
 * Java. Works with any kotlinx {@code Flow}, hence with every {@code AsyncFlow}.
 *
 * <p>{@link #test(Flow, FlowTestBody)} starts collecting the flow in a child coroutine and runs the
 * body; each {@code await...} method waits for the next event, up to the tester's timeout, and
 * fails with an {@link AssertionError} that names what was expected, what arrived, and every
 * event seen before it. When the body returns, the collection is cancelled; events that arrived
 * but were not consumed fail the test (end with {@link #cancelAndIgnoreRemainingEvents()} to allow
 * them).
 *
 * <p><b>Clock.</b> Inside {@link VirtualTime#run} the flow runs on the virtual clock and the
 * timeout is virtual time: a generator that sleeps an hour between items needs a longer timeout,
 * and a wait that cannot succeed fails at once in wall-clock terms. Outside, the timeout is
 * wall-clock time. Default: {@link #DEFAULT_TIMEOUT}.
 *
 * {@snippet :
 * FlowTester.test(AsyncFlow.of(1, 2), t -> {
 *     assertEquals(1, t.awaitItem());
 *     assertEquals(2, t.awaitItem());
 *     t.awaitComplete();
 * });
 * }
 *
 * <p>Turbine counterpart: {@code flow.test { awaitItem(); awaitComplete() }}.
 *
 * @param <T> the flow's element type
 */
public interface FlowTester<T> {

    /** The await timeout used when none is given: 3 seconds. */
    Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);

    /**
     * Collects {@code flow} while {@code body} asserts its events, with the default timeout.
     * Blocks (or, inside a coroutine body, suspends) until the body is done and the collection
     * cancelled; rethrows the body's failure unchanged.
     *
     * @param flow the flow under test
     * @param body the assertions
     * @param <T> the element type
     */
    static <T> void test(Flow<T> flow, FlowTestBody<T> body) {
        test(flow, DEFAULT_TIMEOUT, body);
    }

    /**
     * Like {@link #test(Flow, FlowTestBody)} with a timeout for each {@code await...} call.
     *
     * @param flow the flow under test
     * @param timeout how long each await may wait, positive
     * @param body the assertions
     * @param <T> the element type
     */
    static <T> void test(Flow<T> flow, Duration timeout, FlowTestBody<T> body) {
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(body, "body");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException(
                    "timeout must be positive (for example Duration.ofSeconds(3)), was " + timeout);
        }
        ChannelFlowTester.run(flow, timeout, body);
    }

    /**
     * Waits for the next event and returns it if it is an item. Turbine: {@code awaitItem()}.
     *
     * @return the item
     * @throws AssertionError if the flow completed or failed instead (the failure is the cause),
     *     or nothing arrived within the timeout
     */
    T awaitItem();

    /**
     * Waits for {@code count} items and drops them. Turbine: {@code skipItems(count)}.
     *
     * @param count how many items, not negative
     * @throws AssertionError if a completion or error arrives first, or the timeout passes
     */
    void skipItems(int count);

    /**
     * Waits for the next event and checks that the flow completed. Turbine: {@code awaitComplete()}.
     *
     * @throws AssertionError if an item or an error arrived instead, or nothing within the timeout
     */
    void awaitComplete();

    /**
     * Waits for the next event and returns the flow's failure. Turbine: {@code awaitError()}.
     *
     * @return the exception the flow failed with
     * @throws AssertionError if an item or completion arrived instead, or nothing within the timeout
     */
    Throwable awaitError();

    /**
     * Checks that no event has arrived that the test has not consumed yet (after letting work due
     * now run). Does not wait. Turbine: {@code expectNoEvents()}.
     *
     * @throws AssertionError listing the unexpected event
     */
    void expectNoEvents();

    /**
     * Consumes every item that has already arrived and returns the last one. Does not wait.
     * Turbine: {@code expectMostRecentItem()}.
     *
     * @return the most recent item
     * @throws AssertionError if no item has arrived, or a completion or error is among them
     */
    T expectMostRecentItem();

    /**
     * Cancels the collection and ignores what arrived but was not consumed. Turbine:
     * {@code cancelAndIgnoreRemainingEvents()}.
     */
    void cancelAndIgnoreRemainingEvents();

    /**
     * Cancels the collection and returns what arrived but was not consumed, in order. Turbine:
     * {@code cancelAndConsumeRemainingEvents()}.
     *
     * @return the remaining events
     */
    List<FlowEvent<T>> cancelAndConsumeRemainingEvents();
}
