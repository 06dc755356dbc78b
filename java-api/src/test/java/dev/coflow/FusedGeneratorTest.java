package dev.coflow;

import static org.junit.jupiter.api.Assertions.*;

import dev.coflow.bridge.Coroutines;
import dev.coflow.bridge.Suspend;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A generator collected by a blocking terminal through synchronous stages runs fused
 * ({@link FusedGenerator}, ADR 0003): the cases where the fused path must behave like the kotlinx
 * path that {@code FusionTest}'s matrix cannot show (waits, cancellation, misuse).
 */
class FusedGeneratorTest {

    @AfterEach
    void nothingLeaks() {
        Thread.interrupted();
        assertEquals(0, Coroutines.activeBodies());
    }

    @Test
    void theBodyAndTheStagesMayWaitInTheTerminalsCoroutine() {
        List<String> log = new ArrayList<>();
        List<Integer> got = AsyncFlow.<Integer>generate(e -> {
                    for (int i = 0; i < 3; i++) {
                        Suspend.delay(1);
                        log.add("in coroutine " + Suspend.inCoroutine());
                        e.emit(i);
                    }
                })
                .map(v -> {
                    Suspend.delay(1);
                    return v * 10;
                })
                .toList();
        assertEquals(List.of(0, 10, 20), got);
        assertEquals(List.of("in coroutine true", "in coroutine true", "in coroutine true"), log);
    }

