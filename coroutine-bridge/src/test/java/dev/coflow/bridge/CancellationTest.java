package dev.coflow.bridge;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Cancellation reaching Java bodies from every side, and their cleanup. */
class CancellationTest {

    @Test
    void cancellingTheScopeCancelsChildrenAndRunsTheirFinallyBeforeRunReturns() {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        assertThrows(
                CancellationException.class,
                () -> Coroutines.run(scope -> {
                    // Coroutines.run's children run on Dispatchers.Default: wait until each one has
                    // started (yieldNow alone does not promise that) before cancelling the scope.
                    java.util.concurrent.atomic.AtomicInteger started = new java.util.concurrent.atomic.AtomicInteger();
                    java.util.concurrent.CompletableFuture<Void> allStarted =
                            new java.util.concurrent.CompletableFuture<>();
                    for (int i = 0; i < 3; i++) {
                        int id = i;
                        scope.launch(() -> {
                            try {
                                if (started.incrementAndGet() == 3) {
                                    allStarted.complete(null);
                                }
                                Suspend.delay(Long.MAX_VALUE);
                            } finally {
                                log.add("finally " + id);
                            }
                        });
                    }
                    Suspend.await(allStarted);
                    scope.cancel();
                    assertFalse(scope.isActive());
                    assertFalse(Suspend.isActive());
                    Suspend.delay(10_000); // the body's own next suspension throws
                    return "unreachable";
                }));
        assertEquals(3, log.size(), log.toString());
        assertEquals(0, Coroutines.activeBodies());
    }

    @Test
    void failingChildCancelsSiblingsAndTheParentRethrows() {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        var e = assertThrows(
                IllegalStateException.class,
                () -> Coroutines.run(scope -> {
                    scope.launch(() -> {
                        try {
                            Suspend.delay(Long.MAX_VALUE);
                        } catch (CancellationException ce) {
                            log.add("sibling cancelled");
                            throw ce;
                        }
                    });
                    scope.launch(() -> {
                        Suspend.yieldNow();
                        throw new IllegalStateException("child failed");
                    });
                    try {
                        Suspend.delay(Long.MAX_VALUE);
                    } catch (CancellationException ce) {
                        log.add("parent cancelled");
                        throw ce;
                    }
                    return null;
                }));
        assertEquals("child failed", e.getMessage());
        assertTrue(log.containsAll(List.of("sibling cancelled", "parent cancelled")), log.toString());
    }

    @Test
    void cancellingOneTaskLeavesTheParentAndSiblingsRunning() {
        String v = Coroutines.run(scope -> {
            Task<String> victim = scope.async(() -> {
                Suspend.delay(Long.MAX_VALUE);
                return "never";
            });
            Task<String> sibling = scope.async(() -> {
                Suspend.delay(1);
                return "sibling";
            });
            Suspend.yieldNow();
            victim.cancel();
            assertThrows(CancellationException.class, victim::await);
            assertTrue(victim.isCancelled());
            assertTrue(victim.isDone());
            assertTrue(Suspend.isActive());
            return sibling.await();
        });
        assertEquals("sibling", v);
    }

