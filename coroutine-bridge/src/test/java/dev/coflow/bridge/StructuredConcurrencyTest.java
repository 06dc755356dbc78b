package dev.coflow.bridge;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import kotlinx.coroutines.CoroutineName;
import org.junit.jupiter.api.Test;

/** {@link Coroutines#run}, {@link TaskScope}, {@link Task} and {@link Coroutines#gather}. */
class StructuredConcurrencyTest {

    @Test
    void asyncChildrenRunConcurrentlyAndAwaitReturnsTheirValues() {
        VirtualClock clock = new VirtualClock();
        int sum = clock.run(scope -> {
            Task<Integer> a = scope.async(() -> {
                Suspend.delay(1_000);
                return 1;
            });
            Task<Integer> b = scope.async(() -> {
                Suspend.delay(1_000);
                return 2;
            });
            return a.await() + b.await();
        });
        assertEquals(3, sum);
        assertEquals(1_000, clock.now(), "two 1 s children side by side take 1 s, not 2 s");
    }

    @Test
    void runReturnsOnlyAfterEveryChildFinished() {
        AtomicBoolean childDone = new AtomicBoolean();
        String v = Coroutines.run(scope -> {
            scope.launch(() -> {
                Suspend.delay(5);
                childDone.set(true);
            });
            return "body done";
        });
        assertEquals("body done", v);
        assertTrue(childDone.get(), "no child outlives its scope");
    }

    @Test
    void taskHandleStates() {
        Coroutines.run(scope -> {
            java.util.concurrent.CompletableFuture<Void> gate = new CompletableFuture<>();
            Task<String> t = scope.async(() -> {
                Suspend.await(gate);
                return "ok";
            });
            Suspend.yieldNow();
            assertTrue(t.isActive());
            assertFalse(t.isDone());
            gate.complete(null);
            assertEquals("ok", t.await());
            assertFalse(t.isActive());
            assertTrue(t.isDone());
            assertFalse(t.isCancelled());
            assertNotNull(t.deferred());
            assertTrue(t.toString().startsWith("Task["));
            return null;
        });
    }

    @Test
    void joinWaitsWithoutRethrowingCancellation() {
        List<String> log = new ArrayList<>();
        Coroutines.run(scope -> {
            CompletableFuture<Void> started = new CompletableFuture<>();
            Task<Void> t = scope.launch(() -> {
                try {
                    started.complete(null);
                    Suspend.delay(Long.MAX_VALUE);
                } finally {
                    log.add("child finally");
                }
            });
            Suspend.await(started); // children run on Default: yieldNow would not promise a start
            t.cancel();
            t.join();
            log.add("joined");
            return null;
        });
        assertEquals(List.of("child finally", "joined"), log);
    }

    @Test
    void toCompletableFutureCompletesWithTheValueAndCancelsTheChild() throws Exception {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        String v = Coroutines.run(scope -> {
            Task<String> quick = scope.async(() -> "quick");
            CompletableFuture<Void> slowStarted = new CompletableFuture<>();
            Task<String> slow = scope.async(() -> {
                try {
                    slowStarted.complete(null);
                    Suspend.delay(Long.MAX_VALUE);
                    return "never";
                } finally {
                    log.add("slow finally");
                }
            });
            CompletableFuture<String> qf = quick.toCompletableFuture();
            Suspend.await(slowStarted);
            slow.toCompletableFuture().cancel(true);
            slow.join();
            assertTrue(slow.isCancelled());
            return Suspend.await(qf);
        });
        assertEquals("quick", v);
        assertEquals(List.of("slow finally"), log);
    }

    @Test
    void nestedRunIsACoroutineScopeInsideTheBody() {
        VirtualClock clock = new VirtualClock();
        List<String> log = new ArrayList<>();
        String v = clock.run(scope -> {
            String inner = Coroutines.run(innerScope -> {
                innerScope.launch(() -> {
                    Suspend.delay(300);
                    log.add("inner child@" + clock.now());
                });
                log.add("inner body returns@" + clock.now());
                return "inner";
            });
            log.add("after inner run@" + clock.now());
            return inner + "+outer";
        });
        assertEquals("inner+outer", v);
        assertEquals(List.of("inner body returns@0", "inner child@300", "after inner run@300"), log);
    }

    @Test
    void nestedRunFailureCancelsOnlyItsOwnChildrenWhenCaught() {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        String v = Coroutines.run(scope -> {
            Task<String> outerChild = scope.async(() -> {
                Suspend.delay(5);
                return "outer child survived";
            });
            try {
                Coroutines.run(inner -> {
                    inner.launch(() -> {
                        try {
                            Suspend.delay(Long.MAX_VALUE);
                        } finally {
                            log.add("inner sibling cancelled");
                        }
                    });
                    inner.launch(() -> {
                        Suspend.yieldNow();
                        throw new IllegalStateException("inner failure");
                    });
                    return null;
                });
            } catch (IllegalStateException e) {
                log.add("caught " + e.getMessage());
            }
            return outerChild.await();
        });
        assertEquals("outer child survived", v);
        assertEquals(List.of("inner sibling cancelled", "caught inner failure"), log);
    }

