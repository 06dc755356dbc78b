package dev.coflow;

import static dev.coflow.OperatorTestBase.collectSlowly;
import static dev.coflow.OperatorTestBase.inVirtualTime;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coflow.OperatorTestBase.Timed;
import dev.coflow.bridge.Coroutines;
import dev.coflow.bridge.Suspend;
import dev.coflow.bridge.TaskScope;
import dev.coflow.test.CoflowExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** mapAsync and its variants: bounded concurrency measured by a counter, order, failure, cancellation. */
class MapAsyncTest {
    /** After each test, no coroutine body it started may still be running (the harness's leak check). */
    @RegisterExtension
    static final CoflowExtension COFLOW = CoflowExtension.withLeakGrace(Duration.ZERO);

    // ---- the shared battery, for each variant ----------------------------------------------------

    @Nested
    class Ordered extends OperatorTestBase {
        protected AsyncFlow<?> apply(AsyncFlow<Integer> up) {
            return up.mapAsync(2, i -> i * 10);
        }

        protected AsyncFlow<?> applyFailing(AsyncFlow<Integer> up, Exception e) {
            return up.mapAsync(2, i -> i == 3 ? fail(e) : i);
        }

        protected List<?> expected() {
            return List.of(10, 20, 30, 40, 50);
        }

        protected List<String> expectedOrder() {
            return null;
        }
    }

    @Nested
    class OrderedStage extends OperatorTestBase {
        protected AsyncFlow<?> apply(AsyncFlow<Integer> up) {
            return up.mapAsyncStage(2, i -> CompletableFuture.completedFuture(i * 10));
        }

        protected AsyncFlow<?> applyFailing(AsyncFlow<Integer> up, Exception e) {
            return up.mapAsyncStage(2, i -> i == 3 ? fail(e) : CompletableFuture.completedFuture(i));
        }

        protected List<?> expected() {
            return List.of(10, 20, 30, 40, 50);
        }

        protected List<String> expectedOrder() {
            return null;
        }
    }

    @Nested
    class Unordered extends OperatorTestBase {
        protected AsyncFlow<?> apply(AsyncFlow<Integer> up) {
            return up.mapAsyncUnordered(2, i -> i * 10);
        }

        protected AsyncFlow<?> applyFailing(AsyncFlow<Integer> up, Exception e) {
            return up.mapAsyncUnordered(2, i -> i == 3 ? fail(e) : i);
        }

        protected List<?> expected() {
            return List.of(10, 20, 30, 40, 50);
        }

        protected List<String> expectedOrder() {
            return null;
        }

        @Override
        protected void assertValues(List<?> actual) {
            List<Integer> sorted =
                    new ArrayList<>(actual.stream().map(Integer.class::cast).toList());
            sorted.sort(null);
            assertEquals(expected(), sorted);
        }
    }

    @Nested
    class UnorderedStage extends OperatorTestBase {
        protected AsyncFlow<?> apply(AsyncFlow<Integer> up) {
            return up.mapAsyncStageUnordered(2, i -> CompletableFuture.completedFuture(i * 10));
        }

        protected AsyncFlow<?> applyFailing(AsyncFlow<Integer> up, Exception e) {
            return up.mapAsyncStageUnordered(2, i -> i == 3 ? fail(e) : CompletableFuture.completedFuture(i));
        }

        protected List<?> expected() {
            return List.of(10, 20, 30, 40, 50);
        }

        protected List<String> expectedOrder() {
            return null;
        }

        @Override
        protected void assertValues(List<?> actual) {
            List<Integer> sorted =
                    new ArrayList<>(actual.stream().map(Integer.class::cast).toList());
            sorted.sort(null);
            assertEquals(expected(), sorted);
        }
    }

    // ---- bounded concurrency, measured by a counter ---------------------------------------------

    /** Counts calls running at once and remembers the highest count. */
    private static final class InFlight {
        final AtomicInteger now = new AtomicInteger();
        final AtomicInteger max = new AtomicInteger();

