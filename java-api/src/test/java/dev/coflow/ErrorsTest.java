package dev.coflow;

import static dev.coflow.OperatorTestBase.fail;
import static dev.coflow.OperatorTestBase.inVirtualTime;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coflow.OperatorTestBase.Timed;
import dev.coflow.bridge.Suspend;
import dev.coflow.test.CoflowExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** catchError, onErrorReturn, onErrorResume (kotlinx Errors.kt: catch). */
class ErrorsTest {
    /** After each test, no coroutine body it started may still be running (the harness's leak check). */
    @RegisterExtension
    static final CoflowExtension COFLOW = CoflowExtension.withLeakGrace(Duration.ZERO);

    private final List<Throwable> seen = new CopyOnWriteArrayList<>();

    /** The article's flaky source: three records, then the connection drops. */
    static AsyncFlow<String> flakySource(List<String> log) {
        return AsyncFlow.generate(out -> {
            for (int i = 1; i <= 3; i++) {
                out.emit("record " + i);
            }
            log.add("source failing");
            throw new IOException("connection reset");
        });
    }

    /** A throwable rethrown from a handler declared {@code throws Exception}. */
    static <R> R rethrow(Throwable cause) throws Exception {
        if (cause instanceof Exception e) {
            throw e;
        }
        throw (Error) cause;
    }

    @Nested
    class CatchErrorBattery extends OperatorTestBase {
        protected AsyncFlow<?> apply(AsyncFlow<Integer> up) {
            return up.catchError((cause, out) -> rethrow(cause));
        }

        protected List<?> expected() {
            return List.of(1, 2, 3, 4, 5);
        }

        protected AsyncFlow<?> applyFailing(AsyncFlow<Integer> up, Exception f) {
            return up.map(v -> v == 3 ? fail(new IllegalStateException("trigger")) : v)
                    .catchError((cause, out) -> fail(f));
        }

        protected List<String> expectedOrder() {
            return oneToOne(1, 2, 3);
        }
    }

    @Test
    void flakySourceKeepsItsRecordsAndTheHandlerEmitsAFallback() {
        List<String> log = new CopyOnWriteArrayList<>();
        List<String> got = flakySource(log)
                .catchError((cause, out) -> {
                    seen.add(cause);
                    out.emit("fallback");
                    out.emit("fallback 2");
                })
                .toList();
        assertEquals(List.of("record 1", "record 2", "record 3", "fallback", "fallback 2"), got);
        assertEquals(1, seen.size());
        assertInstanceOf(IOException.class, seen.getFirst(), "checked exceptions reach the handler unwrapped");
        assertEquals("connection reset", seen.getFirst().getMessage());
    }

    @Test
    void handlerThatEmitsNothingEndsTheFlowNormally() {
        assertEquals(
                List.of("record 1", "record 2", "record 3"),
                flakySource(new CopyOnWriteArrayList<>())
                        .catchError((cause, out) -> seen.add(cause))
                        .toList());
        assertEquals(1, seen.size());
    }

