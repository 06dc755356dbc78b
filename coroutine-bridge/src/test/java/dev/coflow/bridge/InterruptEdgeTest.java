package dev.coflow.bridge;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import kotlinx.coroutines.DelayKt;
import org.junit.jupiter.api.Test;

/**
 * An interrupt of a body thread must become cancellation even when the next suspend-like call
 * would complete at once (the body never parks), and {@code isActive} inside non-cancellable
 * cleanup answers like kotlinx's {@code withContext(NonCancellable) { isActive }}.
 */
class InterruptEdgeTest {

    @Test
    void interruptBeforeACallThatCompletesAtOnceStillCancels() {
        List<String> log = new ArrayList<>();
        assertThrows(
                CancellationException.class,
                () -> Coroutines.run(scope -> {
                    Thread.currentThread().interrupt();
                    try {
                        Suspend.await(
                                CompletableFuture.completedFuture("ready")); // the driver answers without suspending
                        log.add("await returned");
                    } catch (CancellationException e) {
                        log.add("await cancelled");
                        throw e;
                    }
                    return null;
                }));
        assertEquals(List.of("await cancelled"), log);
    }

    @Test
    void interruptBeforeSuspendCallThatReturnsAValueStillCancels() {
        List<String> log = new ArrayList<>();
        assertThrows(
                CancellationException.class,
                () -> Coroutines.run(scope -> {
                    Thread.currentThread().interrupt();
                    try {
                        Suspend.call(c -> "plain value");
                        log.add("call returned");
                    } catch (CancellationException e) {
                        log.add("call cancelled, flag=" + Thread.currentThread().isInterrupted());
                        throw e;
                    }
                    return null;
                }));
        assertEquals(List.of("call cancelled, flag=false"), log);
    }

    @Test
    void interruptDuringNonCancellableCleanupDoesNotAbortItButCancelsAfterwards() {
        List<String> log = new ArrayList<>();
        assertThrows(
                CancellationException.class,
                () -> Coroutines.run(scope -> {
                    Suspend.nonCancellable(() -> {
                        Thread.currentThread().interrupt();
                        Suspend.call(c -> DelayKt.delay(1, c));
                        log.add("cleanup finished");
                    });
                    try {
                        Suspend.delay(1);
                        log.add("not cancelled");
                    } catch (CancellationException e) {
                        log.add("cancelled after cleanup");
                        throw e;
                    }
                    return null;
                }));
        assertEquals(List.of("cleanup finished", "cancelled after cleanup"), log);
    }

    @Test
    void isActiveIsTrueInsideNonCancellableAsInKotlin() {
        VirtualClock clock = new VirtualClock();
        List<String> log = new ArrayList<>();
        var f = clock.start(scope -> {
            try {
                Suspend.delay(1_000);
            } finally {
                log.add("outside: " + Suspend.isActive());
                Suspend.nonCancellable(() -> log.add("inside: " + Suspend.isActive()));
            }
            return null;
        });
        clock.advanceTimeBy(10);
        f.cancel(true);
        clock.advanceUntilIdle();
        assertEquals(List.of("outside: false", "inside: true"), log);
    }

    @Test
    void outsideACoroutineAnInterruptedSuspendCallThrowsCancellationAndKeepsTheFlag() {
        Thread.currentThread().interrupt();
        try {
            assertThrows(CancellationException.class, () -> Suspend.call(c -> DelayKt.delay(10_000, c)));
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aBodyThatRestoresTheInterruptFlagAndReturnsIsCancelled() {
        // Java convention: catch InterruptedException, restore the flag, return. The interrupt still cancels.
        assertThrows(
                CancellationException.class,
                () -> Coroutines.run(scope -> {
                    try {
                        Thread.currentThread().interrupt();
                        new java.util.concurrent.CountDownLatch(1).await();
                        return "not interrupted";
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return "gave up";
                    }
                }));
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void aChildThatEndsInterruptedIsCancelledWithoutCancellingItsParent() {
        String v = Coroutines.run(scope -> {
            Task<String> child = scope.async(() -> {
                Thread.currentThread().interrupt();
                return "child value";
            });
            child.join();
            assertTrue(child.isCancelled());
            return "parent value";
        });
        assertEquals("parent value", v);
    }
}
