package dev.coflow;

import static dev.coflow.TransformOperatorsTest.assertNpe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coflow.bridge.Coroutines;
import dev.coflow.bridge.Suspend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import kotlinx.coroutines.Job;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** onStart, onCompletion, onEmpty (kotlinx Emitters.kt). */
class EmittersOperatorsTest {

    @Nested
    class OnStart extends OperatorTestBase {
        protected AsyncFlow<?> apply(AsyncFlow<Integer> up) {
            return up.onStart(out -> out.emit(0));
        }

        protected List<?> expected() {
            return List.of(0, 1, 2, 3, 4, 5);
        }

        protected AsyncFlow<?> applyFailing(AsyncFlow<Integer> up, Exception f) {
            return up.onStart(out -> fail(f));
        }

        protected List<String> expectedOrder() {
            return List.of("got 0", "start", "emit 1", "got 1", "emit 2", "got 2", "emit 3", "got 3", "finally");
        }

        @Test
        void failingBodyNeverStartsTheUpstream() {
            assertThrows(
                    IllegalStateException.class,
                    () -> upstream(3)
                            .onStart(out -> {
                                throw new IllegalStateException("no");
                            })
                            .toList());
            assertEquals(List.of(), log);
        }

        @Test
        void bodyMayWaitAndEmitSeveralInVirtualTime() {
            Timed<List<Integer>> t = inVirtualTime(() -> AsyncFlow.of(3)
                    .onStart(out -> {
                        Suspend.delay(1_000);
                        out.emit(1);
                        out.emit(2);
                    })
                    .toList());
            assertEquals(List.of(1, 2, 3), t.value());
            assertEquals(1_000, t.virtualMillis());
        }
    }

    @Nested
    class OnCompletion extends OperatorTestBase {
        protected AsyncFlow<?> apply(AsyncFlow<Integer> up) {
            return up.onCompletion(cause -> {});
        }

        protected List<?> expected() {
            return List.of(1, 2, 3, 4, 5);
        }

        protected AsyncFlow<?> applyFailing(AsyncFlow<Integer> up, Exception f) {
            return up.onCompletion(cause -> fail(f));
        }

        protected List<String> expectedOrder() {
            return oneToOne(1, 2, 3);
        }

        private final List<Throwable> causes = new CopyOnWriteArrayList<>();

        private <T> AsyncFlow<T> recording(AsyncFlow<T> f) {
            return f.onCompletion(cause -> {
                log.add("completion");
                causes.add(cause == null ? new NullMarker() : cause);
            });
        }

        @Test
        void normalCompletionGivesNullExactlyOnceAfterTheGeneratorsFinally() {
            assertEquals(List.of(1, 2), recording(upstream(2)).toList());
            assertEquals(1, causes.size());
            assertInstanceOf(NullMarker.class, causes.getFirst());
            assertEquals("completion", log.getLast());
            assertEquals(log.indexOf("finally") + 1, log.indexOf("completion"));
        }

        @Test
        void checkedUpstreamFailureArrivesUnwrappedAndStillReachesTheCaller() {
            UncheckedIOException e = assertThrows(
                    UncheckedIOException.class,
                    () -> recording(failingUpstream(2, new IOException("disk gone")))
                            .toList());
            assertEquals("disk gone", e.getCause().getMessage());
            assertEquals(1, causes.size());
            IOException cause = assertInstanceOf(IOException.class, causes.getFirst());
            assertEquals("disk gone", cause.getMessage());
        }

        @Test
        void earlyExitGivesCancellationException() {
            assertEquals(List.of(1), recording(infiniteUpstream()).take(1).toList());
            assertEquals(1, causes.size());
            assertInstanceOf(CancellationException.class, causes.getFirst());
            assertEquals(List.of("start", "emit 1", "cancelled", "finally", "completion"), log);
        }

        @Test
        void downstreamFailureIsSeenButNotSwallowed() {
            IllegalStateException e = assertThrows(
                    IllegalStateException.class,
                    () -> recording(upstream(3)).forEach(v -> {
                        throw new IllegalStateException("consumer");
                    }));
            assertEquals("consumer", e.getMessage());
            assertEquals(1, causes.size());
            assertEquals("consumer", causes.getFirst().getMessage());
        }