    @Test
    void runWithContextAddsElementsAndNestedRunWithContextIsWithContext() {
        String[] names = new String[3];
        Coroutines.run(new CoroutineName("outer"), scope -> {
            names[0] = Suspend.context().get(CoroutineName.Key).getName();
            Coroutines.run(new CoroutineName("inner"), inner -> {
                names[1] = Suspend.context().get(CoroutineName.Key).getName();
                Task<String> t = inner.async(
                        new CoroutineName("child"),
                        () -> Suspend.context().get(CoroutineName.Key).getName());
                names[2] = t.await();
                return null;
            });
            return null;
        });
        assertArrayEquals(new String[] {"outer", "inner", "child"}, names);
        assertSame(kotlin.coroutines.EmptyCoroutineContext.INSTANCE, Suspend.context());
    }

    @Test
    void scopeExposesItsKotlinxScopeAndContext() {
        Coroutines.run(scope -> {
            assertSame(scope.context(), scope.coroutineScope().getCoroutineContext());
            assertTrue(scope.isActive());
            assertTrue(Suspend.inCoroutine());
            return null;
        });
        assertFalse(Suspend.inCoroutine());
    }

    @Test
    void gatherReturnsResultsInArgumentOrderNotCompletionOrder() {
        CompletableFuture<Void> secondDone = new CompletableFuture<>();
        List<String> completion = Collections.synchronizedList(new ArrayList<>());
        List<String> r = Coroutines.gather(
                () -> {
                    Suspend.await(secondDone);
                    completion.add("first");
                    return "a";
                },
                () -> {
                    completion.add("second");
                    secondDone.complete(null);
                    return "b";
                },
                () -> "c");
        assertEquals(List.of("a", "b", "c"), r);
        assertEquals(List.of("second", "first"), completion);
    }

    @Test
    void gatherInVirtualTimeRunsBodiesConcurrently() {
        VirtualClock clock = new VirtualClock();
        List<Integer> r = clock.run(scope -> Coroutines.gather(List.of(
                () -> {
                    Suspend.delay(300);
                    return 3;
                },
                () -> {
                    Suspend.delay(100);
                    return 1;
                },
                () -> {
                    Suspend.delay(200);
                    return 2;
                })));
        assertEquals(List.of(3, 1, 2), r);
        assertEquals(300, clock.now());
    }

    @Test
    void gatherOfNothingIsEmpty() {
        assertEquals(List.of(), Coroutines.gather(List.of()));
        assertEquals(List.of(), Coroutines.<String>gather());
    }

    @Test
    void gatherFailureCancelsTheOthersAndIsRethrown() {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        var e = assertThrows(
                IllegalStateException.class,
                () -> Coroutines.gather(
                        () -> {
                            try {
                                Suspend.delay(Long.MAX_VALUE);
                                return "never";
                            } catch (CancellationException ce) {
                                log.add("other cancelled");
                                throw ce;
                            }
                        },
                        () -> {
                            Suspend.yieldNow();
                            throw new IllegalStateException("gather member failed");
                        }));
        assertEquals("gather member failed", e.getMessage());
        assertEquals(List.of("other cancelled"), log);
    }

    @Test
    void gatherWrapsCheckedFailuresOutsideAndNotInside() {
        var e = assertThrows(
                UncheckedIOException.class,
                () -> Coroutines.gather(() -> {
                    throw new IOException("gathered io");
                }));
        assertEquals("gathered io", e.getCause().getMessage());
        String inside = Coroutines.run(scope -> {
            try {
                Coroutines.gather(() -> {
                    throw new IOException("inner io");
                });
                return "none";
            } catch (Exception ex) { // sneaky: javac cannot see the checked exception
                return ex.getClass().getSimpleName() + ":" + ex.getMessage();
            }
        });
        assertEquals("IOException:inner io", inside);
    }

    @Test
    void startRunsChildrenInItsOwnScope() throws Exception {
        CompletableFuture<List<Integer>> f = Coroutines.start(scope -> {
            Task<Integer> a = scope.async(() -> 1);
            Task<Integer> b = scope.async(() -> {
                Suspend.delay(1);
                return 2;
            });
            return List.of(a.await(), b.await());
        });
        assertEquals(List.of(1, 2), f.get(10, TimeUnit.SECONDS));
    }

    @Test
    void taskAwaitOutsideTheBodyBlocks() throws Exception {
        // A handle leaked out of its scope still answers, from any thread, as plain blocking code.
        Task<String>[] leaked = newTaskArray();
        Coroutines.run(scope -> {
            leaked[0] = scope.async(() -> "kept");
            return null;
        });
        assertEquals("kept", leaked[0].await());
        leaked[0].join();
        assertEquals("kept", leaked[0].toCompletableFuture().get(10, TimeUnit.SECONDS));
    }

    @SuppressWarnings("unchecked")
    private static Task<String>[] newTaskArray() {
        return (Task<String>[]) new Task<?>[1];
    }
}