    @Test
    void anInterruptSeenByAnImmediateCallEndsAnEndlessGenerator() throws Exception {
        // delay(0) never suspends; the interrupt cancels the terminal's coroutine, and the next
        // emit ends the body, as kotlinx's emit would
        List<String> log = new ArrayList<>();
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        AtomicReference<Boolean> flagAfter = new AtomicReference<>();
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                AsyncFlow.<Integer>generate(e -> {
                            try {
                                for (int i = 0; ; i++) {
                                    if (i == 100) {
                                        Thread.currentThread().interrupt();
                                    }
                                    Suspend.delay(0);
                                    e.emit(i);
                                }
                            } finally {
                                log.add("finally");
                            }
                        })
                        .map(v -> v + 1)
                        .forEach(v -> {});
                failure.complete(null);
            } catch (Throwable t) {
                flagAfter.set(Thread.currentThread().isInterrupted());
                failure.complete(t);
            }
        });
        Throwable t = failure.get(10, TimeUnit.SECONDS);
        caller.join();
        assertInstanceOf(CancellationException.class, t);
        assertTrue(flagAfter.get(), "the interrupt flag is set again");
        assertEquals(List.of("finally"), log);
    }

    @Test
    void anInterruptWhileTheBodyWaitsCancelsTheWait() throws Exception {
        List<String> log = new ArrayList<>();
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        CompletableFuture<Void> waiting = new CompletableFuture<>();
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                AsyncFlow.<Integer>generate(e -> {
                            try {
                                e.emit(1);
                                waiting.complete(null);
                                Suspend.delay(60_000);
                                e.emit(2);
                            } finally {
                                log.add("finally");
                            }
                        })
                        .forEach(v -> {});
                failure.complete(null);
            } catch (Throwable t) {
                failure.complete(t);
            }
        });
        waiting.get(10, TimeUnit.SECONDS);
        caller.interrupt();
        assertInstanceOf(CancellationException.class, failure.get(10, TimeUnit.SECONDS));
        caller.join();
        assertEquals(List.of("finally"), log);
    }

    @Test
    void anEarlyStopRunsTheBodysFinallyBeforeTheTerminalReturns() {
        List<String> log = new ArrayList<>();
        assertEquals(
                List.of(0, 1, 2),
                AsyncFlow.<Integer>generate(e -> {
                            try {
                                for (int i = 0; ; i++) {
                                    e.emit(i);
                                }
                            } catch (CancellationException stop) {
                                log.add("stopped: " + stop.getMessage());
                                throw stop;
                            } finally {
                                log.add("finally");
                            }
                        })
                        .take(3)
                        .toList());
        assertEquals(2, log.size());
        assertTrue(log.get(0).startsWith("stopped: the downstream stopped collecting early"), log.get(0));
        assertEquals("finally", log.get(1));
    }

    @Test
    void aConsumerFailureIsThrownFromEmitIntoTheBody() {
        List<String> log = new ArrayList<>();
        IllegalStateException boom = new IllegalStateException("consumer failed");
        IllegalStateException thrown = assertThrows(
                IllegalStateException.class,
                () -> AsyncFlow.<Integer>generate(e -> {
                            try {
                                e.emit(1);
                            } catch (IllegalStateException seen) {
                                log.add("body saw " + seen.getMessage());
                                throw seen;
                            }
                        })
                        .forEach(v -> {
                            throw boom;
                        }));
        assertSame(boom, thrown);
        assertEquals(List.of("body saw consumer failed"), log);
    }

    @Test
    void emitFromAThreadTheBodyStartedIsRefusedWithTheFix() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> AsyncFlow.<Integer>generate(out -> {
                            AtomicReference<Throwable> seen = new AtomicReference<>();
                            Thread t = Thread.ofPlatform().start(() -> {
                                try {
                                    out.emit(1);
                                } catch (Throwable x) {
                                    seen.set(x);
                                }
                            });
                            t.join();
                            throw (IllegalStateException) seen.get();
                        })
                        .toList());
        assertTrue(e.getMessage().contains("not from the generator body's own thread"), e.getMessage());
    }

    @Test
    void emitAfterTheBodyReturnedIsRefused() {
        AtomicReference<Emitter<Integer>> kept = new AtomicReference<>();
        assertEquals(
                List.of(1),
                AsyncFlow.<Integer>generate(e -> {
                            kept.set(e);
                            e.emit(1);
                        })
                        .toList());
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> kept.get().emit(2));
        assertTrue(e.getMessage().contains("body has returned"), e.getMessage());
    }

    @Test
    void emitAllForwardsAnotherFlowAndItsEarlyStop() {
        List<String> log = new ArrayList<>();
        AsyncFlow<Integer> inner = AsyncFlow.generate(e -> {
            try {
                for (int i = 10; ; i++) {
                    e.emit(i);
                }
            } finally {
                log.add("inner finally");
            }
        });
        assertEquals(
                List.of(1, 10, 11),
                AsyncFlow.<Integer>generate(e -> {
                            try {
                                e.emit(1);
                                e.emitAll(inner);
                            } finally {
                                log.add("outer finally");
                            }
                        })
                        .take(3)
                        .toList());
        assertEquals(List.of("inner finally", "outer finally"), log);
    }

    @Test
    void behindABufferAnEarlyStopCancelsAProducerThatWaits() {
        // FusedBuffer: take(2) below the buffer stops while the producer waits a minute in
        // Suspend.delay; its coroutine is cancelled, so the terminal returns at once, finally run
        List<String> log = new ArrayList<>();
        long t0 = System.nanoTime();
        List<Integer> got = AsyncFlow.<Integer>generate(e -> {
                    try {
                        e.emit(1);
                        e.emit(2);
                        Suspend.delay(60_000);
                        e.emit(3);
                    } finally {
                        log.add("finally");
                    }
                })
                .buffer(4)
                .take(2)
                .toList();
        assertEquals(List.of(1, 2), got);
        assertEquals(List.of("finally"), log);
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(30), "the minute-long delay was not cancelled");
    }

    @Test
    void behindABufferTheProducerRunsOnItsOwnThreadAndStagesOnBothSidesRun() {
        List<String> where = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread caller = Thread.currentThread();
        List<Integer> got = AsyncFlow.<Integer>generate(e -> {
                    where.add("body on caller: " + (Thread.currentThread() == caller));
                    e.emit(1);
                    e.emit(2);
                })
                .map(v -> v * 10)
                .buffer(1)
                .map(v -> {
                    where.add("below on caller: " + (Thread.currentThread() == caller));
                    return v + 1;
                })
                .toList();
        assertEquals(List.of(11, 21), got);
        assertEquals(List.of("body on caller: false", "below on caller: true", "below on caller: true"), where);
    }
}
