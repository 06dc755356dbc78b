package dev.coflow.bridge;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import kotlin.Unit;
import kotlinx.coroutines.DelayKt;
import kotlinx.coroutines.TimeoutCancellationException;
import kotlinx.coroutines.TimeoutKt;
import kotlinx.coroutines.channels.BufferOverflow;
import kotlinx.coroutines.channels.Channel;
import kotlinx.coroutines.channels.ChannelKt;
import kotlinx.coroutines.channels.ClosedReceiveChannelException;
import kotlinx.coroutines.sync.Mutex;
import kotlinx.coroutines.sync.MutexKt;
import org.junit.jupiter.api.Test;

/** {@link Suspend#call} with real kotlinx suspend functions. */
class SuspendCallTest {

    @Test
    void kotlinDelayReturnsUnitAndUsesTheCoroutineClock() {
        VirtualClock clock = new VirtualClock();
        Object u = clock.run(scope -> Suspend.call(c -> DelayKt.delay(1_500, c)));
        assertSame(Unit.INSTANCE, u);
        assertEquals(1_500, clock.now());
    }

    @Test
    void rendezvousChannelSendAndReceiveBetweenTwoBodies() {
        Channel<Integer> ch = ChannelKt.Channel(Channel.RENDEZVOUS, BufferOverflow.SUSPEND, null);
        List<Integer> got = Coroutines.run(scope -> {
            scope.launch(() -> {
                for (int i = 1; i <= 5; i++) {
                    int v = i;
                    Suspend.call(c -> ch.send(v, c));
                }
                ch.close(null);
            });
            List<Integer> out = new ArrayList<>();
            for (; ; ) {
                try {
                    out.add(Suspend.call(ch::receive));
                } catch (ClosedReceiveChannelException closed) {
                    return out;
                }
            }
        });
        assertEquals(List.of(1, 2, 3, 4, 5), got);
    }

    @Test
    void bufferedChannelDropOldestKeepsTheNewest() {
        Channel<String> ch = ChannelKt.Channel(2, BufferOverflow.DROP_OLDEST, null);
        List<String> got = Coroutines.run(scope -> {
            for (String s : List.of("a", "b", "c", "d")) {
                Suspend.call(c -> ch.send(s, c)); // never suspends with DROP_OLDEST
            }
            return List.of(Suspend.call(ch::receive), Suspend.call(ch::receive));
        });
        assertEquals(List.of("c", "d"), got);
    }

    @Test
    void receiveSuspendsUntilAKotlinCoroutineSends() {
        VirtualClock clock = new VirtualClock();
        Channel<String> ch = ChannelKt.Channel(Channel.RENDEZVOUS, BufferOverflow.SUSPEND, null);
        String got = clock.run(scope -> {
            scope.launch(() -> {
                Suspend.delay(1_000);
                Suspend.call(c -> ch.send("late", c));
            });
            String v = Suspend.call(ch::receive);
            return v + "@" + clock.now();
        });
        assertEquals("late@1000", got);
    }

    @Test
    void withTimeoutReturnsTheBlockValueWhenInTime() {
        VirtualClock clock = new VirtualClock();
        String v = clock.run(scope -> Suspend.call(c -> TimeoutKt.withTimeout(
                1_000,
                (s, c2) -> Coroutines.runSuspending(
                        () -> {
                            Suspend.delay(999);
                            return "in time";
                        },
                        c2),
                c)));
        assertEquals("in time", v);
        assertEquals(999, clock.now());
    }

    @Test
    void withTimeoutCancelsAJavaBodyAndRunsItsFinally() {
        VirtualClock clock = new VirtualClock();
        List<String> log = new ArrayList<>();
        String v = clock.run(scope -> {
            try {
                Suspend.call(c -> TimeoutKt.withTimeout(
                        500,
                        (s, c2) -> Coroutines.runSuspending(
                                () -> {
                                    try {
                                        Suspend.delay(10_000);
                                        return "too late";
                                    } catch (CancellationException e) {
                                        log.add("cancelled@" + clock.now());
                                        throw e;
                                    } finally {
                                        log.add("finally");
                                    }
                                },
                                c2),
                        c));
                return "no timeout";
            } catch (TimeoutCancellationException e) {
                log.add("timeout seen");
                return "timed out@" + clock.now();
            }
        });
        assertEquals("timed out@500", v);
        assertEquals(List.of("cancelled@500", "finally", "timeout seen"), log);
        assertEquals(0, Coroutines.activeBodies());
    }

