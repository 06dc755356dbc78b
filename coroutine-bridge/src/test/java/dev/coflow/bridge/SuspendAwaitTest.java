package dev.coflow.bridge;

import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link Suspend#await}: values, failures, cancellation in both directions. */
class SuspendAwaitTest {

    @Test
    void completedStageReturnsItsValue() {
        int seven = Coroutines.run(scope -> Suspend.await(CompletableFuture.completedStage(7)));
        assertEquals(7, seven);
        assertNull(Coroutines.run(scope -> Suspend.await(CompletableFuture.completedFuture(null))));
    }

    @Test
    void stageCompletedLaterByAnotherThread() {
        CompletableFuture<String> f = new CompletableFuture<>();
        String v = Coroutines.run(scope -> {
            scope.launch(() -> {
                Suspend.yieldNow();
                Thread.ofPlatform().start(() -> f.complete("from elsewhere"));
            });
            return Suspend.await(f.thenApply(s -> s + "!"));
        });
        assertEquals("from elsewhere!", v);
    }

    @Test
    void cancelledStageThrowsCancellationException() {
        CompletableFuture<String> f = new CompletableFuture<>();
        f.cancel(false);
        String seen = Coroutines.run(scope -> {
            try {
                Suspend.await(f);
                return "no exception";
            } catch (CancellationException e) {
                return "cancelled";
            }
        });
        assertEquals("cancelled", seen);
    }

    @Test
    void cancellingTheCoroutineCancelsTheAwaitedFuture() {
        CountDownLatch awaiting = new CountDownLatch(1);
        // Counts down only once the await has really registered on the future (kotlinx's await
        // attaches with handle), so the sibling cannot fail before the child is waiting.
        CompletableFuture<String> never = new CompletableFuture<>() {
            @Override
            public <U> CompletableFuture<U> handle(
                    java.util.function.BiFunction<? super String, Throwable, ? extends U> fn) {
                CompletableFuture<U> r = super.handle(fn);
                awaiting.countDown();
                return r;
            }
        };
        assertThrows(
                IllegalStateException.class,
                () -> Coroutines.run(scope -> {
                    scope.launch(() -> Suspend.await(never));
                    scope.launch(() -> {
                        Suspend.await(CompletableFuture.runAsync(() -> {
                            try {
                                awaiting.await(10, java.util.concurrent.TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }));
                        throw new IllegalStateException("sibling failed");
                    });
                    return null;
                }));
        assertTrue(never.isCancelled(), "the future a cancelled coroutine awaited must be cancelled");
    }

    @Test
    void cancellingTheFutureOfStartCancelsTheAwaitedFutureToo() throws Exception {
        VirtualClock clock = new VirtualClock();
        CompletableFuture<String> never = new CompletableFuture<>();
        var f = clock.start(scope -> Suspend.await(never));
        clock.advanceUntilIdle();
        assertFalse(f.isDone());
        f.cancel(true);
        clock.advanceUntilIdle();
        assertTrue(never.isCancelled());
    }

    @Test
    void outsideACoroutineAwaitBlocksUntilDone() {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> f.complete(3));
        assertEquals(3, Suspend.await(f));
    }

    @Test
    void outsideACoroutineInterruptCancelsTheWaitAndKeepsTheFlag() throws Exception {
        CompletableFuture<Integer> never = new CompletableFuture<>();
        Throwable[] thrown = new Throwable[1];
        boolean[] flag = new boolean[1];
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                Suspend.await(never);
            } catch (Throwable e) {
                thrown[0] = e;
                flag[0] = Thread.currentThread().isInterrupted();
            }
        });
        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TERMINATED) {
            Thread.onSpinWait();
        }
        t.interrupt();
        assertTrue(t.join(java.time.Duration.ofSeconds(10)));
        assertInstanceOf(CancellationException.class, thrown[0]);
        assertTrue(flag[0], "interrupt flag must be restored");
        assertTrue(never.isCancelled());
    }

    @Test
    void awaitTimesOutNeverOnItsOwn() throws Exception {
        // await has no timeout of its own; it returns as soon as the future completes.
        CompletableFuture<String> f = new CompletableFuture<>();
        CompletableFuture<String> r = Coroutines.start(scope -> Suspend.await(f));
        assertFalse(r.isDone());
        f.complete("late");
        assertEquals("late", r.get(10, TimeUnit.SECONDS));
    }
}
