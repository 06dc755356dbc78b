package dev.coflow;

import static dev.coflow.OperatorTestBase.collectSlowly;
import static dev.coflow.OperatorTestBase.inVirtualTime;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coflow.OperatorTestBase.Timed;
import dev.coflow.bridge.Suspend;
import dev.coflow.test.CoflowExtension;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** timeout (whole collection) and timeoutEach (per element), on the virtual clock. */
class TimeoutTest {
    /** After each test, no coroutine body it started may still be running (the harness's leak check). */
    @RegisterExtension
    static final CoflowExtension COFLOW = CoflowExtension.withLeakGrace(Duration.ZERO);

    private final List<String> log = new CopyOnWriteArrayList<>();

    @Nested
    class TimeoutBattery extends OperatorTestBase {
        protected AsyncFlow<?> apply(AsyncFlow<Integer> up) {
            return up.timeout(Duration.ofHours(1));
        }

        protected List<?> expected() {
            return List.of(1, 2, 3, 4, 5);
        }

        protected List<String> expectedOrder() {
            return oneToOne(1, 2, 3);
        }
    }

    @Nested
    class TimeoutEachBattery extends OperatorTestBase {
        protected AsyncFlow<?> apply(AsyncFlow<Integer> up) {
            return up.timeoutEach(Duration.ofHours(1));
        }

        protected List<?> expected() {
            return List.of(1, 2, 3, 4, 5);
        }

        protected List<String> expectedOrder() {
            return oneToOne(1, 2, 3);
        }
    }

    /** Emits 1, 2, 3, ... waiting {@code gaps[i]} virtual ms before element i+1; logs cancellation and finally. */
    private AsyncFlow<Integer> withGaps(long... gaps) {
        return AsyncFlow.generate(out -> {
            try {
                for (int i = 0; i < gaps.length; i++) {
                    Suspend.delay(gaps[i]);
                    out.emit(i + 1);
                }
            } catch (CancellationException e) {
                log.add("cancelled");
                throw e;
            } finally {
                log.add("finally");
            }
        });
    }

    /** Collects inside virtual time; returns the elements received and the timeout message, if any. */
    private record Outcome(List<Integer> got, String timeout) {}

    private static Outcome collect(AsyncFlow<Integer> f, long consumerMillis) {
        List<Integer> got = new CopyOnWriteArrayList<>();
        try {
            collectSlowly(f.onEach(got::add), consumerMillis);
            return new Outcome(got, null);
        } catch (AsyncFlowTimeoutException e) {
            return new Outcome(got, e.getMessage());
        }
    }

    @Test
    void wholeFlowTimeoutFailsAtTheLimitNamingItAndCancelsTheUpstream() {
        Timed<Outcome> t =
                inVirtualTime(() -> collect(withGaps(300, 300, 300, 300, 300).timeout(Duration.ofSeconds(1)), 0));
        assertEquals("timed out after 1000 ms (timeout(PT1S))", t.value().timeout());
        assertEquals(List.of(1, 2, 3), t.value().got());
        assertEquals(1_000, t.virtualMillis());
        assertEquals(List.of("cancelled", "finally"), log);
    }

    @Test
    void wholeFlowTimeoutCountsTheDownstreamsWorkToo() {
        Timed<Outcome> t = inVirtualTime(() -> collect(withGaps(0, 0, 0).timeout(Duration.ofMillis(500)), 400));
        assertEquals("timed out after 500 ms (timeout(PT0.5S))", t.value().timeout());
        assertEquals(500, t.virtualMillis());
    }

    @Test
    void wholeFlowWithinTheLimitCompletesAndLeavesNoWatchdog() {
        Timed<Outcome> t = inVirtualTime(() -> collect(withGaps(100, 100).timeout(Duration.ofHours(1)), 0));
        assertEquals(List.of(1, 2), t.value().got());
        assertEquals(null, t.value().timeout());
        assertEquals(200, t.virtualMillis(), "the last watchdog must not keep the collection waiting for an hour");
    }

    @Test
    void timeoutEachIgnoresTheDownstreamsTime() {
        Timed<Outcome> t =
                inVirtualTime(() -> collect(withGaps(300, 300, 300).timeoutEach(Duration.ofMillis(500)), 1_000));
        assertEquals(List.of(1, 2, 3), t.value().got());
        assertEquals(null, t.value().timeout());
        assertEquals(3 * 300 + 3 * 1_000, t.virtualMillis());
    }

    @Test
    void timeoutEachFailsWhenOneGapIsTooLong() {
        Timed<Outcome> t =
                inVirtualTime(() -> collect(withGaps(100, 100, 700, 100).timeoutEach(Duration.ofMillis(500)), 50));
        assertEquals("timed out after 500 ms (timeoutEach(PT0.5S))", t.value().timeout());
        assertEquals(List.of(1, 2), t.value().got());
        assertEquals(100 + 50 + 100 + 50 + 500, t.virtualMillis());
        assertEquals(List.of("cancelled", "finally"), log);
    }

    @Test
    void timeoutIsAnOrdinaryFailureThatCatchErrorAndRetrySee() {
        List<Throwable> causes = new CopyOnWriteArrayList<>();
        Timed<List<Integer>> t = inVirtualTime(() -> withGaps(10_000)
                .timeout(Duration.ofSeconds(1))
                .catchError((cause, out) -> {
                    causes.add(cause);
                    out.emit(-1);
                })
                .toList());
        assertEquals(List.of(-1), t.value());
        assertInstanceOf(AsyncFlowTimeoutException.class, causes.getFirst());
        assertFalse(causes.getFirst() instanceof CancellationException, "a timeout must not look like a cancellation");
        assertEquals(Duration.ofSeconds(1), ((AsyncFlowTimeoutException) causes.getFirst()).limit());

        int[] attempts = {0};
        Timed<List<Integer>> r = inVirtualTime(() -> AsyncFlow.<Integer>generate(out -> {
                    Suspend.delay(++attempts[0] < 3 ? 5_000 : 10);
                    out.emit(attempts[0]);
                })
                .timeout(Duration.ofSeconds(1))
                .retry(5)
                .toList());
        assertEquals(List.of(3), r.value());
        assertEquals(2_010, r.virtualMillis());
    }

