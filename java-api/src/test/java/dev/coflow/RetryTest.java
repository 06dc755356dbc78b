package dev.coflow;

import static dev.coflow.OperatorTestBase.fail;
import static dev.coflow.OperatorTestBase.inVirtualTime;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.coflow.OperatorTestBase.Timed;
import dev.coflow.bridge.Suspend;
import dev.coflow.test.CoflowExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import kotlin.coroutines.ContinuationInterceptor;
import kotlinx.coroutines.test.TestDispatcher;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** retry(n), retry(n, predicate), retryWhen, retry(Backoff) (kotlinx Errors.kt: retry, retryWhen). */
class RetryTest {
    /** After each test, no coroutine body it started may still be running (the harness's leak check). */
    @RegisterExtension
    static final CoflowExtension COFLOW = CoflowExtension.withLeakGrace(Duration.ZERO);

    private final AtomicInteger attempts = new AtomicInteger();
    /** Virtual time of each attempt's start (only meaningful inside {@code inVirtualTime}). */
    private final List<Long> attemptTimes = new CopyOnWriteArrayList<>();

    /** The virtual clock of the test dispatcher the calling body runs on. */
    static long now() {
        return ((TestDispatcher) Suspend.context().get(ContinuationInterceptor.Key))
                .getScheduler()
                .getCurrentTime();
    }

    /** Emits "a" and "b", then fails with {@code failure} on the first {@code failures} attempts. */
    private AsyncFlow<String> failingFirst(int failures, Exception failure, boolean virtual) {
        return AsyncFlow.generate(out -> {
            int n = attempts.incrementAndGet();
            if (virtual) {
                attemptTimes.add(now());
            }
            out.emit("a" + n);
            if (n <= failures) {
                throw failure;
            }
            out.emit("b" + n);
        });
    }

    // ---- the battery: with no failure every retry operator is transparent --------------------------

    @Nested
    class RetryNBattery extends OperatorTestBase {
        protected AsyncFlow<?> apply(AsyncFlow<Integer> up) {
            return up.retry(2);
        }

        protected List<?> expected() {
            return List.of(1, 2, 3, 4, 5);
        }

        protected List<String> expectedOrder() {
            return oneToOne(1, 2, 3);
        }
    }

    @Nested
    class RetryPredicateBattery extends OperatorTestBase {
        protected AsyncFlow<?> apply(AsyncFlow<Integer> up) {
            return up.retry(2, cause -> false);
        }

        protected List<?> expected() {
            return List.of(1, 2, 3, 4, 5);
        }

        protected AsyncFlow<?> applyFailing(AsyncFlow<Integer> up, Exception f) {
            return up.map(v -> v == 3 ? fail(new IllegalStateException("trigger")) : v)
                    .retry(2, cause -> fail(f));
        }

        protected List<String> expectedOrder() {
            return oneToOne(1, 2, 3);
        }
    }

    @Nested
    class RetryWhenBattery extends OperatorTestBase {
        protected AsyncFlow<?> apply(AsyncFlow<Integer> up) {
            return up.retryWhen((cause, attempt) -> false);
        }

        protected List<?> expected() {
            return List.of(1, 2, 3, 4, 5);
        }

        protected AsyncFlow<?> applyFailing(AsyncFlow<Integer> up, Exception f) {
            return up.map(v -> v == 3 ? fail(new IllegalStateException("trigger")) : v)
                    .retryWhen((cause, a) -> fail(f));
        }

        protected List<String> expectedOrder() {
            return oneToOne(1, 2, 3);
        }
    }

    @Nested
    class RetryBackoffBattery extends OperatorTestBase {
        protected AsyncFlow<?> apply(AsyncFlow<Integer> up) {
            return up.retry(Backoff.fixed(Duration.ZERO, 1));
        }

        protected List<?> expected() {
            return List.of(1, 2, 3, 4, 5);
        }

        protected List<String> expectedOrder() {
            return oneToOne(1, 2, 3);
        }
    }

    // ---- retry(n) ------------------------------------------------------------------------------

    @Test
    void retryRecollectsUntilSuccessKeepingWhatWasEmitted() {
        List<String> got =
                failingFirst(2, new IOException("flaky"), false).retry(3).toList();
        assertEquals(List.of("a1", "a2", "a3", "b3"), got);
        assertEquals(3, attempts.get());
    }

    @Test
    void retryGivesUpAfterNRetriesWithTheLastFailure() {
        UncheckedIOException e = assertThrows(
                UncheckedIOException.class,
                () -> failingFirst(99, new IOException("still down"), false)
                        .retry(2)
                        .toList());
        assertEquals("still down", e.getCause().getMessage());
        assertEquals(3, attempts.get(), "1 attempt + 2 retries");
    }

    @Test
    void retryZeroDoesNotRetry() {
        assertThrows(
                IllegalStateException.class,
                () -> failingFirst(1, new IllegalStateException("x"), false)
                        .retry(0)
                        .toList());
        assertEquals(1, attempts.get());
    }

    @Test
    void cancellationIsNeverRetried() {
        assertThrows(
                CancellationException.class,
                () -> failingFirst(99, new CancellationException("gave up"), false)
                        .retry(5)
                        .toList());
        assertEquals(1, attempts.get());
        assertThrows(
                CancellationException.class,
                () -> failingFirst(99, new CancellationException("gave up"), false)
                        .retry(Backoff.fixed(Duration.ZERO, 5))
                        .toList());
        assertEquals(2, attempts.get());
    }

    @Test
    void downstreamFailureIsNotRetried() {
        assertThrows(
                IllegalStateException.class,
                () -> failingFirst(0, new IOException("unused"), false).retry(5).forEach(v -> {
                    throw new IllegalStateException("consumer");
                }));
        assertEquals(1, attempts.get());
    }