        @Test
        void articleOrderCursorClosesBeforeCompletionIsReported() {
            List<String> out = new ArrayList<>();
            AsyncFlow<String> rows = AsyncFlow.generate(e -> {
                try {
                    e.emit("row 1");
                    e.emit("row 2");
                } finally {
                    out.add("Closing cursor...");
                }
            });
            rows.onCompletion(cause -> out.add("Cursor automatically closed")).forEach(out::add);
            assertEquals(List.of("row 1", "row 2", "Closing cursor...", "Cursor automatically closed"), out);
        }

        @Test
        void earlyExitIsNotCancellationOfTheCollectorSoTheActionMayStillWait() {
            // kotlinx: take() aborts the upstream with an exception but leaves the coroutine active
            Timed<List<Integer>> t = inVirtualTime(() -> infiniteUpstream()
                    .onCompletion(cause -> {
                        Suspend.delay(100);
                        log.add("waited");
                    })
                    .take(2)
                    .toList());
            assertEquals(List.of(1, 2), t.value());
            assertEquals(100, t.virtualMillis());
            assertEquals("waited", log.getLast());
        }

        @Test
        void afterRealCancellationTheActionWaitsOnlyNonCancellably() {
            Timed<String> t = inVirtualTime(() -> {
                try {
                    Coroutines.run(scope -> {
                        Job job = Suspend.context().get(Job.Key);
                        return infiniteUpstream()
                                .onCompletion(cause -> {
                                    causes.add(cause);
                                    try {
                                        Suspend.delay(10);
                                        log.add("cancellable delay returned");
                                    } catch (CancellationException expected) {
                                        log.add("cancellable delay threw");
                                    }
                                    Suspend.nonCancellable(() -> Suspend.delay(250));
                                    log.add("flushed");
                                })
                                .onEach(v -> {
                                    if (v == 2) {
                                        job.cancel((CancellationException) null);
                                    }
                                })
                                .toList();
                    });
                    return "not cancelled";
                } catch (CancellationException e) {
                    return "cancelled";
                }
            });
            assertEquals("cancelled", t.value());
            assertEquals(250, t.virtualMillis());
            assertInstanceOf(CancellationException.class, causes.getFirst());
            assertEquals(1, causes.size());
            assertTrue(log.containsAll(List.of("cancellable delay threw", "flushed")), log::toString);
        }
    }

    @Nested
    class OnEmpty extends OperatorTestBase {
        protected AsyncFlow<?> apply(AsyncFlow<Integer> up) {
            return up.onEmpty(out -> out.emit(-1));
        }

        protected List<?> expected() {
            return List.of(1, 2, 3, 4, 5);
        }

        protected List<String> expectedOrder() {
            return oneToOne(1, 2, 3);
        }

        @Test
        void emptyUpstreamRunsTheBodyWhichMayEmitAndWait() {
            Timed<List<Integer>> t = inVirtualTime(() -> upstream(0)
                    .onEmpty(out -> {
                        Suspend.delay(42);
                        out.emit(-1);
                        out.emit(-2);
                    })
                    .toList());
            assertEquals(List.of(-1, -2), t.value());
            assertEquals(42, t.virtualMillis());
            assertEquals(List.of("start", "finally"), log);
        }

        @Test
        void bodyFailureReachesTheCaller() {
            UncheckedIOException e = assertThrows(
                    UncheckedIOException.class,
                    () -> AsyncFlow.<Integer>empty()
                            .onEmpty(out -> fail(new IOException("nothing")))
                            .toList());
            assertEquals("nothing", e.getCause().getMessage());
        }

        @Test
        void nonEmptyUpstreamNeverRunsTheBody() {
            int[] runs = {0};
            assertEquals(List.of(7), AsyncFlow.of(7).onEmpty(out -> runs[0]++).toList());
            assertEquals(0, runs[0]);
        }
    }

    /** Stands in for a {@code null} cause in a list. */
    private static final class NullMarker extends Throwable {}

    @Test
    void nullLambdasAreRejectedNamingTheArgument() {
        AsyncFlow<Integer> f = AsyncFlow.of(1);
        assertNpe("body", () -> f.onStart(null));
        assertNpe("action", () -> f.onCompletion(null));
        assertNpe("body", () -> f.onEmpty(null));
    }
}
