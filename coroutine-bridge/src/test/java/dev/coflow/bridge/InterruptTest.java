package dev.coflow.bridge;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Thread interrupts map to cancellation and back; no interrupt is lost or leaked. */
class InterruptTest {

    /** Outcome of a call made on another thread. */
    record Outcome(Object value, Throwable error, boolean interruptedAfter, List<String> logAtReturn) {}

    private static Outcome callOnPlatformThread(
            CountDownLatch bodyStarted, List<String> log, java.util.function.Supplier<Object> call) throws Exception {
        return callOn(Thread.ofPlatform().name("blocked-caller"), bodyStarted, log, call);
    }

    private static Outcome callOn(
            Thread.Builder builder,
            CountDownLatch bodyStarted,
            List<String> log,
            java.util.function.Supplier<Object> call)
            throws Exception {
        CompletableFuture<Outcome> result = new CompletableFuture<>();
        Thread caller = builder.start(() -> {
            try {
                Object v = call.get();
                result.complete(new Outcome(v, null, Thread.currentThread().isInterrupted(), List.copyOf(log)));
            } catch (Throwable e) {
                result.complete(new Outcome(null, e, Thread.currentThread().isInterrupted(), List.copyOf(log)));
            }
        });
        assertTrue(bodyStarted.await(10, TimeUnit.SECONDS));
        caller.interrupt();
        assertTrue(caller.join(Duration.ofSeconds(10)), "the interrupted caller must return");
        return result.get(10, TimeUnit.SECONDS);
    }