    @Test
    void uncaughtWithTimeoutFailsTheRunWithTimeoutCancellationException() {
        VirtualClock clock = new VirtualClock();
        var f = clock.start(scope ->
                Suspend.call(c -> TimeoutKt.withTimeout(100, (s, c2) -> DelayKt.delay(200, c2), c)));
        clock.advanceUntilIdle();
        var e = assertThrows(CancellationException.class, f::join);
        assertEquals(100, clock.now());
        assertTrue(f.isCancelled() || f.isCompletedExceptionally());
        assertNotNull(e);
    }

    @Test
    void withTimeoutOrNullReturnsNull() {
        VirtualClock clock = new VirtualClock();
        Object v = clock.run(scope ->
                Suspend.call(c -> TimeoutKt.withTimeoutOrNull(100, (s, c2) -> DelayKt.delay(200, c2), c)));
        assertNull(v);
        assertEquals(100, clock.now());
    }

    @Test
    void mutexGivesMutualExclusionAcrossSuspension() {
        Mutex mutex = MutexKt.Mutex(false);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        int[] counter = {0};
        Coroutines.run(scope -> {
            for (int i = 0; i < 8; i++) {
                scope.launch(() -> {
                    for (int j = 0; j < 10; j++) {
                        Suspend.call(c -> mutex.lock(null, c));
                        try {
                            maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                            int read = counter[0];
                            Suspend.yieldNow(); // suspend while holding the lock
                            counter[0] = read + 1;
                            inside.decrementAndGet();
                        } finally {
                            mutex.unlock(null);
                        }
                    }
                });
            }
            return null;
        });
        assertEquals(80, counter[0]);
        assertEquals(1, maxInside.get());
        assertFalse(mutex.isLocked());
    }

    @Test
    void mutexLockIsCancellable() {
        VirtualClock clock = new VirtualClock();
        Mutex mutex = MutexKt.Mutex(true); // locked by nobody we run
        var f = clock.start(scope -> Suspend.call(c -> mutex.lock(null, c)));
        clock.advanceTimeBy(1_000);
        assertFalse(f.isDone());
        f.cancel(true);
        clock.advanceUntilIdle();
        assertTrue(f.isCancelled());
        assertTrue(mutex.isLocked());
        assertEquals(0, Coroutines.activeBodies());
    }

    @Test
    void outsideACoroutineCallRunsInRunBlocking() {
        assertFalse(Suspend.inCoroutine());
        assertSame(Unit.INSTANCE, Suspend.call(c -> DelayKt.delay(1, c)));
        Channel<String> ch = ChannelKt.Channel(1, BufferOverflow.SUSPEND, null);
        Suspend.call(c -> ch.send("x", c));
        assertEquals("x", Suspend.call(ch::receive));
    }

    @Test
    void callRunsInTheOwningCoroutine() {
        Thread[] threads = new Thread[2];
        Object[] jobs = new Object[2];
        Coroutines.run(scope -> {
            threads[0] = Thread.currentThread();
            jobs[0] = scope.context().get(kotlinx.coroutines.Job.Key);
            threads[1] = Suspend.call(c -> {
                jobs[1] = c.getContext().get(kotlinx.coroutines.Job.Key);
                return Thread.currentThread();
            });
            return null;
        });
        assertTrue(threads[0].isVirtual(), "the body runs on a virtual thread");
        assertSame(jobs[0], jobs[1], "the call is made with the owning coroutine's continuation");
        assertNotSame(Thread.currentThread(), threads[1], "the caller of run() only waits");
        // Coroutines.run's coroutines live on Dispatchers.Default, where the body may make the call
        // itself (no handoff) or a Default worker makes it.
        assertTrue(
                threads[1] == threads[0] || threads[1].getName().startsWith("DefaultDispatcher-worker"),
                threads[1].getName());
    }

    @Test
    void withAnEventLoopDispatcherTheCallRunsOnThatLoopsThread() throws Exception {
        java.util.concurrent.ExecutorService single = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            kotlinx.coroutines.CoroutineDispatcher d = kotlinx.coroutines.ExecutorsKt.from(single);
            Thread loop = single.submit(Thread::currentThread).get();
            Thread[] t = new Thread[1];
            Coroutines.run(d, scope -> {
                t[0] = Suspend.call(c -> Thread.currentThread());
                return null;
            });
            assertSame(loop, t[0], "a confined dispatcher keeps every call on its thread");
        } finally {
            single.shutdown();
        }
    }
}
