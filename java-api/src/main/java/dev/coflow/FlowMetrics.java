package dev.coflow;

import java.time.Duration;

/**
 * What {@link AsyncFlow#metrics(String, FlowMetrics)} reports about one stage of a pipeline: each
 * collection's start and end (with its duration on the coroutine clock and how it ended), every
 * element, and the gauges of the {@code mapAsync*} and {@code buffer} operators upstream of the
 * stage (tasks in flight, elements waiting in the buffer). Every method has an empty default, so
 * an implementation overrides what it records; calls may come from several threads at once and
 * must return quickly. A Micrometer binding is a few lines: a {@code Counter} per element, a
 * {@code Timer} recording {@code took}, {@code AtomicInteger}-backed gauges for the two gauges.
 * kotlinx counterpart: none; Reactor {@code metrics()} / {@code tap()}.
 *
 * {@snippet :
 * FlowMetrics m = new FlowMetrics() {
 *     @Override public void element(String stage) { elements.increment(); }
 *     @Override public void inFlight(String stage, int tasks) { inFlightGauge.set(tasks); }
 * };
 * orders.mapAsync(8, this::enrich).buffer(64).metrics("orders", m).forEach(this::store);
 * }
 */
public interface FlowMetrics {
    /**
     * A collection of the stage started.
     *
     * @param stage the stage's name
     */
    default void collectionStarted(String stage) {}

    /**
     * An element passed the stage.
     *
     * @param stage the stage's name
     */
    default void element(String stage) {}

    /**
     * A collection of the stage ended.
     *
     * @param stage the stage's name
     * @param took how long it ran, on the coroutine clock (virtual under test)
     * @param failure {@code null} if it completed, a {@link java.util.concurrent.CancellationException}
     *     if it was cancelled (also by {@code take} downstream), else the failure
     */
    default void collectionEnded(String stage, Duration took, Throwable failure) {}

    /**
     * The number of transformations of a {@code mapAsync*} operator upstream of the stage that are
     * running now changed.
     *
     * @param stage the stage's name
     * @param tasks how many are running
     */
    default void inFlight(String stage, int tasks) {}

    /**
     * The number of elements waiting in a suspending {@code buffer} upstream of the stage changed
     * (buffers that drop elements are not reported).
     *
     * @param stage the stage's name
     * @param waiting elements produced and not yet taken by the consumer: the buffer's content plus
     *     at most one element in transit on each side of it
     * @param capacity the buffer's capacity ({@code Integer.MAX_VALUE} for an unlimited one)
     */
    default void bufferFill(String stage, int waiting, int capacity) {}
}
