package dev.coflow.test;

import dev.coflow.bridge.SuspendBody;
import dev.coflow.bridge.SuspendRunnable;
import dev.coflow.bridge.Task;
import dev.coflow.bridge.TaskScope;
import java.time.Duration;
import kotlin.coroutines.CoroutineContext;
import kotlinx.coroutines.CoroutineScope;
import kotlinx.coroutines.Job;
import kotlinx.coroutines.test.TestCoroutineScheduler;

/**
 * What a {@link VirtualTime} test body sees: the virtual clock, children that the test waits for,
 * and a background scope that is cancelled when the body ends.
 *
 * <p>The clock methods ({@link #advanceTimeBy(long)}, {@link #advanceUntilIdle()},
 * {@link #runCurrent()}) behave exactly like kotlinx {@code TestScope}'s: the calling body is
 * paused while the scheduler runs the other coroutines of the test. Call them from the test body
 * or its children, not from other threads.
 *
 * {@snippet :
 * VirtualTime.run(scope -> {
 *     AtomicInteger ticks = new AtomicInteger();
 *     scope.launchBackground(() -> {
 *         while (true) { Suspend.delay(1_000); ticks.incrementAndGet(); }
 *     });
 *     scope.advanceTimeBy(3_500);
 *     assertEquals(3, ticks.get());
 * });                                   // the endless ticker is cancelled here
 * }
 *
 * <p>kotlinx counterpart: {@code TestScope}.
 */
public interface VirtualTimeScope {

    /**
     * The virtual time, in milliseconds since the test started. kotlinx counterpart:
     * {@code currentTime}.
     *
     * @return the current virtual time
     */
    long currentTime();

    /**
     * Runs every task due strictly before {@code now + millis}, then sets the clock to
     * {@code now + millis}; tasks due exactly then wait for {@link #runCurrent()} or the next
     * wait. kotlinx counterpart: {@code advanceTimeBy(delayTimeMillis)}.
     *
     * @param millis how far to move the clock, not negative
     * @throws IllegalArgumentException if {@code millis} is negative
     */
    void advanceTimeBy(long millis);

    /**
     * Like {@link #advanceTimeBy(long)}, with a {@link Duration} rounded down to milliseconds.
     *
     * @param duration how far to move the clock, not null or negative
     */
    void advanceTimeBy(Duration duration);

    /**
     * Runs tasks, moving the clock forward as needed, until none but background work is left.
     * kotlinx counterpart: {@code advanceUntilIdle()}.
     */
    void advanceUntilIdle();

    /**
     * Runs every task due at the current virtual time, without moving the clock. kotlinx
     * counterpart: {@code runCurrent()}.
     */
    void runCurrent();

    /**
     * Starts a child coroutine that the test waits for; its failure fails the test. kotlinx
     * counterpart: {@code launch { }} in {@code runTest}.
     *
     * @param body the child
     * @return its handle
     */
    Task<Void> launch(SuspendRunnable body);

    /**
     * Starts a child coroutine with a result; see {@link #launch(SuspendRunnable)}. kotlinx
     * counterpart: {@code async { }}.
     *
     * @param body the child
     * @param <T> the result type
     * @return its handle
     */
    <T> Task<T> async(SuspendBody<T> body);

    /**
     * Starts {@code body} in the {@link #backgroundScope()}: it runs as the clock advances, is
     * cancelled when the test body ends, and fails the test if it throws.
     *
     * @param body the background work, typically endless
     * @return its job
     */
    Job launchBackground(SuspendRunnable body);

    /**
     * A kotlinx scope for hot producers ({@code launchIn}, {@code stateIn}, {@code shareIn}): its
     * work does not keep {@link #advanceUntilIdle()} busy and it is cancelled when the body ends;
     * an uncaught failure in it fails the test. kotlinx counterpart: {@code TestScope.backgroundScope}.
     *
     * @return the background scope
     */
    CoroutineScope backgroundScope();

    /**
     * The test body's own scope, for Java children and Kotlin APIs that need a scope.
     *
     * @return the body's task scope
     */
    TaskScope taskScope();

    /**
     * The context the test body runs in (test dispatcher, scheduler, job).
     *
     * @return the context
     */
    CoroutineContext context();

    /**
     * The scheduler behind the virtual clock, to build more test dispatchers on the same clock
     * ({@code StandardTestDispatcher(scope.scheduler(), name)}).
     *
     * @return the scheduler
     */
    TestCoroutineScheduler scheduler();
}
