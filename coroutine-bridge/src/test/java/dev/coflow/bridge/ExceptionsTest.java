package dev.coflow.bridge;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Values and exception types crossing the bridge in both directions. */
class ExceptionsTest {

    /** kotlinx debug mode (on under -ea) may hand back a copy whose cause is the original. */
    static <T extends Throwable> T assertSameKind(Class<T> type, String message, Throwable actual) {
        T t = assertInstanceOf(type, actual);
        assertEquals(message, t.getMessage());
        return t;
    }

    @Test
    void runReturnsValuesIncludingNull() {
        assertEquals("v", Coroutines.run(scope -> "v"));
        assertNull(Coroutines.run(scope -> null));
        assertNull(Coroutines.run(scope -> Suspend.call(c -> null)));
    }

    @Test
    void runRethrowsUncheckedExceptionsUnchanged() {
        var e = assertThrows(
                IllegalStateException.class,
                () -> Coroutines.run(scope -> {
                    Suspend.delay(1);
                    throw new IllegalStateException("broken");
                }));
        assertEquals("broken", e.getMessage());
    }

    @Test
    void runWrapsIOExceptionAsUncheckedIOException() {
        var e = assertThrows(
                UncheckedIOException.class,
                () -> Coroutines.run(scope -> {
                    Suspend.delay(1);
                    throw new IOException("disk gone");
                }));
        assertSameKind(IOException.class, "disk gone", e.getCause());
        assertEquals("disk gone", e.getMessage());
    }

    @Test
    void runWrapsOtherCheckedExceptionsAsCompletionException() {
        var e = assertThrows(
                CompletionException.class,
                () -> Coroutines.run(scope -> {
                    throw new TimeoutException("too slow");
                }));
        assertSameKind(TimeoutException.class, "too slow", e.getCause());
    }

    @Test
    void runRethrowsErrorsUnchanged() {
        var e = assertThrows(
                AssertionError.class,
                () -> Coroutines.run(scope -> {
                    Suspend.delay(1);
                    throw new AssertionError("inner");
                }));
        assertEquals("inner", e.getMessage());
    }

    @Test
    void checkedExceptionFromAChildReachesTheCallerWrapped() {
        var e = assertThrows(
                UncheckedIOException.class,
                () -> Coroutines.run(scope -> {
                    scope.launch(() -> {
                        throw new IOException("child io");
                    });
                    return 1;
                }));
        assertSameKind(IOException.class, "child io", e.getCause());
    }

    @Test
    void insideABodyNestedRunRethrowsTheOriginalCheckedException() {
        // Only the outermost blocking call wraps; inside a body the original propagates, as in Kotlin.
        String seen = Coroutines.run(scope -> {
            try {
                Coroutines.run(inner -> {
                    throw new IOException("nested");
                });
                return "no exception";
            } catch (Exception e) {
                return e.getClass().getSimpleName() + ":" + e.getMessage();
            }
        });
        assertEquals("IOException:nested", seen);
    }

    @Test
    void suspendAwaitRethrowsTheOriginalCheckedException() {
        String seen = Coroutines.run(scope -> {
            try {
                Suspend.await(CompletableFuture.failedFuture(new IOException("read failed")));
                return "no exception";
            } catch (Exception e) {
                return e.getClass().getSimpleName() + ":" + e.getMessage();
            }
        });
        assertEquals("IOException:read failed", seen);
    }

    @Test
    void suspendCallRethrowsTheOriginalCheckedException() {
        String seen = Coroutines.run(scope -> {
            try {
                Suspend.call(c -> {
                    throw new IOException("sync throw");
                });
                return "no exception";
            } catch (Exception e) {
                return e.getClass().getSimpleName() + ":" + e.getMessage();
            }
        });
        assertEquals("IOException:sync throw", seen);
    }

    @Test
    void taskAwaitRethrowsTheChildFailureAndTheScopeFailsToo() {
        String[] seen = new String[1];
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> Coroutines.run(scope -> {
                    Task<Integer> t = scope.async(() -> {
                        throw new IllegalArgumentException("bad child");
                    });
                    try {
                        return t.await();
                    } catch (IllegalArgumentException ex) {
                        seen[0] = ex.getMessage();
                        throw ex;
                    }
                }));
        assertEquals("bad child", e.getMessage());
        assertEquals("bad child", seen[0]);
    }

    @Test
    void startCompletesTheFutureWithTheOriginalException() throws Exception {
        CompletableFuture<Object> f = Coroutines.start(scope -> {
            Suspend.delay(1);
            throw new IOException("async io");
        });
        var e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        assertSameKind(IOException.class, "async io", e.getCause());
        assertTrue(f.isCompletedExceptionally());
    }

    @Test
    void startCompletesTheFutureWithTheValue() throws Exception {
        CompletableFuture<String> f = Coroutines.start(scope -> {
            Task<String> a = scope.async(() -> "a");
            Suspend.delay(1);
            return a.await() + "b";
        });
        assertEquals("ab", f.get(10, TimeUnit.SECONDS));
    }

    @Test
    void outsideACoroutineSuspendCallRethrowsTheOriginal() {
        var e = assertThrows(
                IOException.class,
                () -> Suspend.call(c -> {
                    throw new IOException("outside");
                }));
        assertEquals("outside", e.getMessage());
        var e2 = assertThrows(
                IOException.class,
                () -> Suspend.await(CompletableFuture.failedFuture(new IOException("outside await"))));
        assertEquals("outside await", e2.getMessage());
    }
}
