package dev.coflow;

import static dev.coflow.OperatorTestBase.inVirtualTime;
import static dev.coflow.OperatorTestBase.onDefault;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coflow.OperatorTestBase.Timed;
import dev.coflow.bridge.Coroutines;
import dev.coflow.bridge.Suspend;
import dev.coflow.test.CoflowExtension;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The time operators: timer, interval, delayEach, throttleFirst, throttleLatest, rateLimit and
 * chunked(n, maxWait). Timing is asserted exactly, in virtual time; values also on the plain
 * caller, a Kotlin collector on Dispatchers.Default and under buffer.
 */
class TimeOperatorsTest {
    private final List<String> log = new CopyOnWriteArrayList<>();

    /** After each test, no coroutine body it started may still be running (the harness's leak check). */
    @RegisterExtension
    static final CoflowExtension COFLOW = CoflowExtension.withLeakGrace(Duration.ZERO);

    /** Emits {@code values[i]} at virtual time {@code at[i]} (ms from the start), then logs "finally". */
    private AsyncFlow<Integer> at(long[] at, int... values) {
        return AsyncFlow.generate(out -> {
            try {
                long start = Suspend.clockMillis();
                for (int i = 0; i < values.length; i++) {
                    long wait = start + at[i] - Suspend.clockMillis();
                    if (wait > 0) {
                        Suspend.delay(wait);
                    }
                    out.emit(values[i]);
                }
            } finally {
                log.add("finally");
            }
        });
    }

    /** Each element with the clock time (from the start of the body) at which the consumer got it. */
    private static <T> List<String> stamped(AsyncFlow<T> flow) {
        long start = Suspend.clockMillis();
        List<String> got = new ArrayList<>();
        flow.forEach(v -> got.add(v + "@" + (Suspend.clockMillis() - start)));
        return got;
    }

    /** kotlinx may rethrow a copy (stack-trace recovery) and coflow wraps checked exceptions: compare roots. */
    private static Throwable rootCause(Throwable e) {
        while (e.getCause() != null && e.getCause() != e) {
            e = e.getCause();
        }
        return e;
    }

    @Nested
    class Timer {
        @Test
        void emitsZeroOnceAfterTheDelay() {
            Timed<List<String>> t = inVirtualTime(() -> stamped(AsyncFlow.timer(Duration.ofSeconds(5))));
            assertEquals(List.of("0@5000"), t.value());
            assertEquals(5_000, t.virtualMillis());
        }