    @Test
    void downstreamFailureIsNeverCaught() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> AsyncFlow.of(1, 2, 3)
                        .catchError((cause, out) -> seen.add(cause))
                        .forEach(v -> {
                            if (v == 2) {
                                throw new IllegalStateException("consumer boom");
                            }
                        }));
        assertEquals("consumer boom", e.getMessage());
        assertEquals(List.of(), seen, "catchError saw a downstream failure");
    }

    @Test
    void failureOfALaterOperatorIsNeverCaught() {
        assertThrows(
                IllegalArgumentException.class,
                () -> AsyncFlow.of(1, 2)
                        .catchError((cause, out) -> seen.add(cause))
                        .map(v -> fail(new IllegalArgumentException("map boom")))
                        .toList());
        assertEquals(List.of(), seen);
    }

    @Test
    void upstreamCancellationExceptionIsNeverHandedToTheHandler() {
        AsyncFlow<Integer> f = AsyncFlow.<Integer>generate(out -> {
                    out.emit(1);
                    throw new CancellationException("source gave up");
                })
                .catchError((cause, out) -> {
                    seen.add(cause);
                    out.emit(-1);
                });
        assertThrows(CancellationException.class, f::toList);
        assertEquals(List.of(), seen);
        assertThrows(
                CancellationException.class,
                () -> AsyncFlow.<Integer>generate(out -> {
                            throw new CancellationException("again");
                        })
                        .onErrorReturn(0)
                        .toList());
    }

    @Test
    void handlerMayWaitOnTheVirtualClock() {
        Timed<List<String>> t = inVirtualTime(() -> flakySource(new CopyOnWriteArrayList<>())
                .catchError((cause, out) -> {
                    Suspend.delay(5_000);
                    out.emit("after pause");
                })
                .toList());
        assertEquals("after pause", t.value().getLast());
        assertEquals(5_000, t.virtualMillis());
    }

    @Test
    void handlerFailureReplacesTheCauseAndCheckedOnesAreWrappedAtTheTerminal() {
        UncheckedIOException e = assertThrows(
                UncheckedIOException.class,
                () -> flakySource(new CopyOnWriteArrayList<>())
                        .catchError((cause, out) -> {
                            throw new IOException("handler failed too");
                        })
                        .toList());
        assertEquals("handler failed too", e.getCause().getMessage());
    }

    @Test
    void handlerRunsOncePerCollection() {
        AsyncFlow<String> f = flakySource(new CopyOnWriteArrayList<>()).catchError((cause, out) -> seen.add(cause));
        f.toList();
        f.toList();
        assertEquals(2, seen.size());
    }

    @Test
    void onErrorReturnEndsWithTheValue() {
        assertEquals(
                List.of("record 1", "record 2", "record 3", "n/a"),
                flakySource(new CopyOnWriteArrayList<>()).onErrorReturn("n/a").toList());
        assertEquals(List.of(1, 2), AsyncFlow.of(1, 2).onErrorReturn(0).toList(), "no failure, no fallback");
    }

    @Test
    void onErrorReturnDoesNotCatchDownstream() {
        List<Integer> got = new CopyOnWriteArrayList<>();
        assertThrows(
                IllegalStateException.class,
                () -> AsyncFlow.of(1, 2).onErrorReturn(0).forEach(v -> {
                    got.add(v);
                    throw new IllegalStateException("consumer");
                }));
        assertEquals(List.of(1), got);
    }

    @Test
    void onErrorResumeSwitchesToTheFallbackFlowWithTheCause() {
        List<String> got = flakySource(new CopyOnWriteArrayList<>())
                .onErrorResume(cause -> AsyncFlow.of("replica: " + cause.getMessage(), "replica 2"))
                .toList();
        assertEquals(List.of("record 1", "record 2", "record 3", "replica: connection reset", "replica 2"), got);
    }

    @Test
    void onErrorResumeFallbackFailureReachesTheCaller() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> flakySource(new CopyOnWriteArrayList<>())
                        .onErrorResume(cause -> AsyncFlow.generate(out -> {
                            throw new IllegalStateException("replica down");
                        }))
                        .toList());
        assertEquals("replica down", e.getMessage());
    }

    @Test
    void onErrorResumeNullFallbackIsANamedNpe() {
        NullPointerException e = assertThrows(
                NullPointerException.class,
                () -> flakySource(new CopyOnWriteArrayList<>())
                        .onErrorResume(cause -> null)
                        .toList());
        assertTrue(e.getMessage().contains("onErrorResume"), e.getMessage());
    }

    @Test
    void argumentsAreChecked() {
        AsyncFlow<Integer> f = AsyncFlow.of(1);
        assertThrows(NullPointerException.class, () -> f.catchError(null));
        assertThrows(NullPointerException.class, () -> f.onErrorReturn(null));
        assertThrows(NullPointerException.class, () -> f.onErrorResume(null));
    }
}