        void enter() {
            max.accumulateAndGet(now.incrementAndGet(), Math::max);
        }

        void exit() {
            now.decrementAndGet();
        }
    }

    /** A deterministic, irregular delay per element: 100..1100 ms. */
    private static long delayOf(int i) {
        return 100 + (i * 7919L % 11) * 100;
    }

    @Test
    void runsExactlyConcurrencyCallsAtOnceAndKeepsOrder() {
        InFlight inFlight = new InFlight();
        Timed<List<Integer>> t = inVirtualTime(() -> AsyncFlow.range(0, 40)
                .mapAsync(4, i -> {
                    inFlight.enter();
                    try {
                        Suspend.delay(delayOf(i));
                        return i;
                    } finally {
                        inFlight.exit();
                    }
                })
                .toList());
        assertEquals(AsyncFlow.range(0, 40).toList(), t.value(), "results in upstream order");
        assertEquals(4, inFlight.max.get(), "never more than, and at some point exactly, concurrency calls");
        long sequential = java.util.stream.IntStream.range(0, 40)
                .mapToLong(MapAsyncTest::delayOf)
                .sum();
        assertTrue(
                t.virtualMillis() < sequential / 2,
                () -> "no real overlap: " + t.virtualMillis() + " ms of " + sequential);
    }