    @Test
    void earlyExitDuringARetriedCollectionStopsEverything() {
        assertEquals(
                List.of("a1", "a2"),
                failingFirst(99, new IOException("x"), false).retry(50).take(2).toList());
        assertEquals(2, attempts.get());
    }

    // ---- retry(n, predicate) and retryWhen -----------------------------------------------------

    @Test
    void predicateSeesCheckedCausesUnwrappedAndDecides() {
        List<Throwable> causes = new CopyOnWriteArrayList<>();
        assertThrows(
                UncheckedIOException.class,
                () -> failingFirst(99, new IOException("io"), false)
                        .retry(3, cause -> {
                            causes.add(cause);
                            return causes.size() < 2;
                        })
                        .toList());
        assertEquals(2, attempts.get(), "second failure was refused");
        assertInstanceOf(IOException.class, causes.getFirst());
    }

    @Test
    void predicateIsNotAskedOnceRetriesAreUsedUp() {
        AtomicInteger asked = new AtomicInteger();
        assertThrows(
                IllegalStateException.class,
                () -> failingFirst(99, new IllegalStateException("x"), false)
                        .retry(2, cause -> asked.incrementAndGet() > 0)
                        .toList());
        assertEquals(2, asked.get());
        assertEquals(3, attempts.get());
    }

    @Test
    void retryWhenGetsAttemptNumbersFromZero() {
        List<Long> seen = new CopyOnWriteArrayList<>();
        List<String> got = failingFirst(3, new IllegalStateException("x"), false)
                .retryWhen((cause, attempt) -> {
                    seen.add(attempt);
                    return true;
                })
                .toList();
        assertEquals(List.of(0L, 1L, 2L), seen);
        assertEquals(List.of("a1", "a2", "a3", "a4", "b4"), got);
    }

    @Test
    void retryWhenMayWaitOnTheVirtualClock() {
        Timed<List<String>> t = inVirtualTime(() -> failingFirst(2, new IOException("x"), true)
                .retryWhen((cause, attempt) -> {
                    Suspend.delay(100L << attempt);
                    return true;
                })
                .toList());
        assertEquals(List.of("a1", "a2", "a3", "b3"), t.value());
        assertEquals(List.of(0L, 100L, 300L), attemptTimes);
        assertEquals(300, t.virtualMillis());
    }

    // ---- retry(Backoff): the article's retry story --------------------------------------------

    @Test
    void articleRetryStoryThreeAttemptsWithExponentialDelaysInVirtualTime() {
        Backoff backoff = Backoff.exponential(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30), 3);
        Timed<String> t = inVirtualTime(() -> {
            try {
                failingFirst(99, new IOException("service unavailable"), true)
                        .retry(backoff)
                        .toList();
                return "succeeded?";
            } catch (UncheckedIOException e) {
                return e.getCause().getMessage();
            }
        });
        assertEquals("service unavailable", t.value());
        assertEquals(3, attempts.get(), "maxAttempts counts the first attempt");
        assertEquals(List.of(0L, 1_000L, 3_000L), attemptTimes, "waits of 1 s then 2 s");
        assertEquals(3_000, t.virtualMillis(), "no wait after the last attempt");
    }

    @Test
    void backoffSucceedsOnTheThirdAttempt() {
        Backoff backoff = Backoff.exponential(Duration.ofMillis(500), 3.0, Duration.ofSeconds(1), 5);
        Timed<List<String>> t = inVirtualTime(
                () -> failingFirst(3, new IOException("x"), true).retry(backoff).toList());
        assertEquals(List.of("a1", "a2", "a3", "a4", "b4"), t.value());
        assertEquals(List.of(0L, 500L, 1_500L, 2_500L), attemptTimes, "waits 500, then 1500 capped to 1000, then 1000");
    }

    @Test
    void backoffRetriesOnlyWhatRetryOnAccepts() {
        Backoff backoff = Backoff.fixed(Duration.ofSeconds(1), 5).retryOn(e -> e instanceof IOException);
        Timed<String> t = inVirtualTime(() -> {
            try {
                failingFirst(99, new IllegalArgumentException("bad request"), true)
                        .retry(backoff)
                        .toList();
                return "no";
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        });
        assertEquals("bad request", t.value());
        assertEquals(1, attempts.get());
        assertEquals(0, t.virtualMillis());
    }

    @Test
    void backoffWithSeededJitterIsReproducible() {
        Backoff backoff = Backoff.fixed(Duration.ofSeconds(1), 3).withJitter(0.5, new java.util.SplittableRandom(7));
        Backoff same = Backoff.fixed(Duration.ofSeconds(1), 3).withJitter(0.5, new java.util.SplittableRandom(7));
        long expected = same.delayFor(0).toMillis() + same.delayFor(1).toMillis();
        Timed<List<String>> t = inVirtualTime(
                () -> failingFirst(2, new IOException("x"), true).retry(backoff).toList());
        assertEquals(4, t.value().size());
        assertEquals(expected, t.virtualMillis());
    }

    @Test
    void argumentsAreChecked() {
        AsyncFlow<Integer> f = AsyncFlow.of(1);
        assertThrows(IllegalArgumentException.class, () -> f.retry(-1));
        assertThrows(IllegalArgumentException.class, () -> f.retry(-1, c -> true));
        assertThrows(NullPointerException.class, () -> f.retry(1, null));
        assertThrows(NullPointerException.class, () -> f.retryWhen(null));
        assertThrows(NullPointerException.class, () -> f.retry((Backoff) null));
    }
}