    @Test
    void blockingTerminalSeesTheTimeoutExceptionNotACancellation() {
        // outside virtual time the limit is real, so use one that has already passed for a body that never ends
        AsyncFlowTimeoutException e = assertThrows(
                AsyncFlowTimeoutException.class,
                () -> AsyncFlow.<Integer>generate(out -> {
                            Suspend.await(new java.util.concurrent.CompletableFuture<Void>());
                        })
                        .timeout(Duration.ofMillis(1))
                        .toList());
        assertTrue(e.getMessage().contains("timeout(PT0.001S)"), e.getMessage());
    }

    @Test
    void downstreamEarlyExitAndFailurePassThrough() {
        Timed<List<Integer>> t = inVirtualTime(() -> withGaps(100, 100, 100)
                .timeoutEach(Duration.ofSeconds(1))
                .take(2)
                .toList());
        assertEquals(List.of(1, 2), t.value());
        assertEquals(200, t.virtualMillis());
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> AsyncFlow.of(1, 2).timeout(Duration.ofHours(1)).forEach(v -> {
                    throw new IllegalStateException("consumer");
                }));
        assertEquals("consumer", e.getMessage());
    }

    @Test
    void limitMustBePositive() {
        AsyncFlow<Integer> f = AsyncFlow.of(1);
        assertThrows(NullPointerException.class, () -> f.timeout(null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.timeout(Duration.ZERO));
        assertTrue(e.getMessage().contains("positive"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> f.timeoutEach(Duration.ofMillis(-1)));
    }

    // ---- limits too large for a long of milliseconds: effectively no limit ----------------------

    /** Durations whose {@code toMillis()} overflows a long (it throws ArithmeticException). */
    private static final List<Duration> HUGE = List.of(
            ChronoUnit.FOREVER.getDuration(),
            Duration.ofSeconds(Long.MAX_VALUE),
            Duration.ofMillis(Long.MAX_VALUE).plusMillis(1));

    @Test
    void aLimitTooLargeForMillisecondsMeansNoLimitOnEveryTerminal() {
        for (Duration huge : HUGE) {
            assertThrows(ArithmeticException.class, huge::toMillis, "precondition: " + huge + " overflows");
            assertEquals(List.of(1, 2), AsyncFlow.of(1, 2).timeout(huge).toList(), "timeout(" + huge + ")");
            assertEquals(List.of(1, 2), AsyncFlow.of(1, 2).timeoutEach(huge).toList(), "timeoutEach(" + huge + ")");
            assertEquals(
                    List.of(0, 1, 2),
                    AsyncFlow.generate(out -> {
                                for (int i = 0; i < 3; i++) {
                                    out.emit(i);
                                }
                            })
                            .timeoutEach(huge)
                            .toListAsync()
                            .join());
            try (CloseableIterator<Integer> it =
                    AsyncFlow.range(0, 3).timeout(huge).iterator()) {
                assertTrue(it.hasNext());
                assertEquals(0, it.next());
            }
        }
    }

    @Test
    void aHugeLimitNeverFiresAndStartsNoWatchdogThatOutlivesTheCollection() {
        long tenYears = Duration.ofDays(3650).toMillis();
        for (Duration huge : HUGE) {
            Timed<Outcome> whole =
                    inVirtualTime(() -> collect(withGaps(tenYears, tenYears).timeout(huge), 0));
            assertEquals(new Outcome(List.of(1, 2), null), whole.value());
            assertEquals(2 * tenYears, whole.virtualMillis(), "the collection ends with its upstream");
            Timed<Outcome> each =
                    inVirtualTime(() -> collect(withGaps(tenYears, 0, tenYears).timeoutEach(huge), 5));
            assertEquals(new Outcome(List.of(1, 2, 3), null), each.value());
            assertEquals(2 * tenYears + 3 * 5, each.virtualMillis());
        }
    }

    @Test
    void theLargestLimitThatFitsStillWorksAndAFailingFlowStillFails() {
        Duration max = Duration.ofMillis(Long.MAX_VALUE);
        assertEquals(Long.MAX_VALUE, Timeout.watchdogMillis(max));
        assertEquals(Long.MAX_VALUE, Timeout.watchdogMillis(ChronoUnit.FOREVER.getDuration()));
        assertEquals(1, Timeout.watchdogMillis(Duration.ofNanos(1)), "below a millisecond waits one");
        assertEquals(List.of(1), AsyncFlow.of(1).timeoutEach(max).toList());
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> AsyncFlow.<Integer>generate(out -> {
                            out.emit(1);
                            throw new IllegalStateException("upstream boom");
                        })
                        .timeout(ChronoUnit.FOREVER.getDuration())
                        .toList());
        assertEquals("upstream boom", e.getMessage());
    }

    @Test
    void theExceptionOfAHugeLimitHasASaturatedMessage() {
        AsyncFlowTimeoutException e = new AsyncFlowTimeoutException("timeout", ChronoUnit.FOREVER.getDuration());
        assertEquals(
                "timed out after " + Long.MAX_VALUE + " ms (timeout(" + ChronoUnit.FOREVER.getDuration() + "))",
                e.getMessage());
        assertEquals(ChronoUnit.FOREVER.getDuration(), e.limit());
    }
}