    @Test
    void interruptingACallerBlockedInRunCancelsTheBodyAndKeepsTheFlag() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        Outcome o = callOnPlatformThread(
                started,
                log,
                () -> Coroutines.run(scope -> {
                    try {
                        started.countDown();
                        Suspend.delay(Long.MAX_VALUE);
                        return "never";
                    } catch (CancellationException e) {
                        log.add("body cancelled");
                        throw e;
                    } finally {
                        log.add("body finally");
                    }
                }));
        assertInstanceOf(CancellationException.class, o.error());
        assertTrue(o.interruptedAfter(), "Coroutines.run must restore the interrupt flag");
        assertEquals(
                List.of("body cancelled", "body finally"),
                o.logAtReturn(),
                "the body's finally must run before the interrupted run() returns");
        assertEquals(0, Coroutines.activeBodies());
    }

    @Test
    void interruptingAVirtualThreadBlockedInRunBehavesTheSame() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        Outcome o = callOn(
                Thread.ofVirtual().name("virtual-caller"),
                started,
                log,
                () -> Coroutines.run(scope -> {
                    try {
                        started.countDown();
                        return Suspend.await(new CompletableFuture<String>());
                    } finally {
                        log.add("body finally");
                    }
                }));
        assertInstanceOf(CancellationException.class, o.error());
        assertTrue(o.interruptedAfter());
        assertEquals(List.of("body finally"), o.logAtReturn());
    }

    @Test
    void interruptingACallerBlockedInTaskAwaitOutsideTheBody() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Task<String>> leaked = new CompletableFuture<>();
        CompletableFuture<String> release = new CompletableFuture<>();
        CompletableFuture<String> runner = Coroutines.start(scope -> {
            Task<String> t = scope.async(() -> {
                started.countDown();
                return Suspend.await(release);
            });
            leaked.complete(t);
            return t.await();
        });
        Task<String> t = leaked.get(10, TimeUnit.SECONDS);
        Outcome o = callOnPlatformThread(started, List.of(), t::await);
        assertInstanceOf(CancellationException.class, o.error());
        assertTrue(o.interruptedAfter());
        assertTrue(t.isActive(), "interrupting an outside waiter cancels its wait, not the task");
        release.complete("released");
        assertEquals("released", runner.get(10, TimeUnit.SECONDS));
    }

    @Test
    void interruptingACallerWaitsForChildrenCleanupToo() throws Exception {
        CountDownLatch started = new CountDownLatch(2);
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        Outcome o = callOnPlatformThread(
                started,
                log,
                () -> Coroutines.run(scope -> {
                    scope.launch(() -> {
                        try {
                            started.countDown();
                            Suspend.delay(Long.MAX_VALUE);
                        } finally {
                            Suspend.nonCancellable(() -> Suspend.delay(5));
                            log.add("child finally");
                        }
                    });
                    started.countDown();
                    Suspend.delay(Long.MAX_VALUE);
                    return null;
                }));
        assertInstanceOf(CancellationException.class, o.error());
        assertTrue(o.interruptedAfter());
        assertEquals(List.of("child finally"), o.logAtReturn());
    }

    @Test
    void anInterruptedCallerDoesNotEvenStart() {
        Thread.currentThread().interrupt();
        try {
            assertThrows(
                    CancellationException.class,
                    () -> Coroutines.run(scope -> {
                        Suspend.delay(10);
                        return 1;
                    }));
            assertTrue(Thread.currentThread().isInterrupted(), "flag must stay set");
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void interruptingTheBodyThreadFromOutsideCancelsTheCoroutine() throws Exception {
        AtomicReference<Thread> bodyThread = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<String> f = Coroutines.start(scope -> {
            bodyThread.set(Thread.currentThread());
            try {
                started.countDown();
                Suspend.delay(Long.MAX_VALUE);
                return "never";
            } catch (CancellationException e) {
                log.add("cancelled");
                throw e;
            }
        });
        assertTrue(started.await(10, TimeUnit.SECONDS));
        bodyThread.get().interrupt();
        // The coroutine ends cancelled, exactly as if its Job had been cancelled.
        var e = assertThrows(CancellationException.class, () -> f.get(10, TimeUnit.SECONDS));
        assertTrue(f.isCancelled());
        assertNotNull(e);
        assertEquals(List.of("cancelled"), log);
    }

    @Test
    void selfInterruptBeforeASuspendingCallBecomesCancellation() {
        List<String> log = new ArrayList<>();
        assertThrows(
                CancellationException.class,
                () -> Coroutines.run(scope -> {
                    Thread.currentThread().interrupt();
                    try {
                        Suspend.delay(10_000);
                    } catch (CancellationException e) {
                        log.add("interrupted flag after="
                                + Thread.currentThread().isInterrupted());
                        throw e;
                    }
                    return null;
                }));
        assertEquals(
                List.of("interrupted flag after=false"), log, "the interrupt is consumed by turning into cancellation");
        assertFalse(Thread.currentThread().isInterrupted(), "nothing leaks into the caller");
    }

    @Test
    void selfInterruptSeenByEnsureActive() {
        assertThrows(
                CancellationException.class,
                () -> Coroutines.run(scope -> {
                    Thread.currentThread().interrupt();
                    Suspend.ensureActive();
                    return null;
                }));
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void anInterruptLeftSetByTheBodyDoesNotLeakIntoTheDriverThread() {
        boolean[] driverInterrupted = new boolean[1];
        try (var single =
                kotlinx.coroutines.ExecutorsKt.from(java.util.concurrent.Executors.newSingleThreadExecutor())) {
            Coroutines.run(single, scope -> {
                Task<Void> t = scope.launch(() -> Thread.currentThread().interrupt()); // body ends with flag set
                t.join();
                driverInterrupted[0] = Suspend.call(c -> Thread.currentThread().isInterrupted());
                return null;
            });
        }
        assertFalse(driverInterrupted[0]);
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void outsideACoroutineEnsureActiveReflectsTheInterruptFlag() {
        Suspend.ensureActive();
        assertTrue(Suspend.isActive());
        Thread.currentThread().interrupt();
        try {
            assertFalse(Suspend.isActive());
            assertThrows(CancellationException.class, Suspend::ensureActive);
            assertTrue(Thread.currentThread().isInterrupted());
            assertThrows(CancellationException.class, () -> Suspend.delay(1));
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }
}