        @Test
        void zeroDelayEmitsAtOnceAndNegativeIsRejected() {
            assertEquals(List.of(0L), AsyncFlow.timer(Duration.ZERO).toList());
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> AsyncFlow.timer(Duration.ofMillis(-1)));
            assertEquals("timer: delay must not be negative, was PT-0.001S", e.getMessage());
        }
    }

    @Nested
    class Interval {
        @Test
        void ticksOncePerPeriodFromTheFirstPeriod() {
            Timed<List<String>> t = inVirtualTime(
                    () -> stamped(AsyncFlow.interval(Duration.ofSeconds(1)).take(3)));
            assertEquals(List.of("0@1000", "1@2000", "2@3000"), t.value());
        }

        @Test
        void initialDelayThenPeriod() {
            Timed<List<String>> t = inVirtualTime(() -> stamped(
                    AsyncFlow.interval(Duration.ZERO, Duration.ofMillis(250)).take(4)));
            assertEquals(List.of("0@0", "1@250", "2@500", "3@750"), t.value());
        }

        @Test
        void doesNotDriftWhenTheConsumerWorksWithinThePeriod() {
            Timed<List<String>> t = inVirtualTime(() -> {
                long start = Suspend.clockMillis();
                List<String> got = new ArrayList<>();
                AsyncFlow.interval(Duration.ofSeconds(1)).take(5).forEach(v -> {
                    got.add(v + "@" + (Suspend.clockMillis() - start));
                    Suspend.delay(300); // work that a delay-based ticker would add to every period
                });
                return got;
            });
            assertEquals(List.of("0@1000", "1@2000", "2@3000", "3@4000", "4@5000"), t.value());
        }

        @Test
        void aSlowConsumerMissesTicksInsteadOfQueueingThem() {
            Timed<List<String>> t = inVirtualTime(() -> {
                long start = Suspend.clockMillis();
                List<String> got = new ArrayList<>();
                AsyncFlow.interval(Duration.ofSeconds(1)).take(3).forEach(v -> {
                    got.add(v + "@" + (Suspend.clockMillis() - start));
                    Suspend.delay(2_500);
                });
                return got;
            });
            // busy 1000-3500: ticks 1 (2000) and 2 (3000) are missed; busy 4000-6500: 4 and 5 missed
            assertEquals(List.of("0@1000", "3@4000", "6@7000"), t.value());
            assertEquals(9_500, t.virtualMillis());
        }

        @Test
        void aConsumerThatTakesExactlyThePeriodMissesNothing() {
            Timed<List<String>> t = inVirtualTime(() -> {
                long start = Suspend.clockMillis();
                List<String> got = new ArrayList<>();
                AsyncFlow.interval(Duration.ofSeconds(1)).take(3).forEach(v -> {
                    got.add(v + "@" + (Suspend.clockMillis() - start));
                    Suspend.delay(1_000);
                });
                return got;
            });
            assertEquals(List.of("0@1000", "1@2000", "2@3000"), t.value());
        }

        @Test
        void cancelledMidWaitByTimeout() {
            Timed<Exception> t = inVirtualTime(() -> {
                try {
                    AsyncFlow.interval(Duration.ofSeconds(1))
                            .timeout(Duration.ofMillis(2_500))
                            .toList();
                    return null;
                } catch (AsyncFlowTimeoutException e) {
                    return e;
                }
            });
            assertTrue(t.value() instanceof AsyncFlowTimeoutException, String.valueOf(t.value()));
            assertEquals(2_500, t.virtualMillis());
        }

        @Test
        void argumentsAreChecked() {
            assertEquals(
                    "interval: period must be positive, was PT0S",
                    assertThrows(IllegalArgumentException.class, () -> AsyncFlow.interval(Duration.ZERO))
                            .getMessage());
            assertEquals(
                    "interval: initialDelay must not be negative, was PT-1S",
                    assertThrows(
                                    IllegalArgumentException.class,
                                    () -> AsyncFlow.interval(Duration.ofSeconds(-1), Duration.ofSeconds(1)))
                            .getMessage());
            assertThrows(NullPointerException.class, () -> AsyncFlow.interval(null));
        }

        @Test
        void realTimeOnTheCallerAndOnDefault() throws Exception {
            // real time: a busy machine may make a tick late, so only the order is certain
            assertIncreasing(AsyncFlow.interval(Duration.ofMillis(5)).take(3).toList());
            assertIncreasing(onDefault(AsyncFlow.interval(Duration.ofMillis(5)).take(3)));
            assertIncreasing(
                    AsyncFlow.interval(Duration.ofMillis(5)).buffer(4).take(3).toList());
        }

        private static void assertIncreasing(List<Long> ticks) {
            assertEquals(3, ticks.size(), ticks::toString);
            assertTrue(
                    ticks.get(0) >= 0 && ticks.get(0) < ticks.get(1) && ticks.get(1) < ticks.get(2), ticks::toString);
        }
    }

    @Nested
    class DelayEach {
        @Test
        void waitsBeforeEachElement() {
            Timed<List<String>> t =
                    inVirtualTime(() -> stamped(AsyncFlow.of(1, 2, 3).delayEach(Duration.ofMillis(100))));
            assertEquals(List.of("1@100", "2@200", "3@300"), t.value());
        }

        @Test
        void zeroIsThisFlowAndErrorsPass() {
            AsyncFlow<Integer> f = AsyncFlow.of(1);
            assertSame(f, f.delayEach(Duration.ZERO));
            IOException boom = new IOException("boom");
            AsyncFlow<Integer> failing = AsyncFlow.generate(out -> {
                out.emit(1);
                throw boom;
            });
            Timed<List<Object>> t = inVirtualTime(() -> {
                List<Object> got = new ArrayList<>();
                try {
                    failing.delayEach(Duration.ofMillis(10)).forEach(got::add);
                } catch (Exception e) {
                    got.add(e.getCause() == boom ? "boom" : e);
                }
                return got;
            });
            assertEquals(List.of(1, "boom"), t.value());
        }
    }

    @Nested
    class ThrottleFirst {
        @Test
        void dropsElementsWithinTheWindowOfTheLastPassedOne() {
            Timed<List<String>> t = inVirtualTime(() -> stamped(
                    at(new long[] {0, 100, 600, 900, 1_200}, 1, 2, 3, 4, 5).throttleFirst(Duration.ofMillis(500))));
            assertEquals(List.of("1@0", "3@600", "5@1200"), t.value());
            assertEquals(List.of("finally"), log);
        }

        @Test
        void valuesOnThePlainCallerAndOnDefault() throws Exception {
            // an instant source: everything after the first falls in its window
            assertEquals(
                    List.of(1),
                    AsyncFlow.of(1, 2, 3).throttleFirst(Duration.ofSeconds(10)).toList());
            assertEquals(List.of(1), onDefault(AsyncFlow.of(1, 2, 3).throttleFirst(Duration.ofSeconds(10))));
        }
    }

    @Nested
    class ThrottleLatest {
        @Test
        void passesTheLatestOfEachWindow() {
            Timed<List<String>> t =
                    inVirtualTime(() -> stamped(at(new long[] {0, 100, 200, 900, 950, 2_000}, 1, 2, 3, 4, 5, 6)
                            .throttleLatest(Duration.ofMillis(500))));
            // 1 opens [0, 500): 3 wins; [500, 1000): 5 wins; [1000, 1500) is empty; 6 passes at once
            assertEquals(List.of("1@0", "3@500", "5@1000", "6@2000"), t.value());
            assertEquals(List.of("finally"), log);
        }

        @Test
        void anElementHeldAtCompletionPassesAtOnce() {
            Timed<List<String>> t =
                    inVirtualTime(() -> stamped(at(new long[] {0, 100}, 1, 2).throttleLatest(Duration.ofMillis(500))));
            assertEquals(List.of("1@0", "2@100"), t.value());
        }

        @Test
        void cancellationStopsTheUpstream() {
            Timed<List<String>> t = inVirtualTime(() -> stamped(AsyncFlow.interval(Duration.ofMillis(100))
                    .map(Long::intValue)
                    .throttleLatest(Duration.ofMillis(260))
                    .take(3)));
            // ticks at 100 (0), 200 (1), 300 (2), ...: 0 at 100, window to 360 -> 2, to 620 -> 5
            assertEquals(List.of("0@100", "2@360", "5@620"), t.value());
        }

        @Test
        void anUpstreamFailurePassesAfterTheHeldElement() {
            IOException boom = new IOException("boom");
            Timed<List<Object>> t = inVirtualTime(() -> {
                List<Object> got = new ArrayList<>();
                try {
                    AsyncFlow.<Integer>generate(out -> {
                                out.emit(1);
                                out.emit(2);
                                throw boom;
                            })
                            .throttleLatest(Duration.ofMillis(100))
                            .forEach(got::add);
                } catch (Exception e) {
                    got.add(rootCause(e) == boom ? "boom" : e);
                }
                return got;
            });
            assertEquals(List.of(1, 2, "boom"), t.value(), "the held element passes before the failure");
        }
    }

    @Nested
    class RateLimit {
        @Test
        void holdsElementsBackToTheRate() {
            Timed<List<String>> t =
                    inVirtualTime(() -> stamped(AsyncFlow.range(1, 6).rateLimit(2, Duration.ofSeconds(1))));
            assertEquals(List.of("1@0", "2@0", "3@1000", "4@1000", "5@2000"), t.value());
        }

        @Test
        void aSlowSourceIsNotDelayed() {
            Timed<List<String>> t = inVirtualTime(() ->
                    stamped(at(new long[] {0, 600, 1_200}, 1, 2, 3).rateLimit(1, Duration.ofMillis(500))));
            assertEquals(List.of("1@0", "2@600", "3@1200"), t.value());
        }

        @Test
        void anyWindowHoldsAtMostPermits() {
            Random r = new Random(42);
            long[] when = new long[200];
            int[] values = new int[200];
            for (int i = 1; i < when.length; i++) {
                when[i] = when[i - 1] + (r.nextInt(4) == 0 ? r.nextInt(400) : 0); // bursts and gaps
                values[i] = i;
            }
            Timed<List<Long>> t = inVirtualTime(() -> {
                long start = Suspend.clockMillis();
                List<Long> times = new ArrayList<>();
                at(when, values)
                        .rateLimit(3, Duration.ofMillis(100))
                        .forEach(v -> times.add(Suspend.clockMillis() - start));
                return times;
            });
            List<Long> times = t.value();
            assertEquals(200, times.size(), "nothing is dropped");
            for (int i = 3; i < times.size(); i++) {
                assertTrue(times.get(i) - times.get(i - 3) >= 100, "4 elements within 100 ms at " + i + ": " + times);
            }
        }

        @Test
        void argumentsAreChecked() {
            AsyncFlow<Integer> f = AsyncFlow.of(1);
            assertEquals(
                    "rateLimit: permits must be >= 1, was 0",
                    assertThrows(IllegalArgumentException.class, () -> f.rateLimit(0, Duration.ofSeconds(1)))
                            .getMessage());
            assertEquals(
                    "rateLimit: per must be positive, was PT0S",
                    assertThrows(IllegalArgumentException.class, () -> f.rateLimit(1, Duration.ZERO))
                            .getMessage());
        }
    }

    @Nested
    class ChunkedWithin {
        @Test
        void aBatchIsEmittedWhenFullOrWhenItsFirstElementHasWaitedLongEnough() {
            Timed<List<String>> t =
                    inVirtualTime(() -> stamped(at(new long[] {0, 10, 20, 30, 2_000, 2_100}, 1, 2, 3, 4, 5, 6)
                            .chunked(3, Duration.ofSeconds(1))));
            // [1,2,3] full at 20; [4] times out at 1030; [5,6] is the last partial batch, at completion
            assertEquals(List.of("[1, 2, 3]@20", "[4]@1030", "[5, 6]@2100"), t.value());
            assertEquals(List.of("finally"), log);
        }

        @Test
        void neverEmitsAnEmptyBatch() {
            Timed<List<String>> t =
                    inVirtualTime(() -> stamped(at(new long[] {0, 5_000}, 1, 2).chunked(10, Duration.ofMillis(100))));
            assertEquals(List.of("[1]@100", "[2]@5000"), t.value());
        }

        @Test
        void theOpenBatchIsEmittedBeforeAnUpstreamFailure() {
            IOException boom = new IOException("boom");
            Timed<List<Object>> t = inVirtualTime(() -> {
                List<Object> got = new ArrayList<>();
                try {
                    AsyncFlow.<Integer>generate(out -> {
                                for (int i = 1; i <= 5; i++) {
                                    out.emit(i);
                                }
                                throw boom;
                            })
                            .chunked(2, Duration.ofSeconds(1))
                            .forEach(got::add);
                } catch (Exception e) {
                    got.add(rootCause(e) == boom ? "boom" : e);
                }
                return got;
            });
            assertEquals(List.of(List.of(1, 2), List.of(3, 4), List.of(5), "boom"), t.value());
        }

        @Test
        void aFailingConsumerCancelsTheUpstream() {
            IllegalStateException stop = new IllegalStateException("stop");
            Timed<Object> t = inVirtualTime(() -> {
                try {
                    AsyncFlow.interval(Duration.ofMillis(10))
                            .chunked(3, Duration.ofSeconds(1))
                            .forEach(b -> {
                                throw stop;
                            });
                    return null;
                } catch (IllegalStateException e) {
                    return e;
                }
            });
            assertSame(stop, t.value());
            assertEquals(30, t.virtualMillis());
        }

        @Test
        void takeCancelsTheUpstreamMidWait() {
            Timed<List<List<Integer>>> t = inVirtualTime(() -> at(new long[] {0, 10, 10_000}, 1, 2, 3)
                    .chunked(5, Duration.ofMillis(500))
                    .take(1)
                    .toList());
            assertEquals(List.of(List.of(1, 2)), t.value());
            assertEquals(500, t.virtualMillis());
            assertEquals(List.of("finally"), log, "the generator's finally ran before the terminal returned");
        }

        @Test
        void batchesAreReadOnly() {
            List<List<Integer>> got =
                    AsyncFlow.of(1, 2).chunked(5, Duration.ofSeconds(1)).toList();
            assertThrows(UnsupportedOperationException.class, () -> got.get(0).add(3));
        }

        /** The union of the batches is the input in order; no batch exceeds n; no element waits longer than d. */
        @Test
        void underABurstyGeneratorNothingIsLostReorderedOrLate() {
            for (long seed = 1; seed <= 20; seed++) {
                Random r = new Random(seed);
                int n = 1 + r.nextInt(8);
                long d = 10 + r.nextInt(200);
                int count = 50 + r.nextInt(200);
                long[] when = new long[count];
                int[] values = new int[count];
                for (int i = 1; i < count; i++) {
                    when[i] = when[i - 1] + (r.nextInt(3) == 0 ? r.nextInt(3 * (int) d) : r.nextInt(3));
                    values[i] = i;
                }
                Timed<List<Object[]>> t = inVirtualTime(() -> {
                    long start = Suspend.clockMillis();
                    List<Object[]> got = new ArrayList<>();
                    at(when, values)
                            .chunked(n, Duration.ofMillis(d))
                            .forEach(b -> got.add(new Object[] {b, Suspend.clockMillis() - start}));
                    return got;
                });
                List<Integer> union = new ArrayList<>();
                for (Object[] batch : t.value()) {
                    @SuppressWarnings("unchecked")
                    List<Integer> b = (List<Integer>) batch[0];
                    long emittedAt = (Long) batch[1];
                    String where = "seed " + seed + ", n " + n + ", d " + d + ", batch " + b + " at " + emittedAt;
                    assertTrue(!b.isEmpty() && b.size() <= n, where);
                    assertTrue(emittedAt - when[b.get(0)] <= d, "the first element waited too long: " + where);
                    union.addAll(b);
                }
                List<Integer> expected = new ArrayList<>();
                for (int v : values) {
                    expected.add(v);
                }
                assertEquals(expected, union, "seed " + seed);
            }
        }

        @Test
        void valuesOnThePlainCallerOnDefaultAndUnderBuffer() throws Exception {
            Supplier<AsyncFlow<List<Integer>>> f = () -> AsyncFlow.range(1, 8).chunked(3, Duration.ofSeconds(10));
            List<List<Integer>> expected = List.of(List.of(1, 2, 3), List.of(4, 5, 6), List.of(7));
            assertEquals(expected, f.get().toList());
            assertEquals(expected, onDefault(f.get()));
            assertEquals(
                    expected,
                    AsyncFlow.range(1, 8)
                            .buffer(2)
                            .chunked(3, Duration.ofSeconds(10))
                            .buffer(1)
                            .toList());
            assertEquals(expected, Coroutines.run(scope -> f.get().toList()));
        }

        @Test
        void argumentsAreChecked() {
            AsyncFlow<Integer> f = AsyncFlow.of(1);
            assertEquals(
                    "chunked: maxSize must be >= 1, was 0",
                    assertThrows(IllegalArgumentException.class, () -> f.chunked(0, Duration.ofSeconds(1)))
                            .getMessage());
            assertEquals(
                    "chunked: maxWait must be positive, was PT-1S",
                    assertThrows(IllegalArgumentException.class, () -> f.chunked(1, Duration.ofSeconds(-1)))
                            .getMessage());
            assertThrows(NullPointerException.class, () -> f.chunked(1, null));
        }
    }
}
