package dev.coflow.bridge;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** After many cancelled or failed bodies nothing is left running: no body, no extra platform thread. */
class LeakTest {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Cancels {@code n} bodies, all suspended at once, by cancelling their scope. */
    private static void cancelBodies(int n, AtomicInteger finallies) {
        assertThrows(
                CancellationException.class,
                () -> Coroutines.run(scope -> {
                    CompletableFuture<Void> allStarted = new CompletableFuture<>();
                    AtomicInteger started = new AtomicInteger();
                    for (int i = 0; i < n; i++) {
                        scope.launch(() -> {
                            try {
                                if (started.incrementAndGet() == n) {
                                    allStarted.complete(null);
                                }
                                Suspend.delay(Long.MAX_VALUE);
                            } finally {
                                finallies.incrementAndGet();
                            }
                        });
                    }
                    Suspend.await(allStarted); // every child is running before the scope is cancelled
                    scope.cancel();
                    Suspend.ensureActive();
                    return null;
                }));
    }

    /**
     * Platform threads exit asynchronously after their work is done, so the count is polled with a
     * deadline; the result is then asserted, nothing is assumed.
     */
    private static int platformThreadsAfterSettling(int baseline) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        int count = THREADS.getThreadCount();
        while (count > baseline && System.nanoTime() < deadline) {
            LockSupport.parkNanos(10_000_000L);
            count = THREADS.getThreadCount();
        }
        return count;
    }

    private static int warmUpAndMeasureBaseline() {
        cancelBodies(500, new AtomicInteger()); // starts Default workers, carriers, timers
        Coroutines.gather(() -> 1, () -> 2);
        return THREADS.getThreadCount();
    }

    @Test
    void tenThousandCancelledBodiesLeaveNothingBehind() {
        int baseline = warmUpAndMeasureBaseline();
        AtomicInteger finallies = new AtomicInteger();
        cancelBodies(10_000, finallies);
        assertEquals(10_000, finallies.get(), "every body's finally ran before run() returned");
        assertEquals(0, Coroutines.activeBodies());
        int after = platformThreadsAfterSettling(baseline);
        assertTrue(after <= baseline, "platform threads: baseline " + baseline + ", after " + after);
    }

    @Test
    void thousandsOfSequentialRunsCancelledOrFailedLeaveNothingBehind() {
        int baseline = warmUpAndMeasureBaseline();
        AtomicInteger finallies = new AtomicInteger();
        AtomicInteger started = new AtomicInteger();
        int n = 3_000;
        for (int i = 0; i < n; i++) {
            int mode = i % 3;
            RuntimeException e = assertThrows(
                    RuntimeException.class,
                    () -> Coroutines.run(scope -> {
                        scope.launch(() -> {
                            // On Dispatchers.Default the scope may be cancelled before this child was
                            // dispatched; kotlinx then never starts its body. Every body that started
                            // must have run its finally by the time run() returns.
                            started.incrementAndGet();
                            try {
                                Suspend.delay(Long.MAX_VALUE);
                            } finally {
                                finallies.incrementAndGet();
                            }
                        });
                        Suspend.yieldNow();
                        switch (mode) {
                            case 0 -> scope.cancel(); // cancelled scope
                            case 1 -> throw new IllegalStateException("body failed"); // failing body
                            default ->
                                scope.launch(
                                        () -> { // failing sibling
                                            throw new IllegalArgumentException("child failed");
                                        });
                        }
                        Suspend.delay(Long.MAX_VALUE);
                        return null;
                    }));
            Class<?> expected = switch (mode) {
                case 0 -> CancellationException.class;
                case 1 -> IllegalStateException.class;
                default -> IllegalArgumentException.class;
            };
            assertInstanceOf(expected, e);
        }
        assertEquals(started.get(), finallies.get());
        assertTrue(started.get() > n / 2, "most children started: " + started.get());
        assertEquals(0, Coroutines.activeBodies());
        int after = platformThreadsAfterSettling(baseline);
        assertTrue(after <= baseline, "platform threads: baseline " + baseline + ", after " + after);
    }

    @Test
    void reverseDirectionCallsCancelledByKotlinLeaveNothingBehind() {
        int baseline = warmUpAndMeasureBaseline();
        VirtualClock clock = new VirtualClock();
        for (int i = 0; i < 1_000; i++) {
            var f = clock.start(scope -> {
                Suspend.delay(1_000);
                return null;
            });
            clock.advanceTimeBy(10);
            f.cancel(true);
        }
        clock.advanceUntilIdle();
        assertEquals(0, Coroutines.activeBodies());
        int after = platformThreadsAfterSettling(baseline);
        assertTrue(after <= baseline, "platform threads: baseline " + baseline + ", after " + after);
    }
}