    @Test
    void cancellingTheFutureOfStartCancelsTheBodyAndRunsFinally() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch cleaned = new CountDownLatch(1);
        CompletableFuture<String> f = Coroutines.start(scope -> {
            try {
                started.countDown();
                Suspend.delay(Long.MAX_VALUE);
                return "never";
            } finally {
                cleaned.countDown();
            }
        });
        assertTrue(started.await(10, TimeUnit.SECONDS));
        assertTrue(f.cancel(true));
        assertTrue(cleaned.await(10, TimeUnit.SECONDS), "the body's finally must run after future.cancel");
        assertThrows(CancellationException.class, f::join);
    }

    @Test
    void cancellationIsVisibleToEnsureActiveAndIsActive() {
        VirtualClock clock = new VirtualClock();
        List<String> log = new ArrayList<>();
        var f = clock.start(scope -> {
            Suspend.ensureActive();
            log.add("active=" + Suspend.isActive());
            scope.cancel();
            log.add("active=" + Suspend.isActive());
            try {
                Suspend.ensureActive();
            } catch (CancellationException e) {
                log.add("ensureActive threw");
                throw e;
            }
            return null;
        });
        clock.advanceUntilIdle();
        assertTrue(f.isCompletedExceptionally());
        assertEquals(List.of("active=true", "active=false", "ensureActive threw"), log);
    }

    @Test
    void aBodyThatSwallowsCancellationCannotSuspendAgain() {
        VirtualClock clock = new VirtualClock();
        List<String> log = new ArrayList<>();
        var f = clock.start(scope -> {
            try {
                Suspend.delay(1_000);
            } catch (CancellationException swallowed) {
                log.add("swallowed");
            }
            try {
                Suspend.delay(1);
                log.add("delayed again");
            } catch (CancellationException again) {
                log.add("still cancelled");
            }
            try {
                // As in compiled Kotlin: awaiting an already-completed future does not suspend,
                // so it returns even in a cancelled coroutine (kotlinx's await fast path).
                Suspend.await(CompletableFuture.completedFuture("x"));
                log.add("awaited again");
            } catch (CancellationException again) {
                log.add("await still cancelled");
            }
            try {
                Suspend.yieldNow();
                log.add("yielded");
            } catch (CancellationException again) {
                log.add("yield still cancelled");
            }
            return "returned";
        });
        clock.advanceTimeBy(10);
        f.cancel(true);
        clock.advanceUntilIdle();
        assertEquals(List.of("swallowed", "still cancelled", "awaited again", "yield still cancelled"), log);
        assertEquals(0, Coroutines.activeBodies());
    }

    @Test
    void nonCancellableCleanupStillWaitsAfterCancellation() {
        VirtualClock clock = new VirtualClock();
        List<String> log = new ArrayList<>();
        var f = clock.start(scope -> {
            try {
                Suspend.delay(10_000);
                return "never";
            } finally {
                log.add("cleanup starts@" + clock.now());
                Suspend.nonCancellable(() -> {
                    Suspend.ensureActive(); // does not throw while non-cancellable
                    Suspend.delay(200); // still waits, on the virtual clock
                    log.add("flushed@" + clock.now());
                });
                String closed =
                        Suspend.nonCancellable(() -> Suspend.await(CompletableFuture.completedFuture("closed")));
                log.add(closed);
                try {
                    Suspend.delay(1);
                    log.add("cancellable delay after cleanup did not throw");
                } catch (CancellationException expected) {
                    log.add("cancellable again");
                }
            }
        });
        clock.advanceTimeBy(500);
        f.cancel(true);
        clock.advanceUntilIdle();
        assertEquals(List.of("cleanup starts@500", "flushed@700", "closed", "cancellable again"), log);
        assertEquals(700, clock.now());
    }

    @Test
    void nonCancellableWaitsBeforeTheCancelledRunReturns() {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<String> slowClose = new CompletableFuture<>();
        assertThrows(
                IllegalStateException.class,
                () -> Coroutines.run(scope -> {
                    scope.launch(() -> {
                        try {
                            Suspend.delay(Long.MAX_VALUE);
                        } finally {
                            log.add(Suspend.nonCancellable(() -> Suspend.await(slowClose)));
                        }
                    });
                    scope.launch(() -> {
                        Suspend.yieldNow();
                        Thread.ofVirtual().start(() -> slowClose.complete("closed"));
                        throw new IllegalStateException("trigger");
                    });
                    return null;
                }));
        assertEquals(List.of("closed"), log);
    }

    @Test
    void nonCancellableRethrowsTheBodyException() {
        String seen = Coroutines.run(scope -> {
            try {
                Suspend.nonCancellable(() -> {
                    throw new java.io.IOException("flush failed");
                });
                return "no exception";
            } catch (Exception e) {
                return e.getClass().getSimpleName() + ":" + e.getMessage();
            }
        });
        assertEquals("IOException:flush failed", seen);
        // Outside a coroutine it simply runs the body.
        assertEquals(5, (int) Suspend.nonCancellable(() -> 5));
    }

    @Test
    void cancellationReachesABodyBlockedInKotlinCode() {
        VirtualClock clock = new VirtualClock();
        var ch = kotlinx.coroutines.channels.ChannelKt.<String>Channel(
                0, kotlinx.coroutines.channels.BufferOverflow.SUSPEND, null);
        List<String> log = new ArrayList<>();
        var f = clock.start(scope -> {
            try {
                return Suspend.call(ch::receive);
            } catch (CancellationException e) {
                log.add("receive cancelled");
                throw e;
            }
        });
        clock.advanceTimeBy(100);
        f.cancel(true);
        clock.advanceUntilIdle();
        assertEquals(List.of("receive cancelled"), log);
    }
}