    @Test
    void equalDurationsOverlapPerfectly() {
        // 8 calls of 1 s, 4 at a time: two waves
        Timed<List<Integer>> t = inVirtualTime(() -> AsyncFlow.range(0, 8)
                .mapAsync(4, i -> {
                    Suspend.delay(1_000);
                    return i;
                })
                .toList());
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), t.value());
        assertEquals(2_000, t.virtualMillis());
    }

    @Test
    void aSlowHeadHoldsBackFinishedResultsButNotMoreThanConcurrency() {
        // element 0 takes 10 s, the others 1 s: with concurrency 3 only elements 1 and 2 may finish
        // meanwhile; no further call starts until the consumer has taken the head's result
        InFlight inFlight = new InFlight();
        List<Integer> started = new CopyOnWriteArrayList<>();
        Timed<List<Integer>> t = inVirtualTime(() -> AsyncFlow.range(0, 6)
                .mapAsync(3, i -> {
                    started.add(i);
                    inFlight.enter();
                    try {
                        Suspend.delay(i == 0 ? 10_000 : 1_000);
                        return i;
                    } finally {
                        inFlight.exit();
                    }
                })
                .toList());
        assertEquals(List.of(0, 1, 2, 3, 4, 5), t.value());
        assertEquals(List.of(0, 1, 2, 3, 4, 5), started);
        assertEquals(11_000, t.virtualMillis(), "elements 3..5 start only once the head is taken at 10 s");
    }

    @Test
    void unorderedEmitsInCompletionOrderWithinTheBound() {
        InFlight inFlight = new InFlight();
        Timed<List<Integer>> t = inVirtualTime(() -> AsyncFlow.of(3, 1, 2)
                .mapAsyncUnordered(3, i -> {
                    inFlight.enter();
                    try {
                        Suspend.delay(i * 100L);
                        return i;
                    } finally {
                        inFlight.exit();
                    }
                })
                .toList());
        assertEquals(List.of(1, 2, 3), t.value());
        assertEquals(300, t.virtualMillis());
        assertEquals(3, inFlight.max.get());
    }

    @Test
    void unorderedNeverExceedsConcurrency() {
        InFlight inFlight = new InFlight();
        Timed<List<Integer>> t = inVirtualTime(() -> AsyncFlow.range(0, 30)
                .mapAsyncUnordered(5, i -> {
                    inFlight.enter();
                    try {
                        Suspend.delay(delayOf(i));
                        return i;
                    } finally {
                        inFlight.exit();
                    }
                })
                .toList());
        assertEquals(30, t.value().size());
        assertEquals(5, inFlight.max.get());
    }

    @Test
    void blockingCallsReallyRunConcurrentlyOnTheirOwnThreads() throws Exception {
        // each call blocks (no suspend-like call) until all 4 have started: this only finishes if
        // 4 calls run at once on separate threads, even when collected by a plain blocking terminal
        CountDownLatch allStarted = new CountDownLatch(4);
        List<Boolean> virtual = new CopyOnWriteArrayList<>();
        List<Integer> got = AsyncFlow.range(0, 4)
                .mapAsync(4, i -> {
                    virtual.add(Thread.currentThread().isVirtual());
                    allStarted.countDown();
                    if (!allStarted.await(10, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("calls did not run concurrently");
                    }
                    return i;
                })
                .toList();
        assertEquals(List.of(0, 1, 2, 3), got);
        assertEquals(List.of(true, true, true, true), virtual, "each blocking call runs on a virtual thread");
    }

    @Test
    void stageVariantKeepsOrderAndBound() {
        InFlight inFlight = new InFlight();
        Timed<List<Integer>> t = inVirtualTime(() -> Coroutines.run(scope -> AsyncFlow.range(0, 12)
                .mapAsyncStage(3, i -> {
                    inFlight.enter();
                    return later(scope, delayOf(i), i).whenComplete((v, e) -> inFlight.exit());
                })
                .toList()));
        assertEquals(AsyncFlow.range(0, 12).toList(), t.value());
        assertEquals(3, inFlight.max.get());
    }

    /** A future completed with {@code value} after {@code millis} of the scope's (virtual) time. */
    private static <V> CompletableFuture<V> later(TaskScope scope, long millis, V value) {
        return scope.async(() -> {
                    Suspend.delay(millis);
                    return value;
                })
                .toCompletableFuture();
    }

    // ---- failure --------------------------------------------------------------------------------

    @Test
    void firstFailureCancelsTheOthersAndPropagates() {
        List<String> log = new CopyOnWriteArrayList<>();
        Timed<Throwable> t = inVirtualTime(() -> failureOf(() -> AsyncFlow.range(0, 10)
                .mapAsync(4, i -> {
                    try {
                        if (i == 2) {
                            Suspend.delay(100);
                            throw new IllegalStateException("call 2 failed");
                        }
                        Suspend.delay(1_000);
                        log.add("done " + i);
                        return i;
                    } catch (CancellationException ce) {
                        log.add("cancelled " + i);
                        throw ce;
                    } finally {
                        log.add("finally " + i);
                    }
                })
                .toList()));
        assertInstanceOf(IllegalStateException.class, t.value());
        assertEquals("call 2 failed", t.value().getMessage());
        assertEquals(100, t.virtualMillis());
        assertEquals(
                new java.util.TreeSet<>(List.of(
                        "cancelled 0",
                        "cancelled 1",
                        "cancelled 3",
                        "finally 0",
                        "finally 1",
                        "finally 2",
                        "finally 3")),
                new java.util.TreeSet<>(log),
                () -> "every running call cancelled, no call after the failure started: " + log);
        assertEquals(7, log.size(), log::toString);
    }

    /** What {@code body} throws, or an AssertionError if it returns; for use inside a virtual-time body. */
    private static Throwable failureOf(dev.coflow.bridge.SuspendBody<?> body) {
        try {
            body.run();
        } catch (Throwable e) {
            return e;
        }
        throw new AssertionError("expected a failure");
    }

    @Test
    void failureIsSeenAtOnceNotAfterTheSlowCalls() {
        Timed<String> t = inVirtualTime(() -> {
            try {
                AsyncFlow.range(0, 4)
                        .mapAsync(4, i -> {
                            Suspend.delay(i == 3 ? 50 : 5_000);
                            if (i == 3) {
                                throw new IllegalArgumentException("bad element");
                            }
                            return i;
                        })
                        .toList();
                return "no failure";
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        });
        assertEquals("bad element", t.value());
        assertEquals(50, t.virtualMillis(), "the failure of element 3 does not wait for element 0");
    }

    @Test
    void nullResultFailsWithAMessageNamingTheOperator() {
        NullPointerException e = assertThrows(
                NullPointerException.class,
                () -> AsyncFlow.of(1).mapAsync(2, i -> null).toList());
        assertTrue(e.getMessage().contains("mapAsync"), e.getMessage());
        NullPointerException s = assertThrows(
                NullPointerException.class,
                () -> AsyncFlow.of(1)
                        .mapAsyncStage(2, i -> CompletableFuture.completedFuture(null))
                        .toList());
        assertTrue(s.getMessage().contains("mapAsyncStage"), s.getMessage());
    }

    @Test
    void rejectsNonPositiveConcurrency() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> AsyncFlow.of(1).mapAsync(0, i -> i));
        assertTrue(e.getMessage().contains("concurrency must be >= 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AsyncFlow.of(1).mapAsyncUnordered(-1, i -> i));
        assertThrows(
                IllegalArgumentException.class,
                () -> AsyncFlow.of(1).mapAsyncStage(0, i -> CompletableFuture.completedFuture(i)));
        assertThrows(NullPointerException.class, () -> AsyncFlow.of(1).mapAsync(1, null));
    }

    // ---- cancellation ---------------------------------------------------------------------------

    @Test
    void takeCancelsTheCallsInFlightAndTheirFinallyBlocksRun() {
        AtomicInteger started = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        List<Integer> cancelled = new CopyOnWriteArrayList<>();
        Timed<List<Integer>> t = inVirtualTime(() -> AsyncFlow.range(0, 100)
                .mapAsync(4, i -> {
                    started.incrementAndGet();
                    try {
                        Suspend.delay(100L * (i + 1));
                        return i;
                    } catch (CancellationException e) {
                        cancelled.add(i);
                        throw e;
                    } finally {
                        finished.incrementAndGet();
                    }
                })
                .take(2)
                .toList());
        assertEquals(List.of(0, 1), t.value());
        assertEquals(started.get(), finished.get(), "every started call ran its finally before toList returned");
        assertTrue(started.get() <= 2 + 4, "no more than concurrency calls beyond what was taken: " + started);
        assertTrue(
                cancelled.contains(2) && cancelled.contains(3), () -> "calls in flight were cancelled: " + cancelled);
        assertEquals(200, t.virtualMillis(), "no waiting for the cancelled calls");
    }

    @Test
    void cancellingStageVariantCancelsPendingFutures() {
        List<CompletableFuture<Integer>> futures = new CopyOnWriteArrayList<>();
        Timed<Integer> t = inVirtualTime(() -> Coroutines.run(scope -> AsyncFlow.range(0, 10)
                .mapAsyncStage(3, i -> {
                    CompletableFuture<Integer> f = later(scope, 100L * (i + 1), i);
                    futures.add(f);
                    return f;
                })
                .first()
                .orElseThrow()));
        assertEquals(Integer.valueOf(0), t.value());
        assertEquals(3, futures.size());
        assertTrue(futures.get(1).isCancelled() && futures.get(2).isCancelled(), "pending stages cancelled");
    }

    @Test
    void slowConsumerOverlapsWithTheCalls() {
        // calls take 500 ms, the consumer 500 ms per element: with mapAsync(2) they overlap
        AsyncFlow<Integer> calls = AsyncFlow.range(0, 4).mapAsync(2, i -> {
            Suspend.delay(500);
            return i;
        });
        Timed<List<Integer>> t = inVirtualTime(() -> collectSlowly(calls, 500));
        assertEquals(List.of(0, 1, 2, 3), t.value());
        assertEquals(2_500, t.virtualMillis(), "calls overlap with the consumer (sequentially: 4 s)");
    }
}
