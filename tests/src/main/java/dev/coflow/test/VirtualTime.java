package dev.coflow.test;

import java.time.Duration;
import java.util.Objects;

/**
 * Runs a Java test body on a virtual clock: every wait inside it ({@code Suspend.delay}, delays in
 * generator bodies, {@code timeout}, {@code debounce}, retry back-off, blocking terminals called
 * from the body) takes no wall-clock time, yet the clock reads as if it did.
 *
 * <p>The body runs as a coroutine on a kotlinx {@code StandardTestDispatcher}; the calling thread
 * drives the scheduler until the body and every child it started have finished. Then the
 * {@linkplain VirtualTimeScope#backgroundScope() background scope} is cancelled and drained. A
 * failure of the body or of a child is rethrown unchanged (the original exception, checked or not);
 * an uncaught failure in background work fails the test too. A body that has not finished after
 * the wall-clock limit (default {@link #DEFAULT_TIMEOUT}) is cancelled and the call throws an
 * {@link AssertionError} saying so.
 *
 * <p>Work that does not run on the test dispatcher (a real {@code Dispatchers.IO}, a future
 * completed by another thread) proceeds in real time; the body simply waits for it, and the
 * virtual clock does not move while it waits. Background work alone does not move the clock
 * either, as in kotlinx: a body that only waits for it needs a timeout or an explicit
 * {@link VirtualTimeScope#advanceTimeBy(long)}.
 *
 * {@snippet :
 * VirtualTime.run(scope -> {
 *     List<Integer> items = slowNumbers().toList();      // a generator that sleeps 1 h per item
 *     assertEquals(List.of(1, 2, 3), items);
 *     assertEquals(3 * 3_600_000, scope.currentTime());  // in a few milliseconds of real time
 * });
 * }
 *
 * <p>kotlinx counterpart: {@code runTest { }} (whose Java-callable form is deprecated).
 */
public final class VirtualTime {
    /** The wall-clock limit used when none is given: 10 seconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private VirtualTime() {}

    /**
     * Runs {@code body} on a virtual clock and returns when it and its children have finished.
     *
     * @param body the test body
     * @throws AssertionError if the body does not finish within {@link #DEFAULT_TIMEOUT} of wall time
     */
    public static void run(VirtualTimeBody body) {
        run(DEFAULT_TIMEOUT, body);
    }

    /**
     * Runs {@code body} on a virtual clock, failing if it takes longer than {@code timeout} of
     * wall-clock time.
     *
     * @param timeout the wall-clock limit, positive
     * @param body the test body
     */
    public static void run(Duration timeout, VirtualTimeBody body) {
        Objects.requireNonNull(body, "body");
        VirtualTimeRunner.run(checkTimeout(timeout), scope -> {
            body.run(scope);
            return null;
        });
    }

    /**
     * Runs {@code body} on a virtual clock and returns its result.
     *
     * @param body the test body
     * @param <T> the result type
     * @return what the body returns
     */
    public static <T> T call(VirtualTimeCallable<T> body) {
        return call(DEFAULT_TIMEOUT, body);
    }

    /**
     * Runs {@code body} on a virtual clock with a wall-clock limit and returns its result.
     *
     * @param timeout the wall-clock limit, positive
     * @param body the test body
     * @param <T> the result type
     * @return what the body returns
     */
    public static <T> T call(Duration timeout, VirtualTimeCallable<T> body) {
        Objects.requireNonNull(body, "body");
        return VirtualTimeRunner.run(checkTimeout(timeout), body);
    }

    private static Duration checkTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException(
                    "timeout must be positive (a wall-clock limit such as Duration.ofSeconds(10)), was " + timeout);
        }
        return timeout;
    }
}
