package dev.coflow;

import static dev.coflow.OperatorTestBase.inVirtualTime;
import static org.junit.jupiter.api.Assertions.*;

import dev.coflow.OperatorTestBase.Timed;
import dev.coflow.bridge.Suspend;
import dev.coflow.test.CoflowExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import kotlinx.coroutines.flow.FlowKt;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * docs/semantics.md, rule by rule, for generators and terminals. The nested classes keep the names
 * of an earlier numbering: {@code Rule1Cold} is §1, {@code Rule2Sequential} §2,
 * {@code Rule4Cancellation} §3 (and §10 for interrupts), {@code Rule5Exceptions} §5,
 * {@code Rule8Nulls} §9, {@code Rule9TerminalsInsideBodies} §6.
 */
class SemanticsTest {
    /** After each test, no coroutine body it started may still be running (the harness's leak check). */
    @RegisterExtension
    static final CoflowExtension COFLOW = CoflowExtension.withLeakGrace(Duration.ZERO);

    private static final Duration GUARD = Duration.ofSeconds(20);
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    /** 0, 1, 2, ... forever, logging each emit, a cancellation and the finally. */
    private AsyncFlow<Integer> naturals() {
        return AsyncFlow.generate(e -> {
            try {
                for (int i = 0; ; i++) {
                    log.add("emit " + i);
                    e.emit(i);
                }
            } catch (CancellationException ce) {
                log.add("cancelled");
                throw ce;
            } finally {
                log.add("finally");
            }
        });
    }

    @Nested
    class Rule1Cold {
        @Test
        void bodyRunsOncePerCollectionAndNotBefore() {
            AtomicInteger runs = new AtomicInteger();
            AsyncFlow<Integer> f = AsyncFlow.generate(e -> {
                runs.incrementAndGet();
                e.emit(1);
            });
            assertEquals(0, runs.get());
            AsyncFlow<Integer> described = f.map(x -> x + 1);
            assertEquals(0, runs.get());
            assertEquals(List.of(2), described.toList());
            assertEquals(1, runs.get());
            assertEquals(1, f.count());
            assertEquals(2, f.first().orElseThrow() + 1);
            assertEquals(3, runs.get());
        }
    }

    @Nested
    class Rule2Sequential {
        @Test
        void emitReturnsAfterTheDownstreamHasFinished() {
            AsyncFlow<Integer> f = AsyncFlow.generate(e -> {
                for (int i = 0; i < 3; i++) {
                    log.add("emit " + i);
                    e.emit(i);
                    log.add("emitted " + i);
                }
            });
            f.forEach(x -> log.add("consume " + x));
            assertEquals(
                    List.of(
                            "emit 0",
                            "consume 0",
                            "emitted 0",
                            "emit 1",
                            "consume 1",
                            "emitted 1",
                            "emit 2",
                            "consume 2",
                            "emitted 2"),
                    log);
        }

        @Test
        void timesAddUpWithoutBuffer() {
            Timed<List<Integer>> r = inVirtualTime(() -> AsyncFlow.<Integer>generate(e -> {
                        for (int i = 0; i < 3; i++) {
                            Suspend.delay(500);
                            e.emit(i);
                        }
                    })
                    .toList());
            assertEquals(List.of(0, 1, 2), r.value());
            assertEquals(1_500, r.virtualMillis());
        }
    }

    @Nested
    class Rule4Cancellation {
        @Test
        void takeCancelsAndFinallyRunsBeforeTheTerminalReturns() {
            assertEquals(List.of(0, 1), naturals().take(2).toList());
            assertEquals(List.of("emit 0", "emit 1", "cancelled", "finally"), log);
        }

        @Test
        void firstCancels() {
            assertEquals(0, naturals().first().orElseThrow());
            assertEquals(List.of("emit 0", "cancelled", "finally"), log);
        }

        @Test
        void exceptionInTheConsumerCancelsAndReachesTheCaller() {
            var e = assertThrows(
                    IllegalStateException.class,
                    () -> naturals().forEach(x -> {
                        if (x == 1) {
                            throw new IllegalStateException("consumer gave up at " + x);
                        }
                    }));
            assertEquals("consumer gave up at 1", e.getMessage());
            // the consumer's own exception comes out of emit (not a CancellationException)
            assertEquals(List.of("emit 0", "emit 1", "finally"), log);
        }

        @Test
        void finallyBlocksRunInOrder() {
            AsyncFlow<Integer> f = AsyncFlow.generate(e -> {
                try {
                    try {
                        e.emit(1);
                        e.emit(2);
                    } finally {
                        log.add("inner");
                    }
                } finally {
                    log.add("outer");
                }
            });
            assertEquals(List.of(1), f.take(1).toList());
            assertEquals(List.of("inner", "outer"), log);
        }

        @Test
        void cancellingAnAsyncTerminalsFutureCancelsTheBody() {
            assertTimeoutPreemptively(GUARD, () -> {
                CountDownLatch waiting = new CountDownLatch(1);
                CountDownLatch cleaned = new CountDownLatch(1);
                CompletableFuture<List<Integer>> future = AsyncFlow.<Integer>generate(e -> {
                            try {
                                waiting.countDown();
                                Suspend.await(new CompletableFuture<Void>());
                            } catch (CancellationException ce) {
                                log.add("cancelled");
                                throw ce;
                            } finally {
                                cleaned.countDown();
                            }
                        })
                        .toListAsync();
                waiting.await();
                assertTrue(future.cancel(true));
                cleaned.await();
                assertEquals(List.of("cancelled"), log);
                CoflowExtension.assertNoBodiesRunning(Duration.ofSeconds(10));
            });
        }

        @Test
        void interruptingAThreadBlockedInToListCancels() {
            assertTimeoutPreemptively(GUARD, () -> {
                CountDownLatch waiting = new CountDownLatch(1);
                AsyncFlow<Integer> f = AsyncFlow.generate(e -> {
                    try {
                        e.emit(1);
                        waiting.countDown();
                        Suspend.await(new CompletableFuture<Void>());
                    } finally {
                        log.add("finally");
                    }
                });
                AtomicReference<Throwable> thrown = new AtomicReference<>();
                AtomicBoolean flag = new AtomicBoolean();
                List<String> logWhenThrown = new ArrayList<>();
                Thread t = Thread.ofPlatform().start(() -> {
                    try {
                        f.toList();
                    } catch (Throwable x) {
                        thrown.set(x);
                        flag.set(Thread.currentThread().isInterrupted());
                        logWhenThrown.addAll(log);
                    }
                });
                waiting.await();
                t.interrupt();
                t.join();
                assertInstanceOf(CancellationException.class, thrown.get());
                assertTrue(flag.get(), "the interrupt flag must be restored");
                assertEquals(List.of("finally"), logWhenThrown);
            });
        }

        @Test
        void interruptingAConsumerBlockedInPlainJavaCancels() {
            assertTimeoutPreemptively(GUARD, () -> {
                CountDownLatch inConsumer = new CountDownLatch(1);
                CountDownLatch release = new CountDownLatch(1);
                AsyncFlow<Integer> f = naturals();
                Thread t = Thread.ofVirtual().start(() -> {
                    try {
                        f.forEach(x -> {
                            if (x == 3) {
                                inConsumer.countDown();
                                release.await();
                            }
                        });
                        log.add("completed");
                    } catch (CancellationException e) {
                        log.add("cancelled " + Thread.currentThread().isInterrupted());
                    } catch (Throwable e) {
                        log.add("other " + e);
                    }
                });
                inConsumer.await();
                t.interrupt();
                release.countDown();
                t.join();
                CoflowExtension.assertNoBodiesRunning(Duration.ZERO);
                // the consumer's InterruptedException ends the collection as a cancellation, flag kept
                assertEquals(List.of("finally", "cancelled true"), log.subList(log.size() - 2, log.size()));
            });
        }

        @Test
        void cleanupThatWaitsRunsInNonCancellable() {
            Timed<List<Integer>> r = inVirtualTime(() -> AsyncFlow.<Integer>generate(e -> {
                        try {
                            e.emit(1);
                            e.emit(2);
                        } finally {
                            Suspend.nonCancellable(() -> Suspend.delay(250));
                            log.add("flushed");
                        }
                    })
                    .take(1)
                    .toList());
            assertEquals(List.of(1), r.value());
            assertEquals(250, r.virtualMillis());
            assertEquals(List.of("flushed"), log);
        }
    }

    @Nested
    class Rule5Exceptions {
        @Test
        void uncheckedKeepTypeAndMessage() {
            AsyncFlow<Integer> f = AsyncFlow.generate(e -> {
                e.emit(1);
                throw new IllegalArgumentException("bad input 42");
            });
            var e = assertThrows(IllegalArgumentException.class, f::toList);
            assertEquals("bad input 42", e.getMessage());
        }

        @Test
        void checkedIOExceptionIsWrappedWithTheOriginalAsCause() {
            IOException original = new IOException("disk full");
            AsyncFlow<Integer> f = AsyncFlow.generate(e -> {
                throw original;
            });
            var e = assertThrows(UncheckedIOException.class, f::toList);
            assertInstanceOf(IOException.class, e.getCause());
            assertEquals("disk full", e.getCause().getMessage());
        }

        @Test
        void otherCheckedExceptionsAreWrappedInCompletionException() {
            AsyncFlow<Integer> f = AsyncFlow.generate(e -> {
                throw new SQLException("no table");
            });
            var e = assertThrows(CompletionException.class, f::count);
            assertInstanceOf(SQLException.class, e.getCause());
            assertEquals("no table", e.getCause().getMessage());
        }

        @Test
        void asyncTerminalCompletesWithTheOriginal() {
            AsyncFlow<Integer> f = AsyncFlow.generate(e -> {
                throw new IOException("socket closed");
            });
            var e = assertThrows(ExecutionException.class, () -> f.toListAsync().get(20, TimeUnit.SECONDS));
            assertInstanceOf(IOException.class, e.getCause());
            assertEquals("socket closed", e.getCause().getMessage());
        }

        @Test
        void cancellationIsNotTurnedIntoAFailure() {
            AsyncFlow<Integer> f = AsyncFlow.generate(e -> {
                try {
                    e.emit(1);
                    e.emit(2);
                } catch (CancellationException ce) {
                    log.add("saw " + ce.getClass().getSimpleName());
                    throw ce;
                }
            });
            assertEquals(List.of(1), f.take(1).toList());
            assertEquals(1, log.size());
            assertTrue(log.getFirst().startsWith("saw "), log.toString());
        }
    }

    @Nested
    class Rule8Nulls {
        @Test
        void emitNullFailsWithAMessageSayingHowToFix() {
            AsyncFlow<String> f = AsyncFlow.generate(e -> {
                e.emit("a");
                e.emit(null);
            });
            var e = assertThrows(NullPointerException.class, f::toList);
            assertTrue(e.getMessage().contains("emit(null)"), e.getMessage());
            assertTrue(e.getMessage().contains("Optional"), e.getMessage());
        }

        @Test
        void wrappedKotlinFlowEmittingNullFailsAtThatElement() {
            AsyncFlow<Integer> f = AsyncFlow.from(FlowKt.flowOf(new Integer[] {1, null, 3}));
            List<Integer> seen = new ArrayList<>();
            var e = assertThrows(NullPointerException.class, () -> f.forEach(seen::add));
            assertEquals(List.of(1), seen);
            assertTrue(e.getMessage().contains("AsyncFlow.from"), e.getMessage());
            assertTrue(e.getMessage().contains("filterNotNull"), e.getMessage());
        }
    }

    @Nested
    class EmitterMisuse {
        @Test
        void emitAfterTheBodyReturned() {
            AtomicReference<Emitter<Integer>> leaked = new AtomicReference<>();
            assertEquals(
                    List.of(1),
                    AsyncFlow.<Integer>generate(e -> {
                                leaked.set(e);
                                e.emit(1);
                            })
                            .toList());
            var e = assertThrows(IllegalStateException.class, () -> leaked.get().emit(2));
            assertTrue(e.getMessage().contains("has returned"), e.getMessage());
        }

        @Test
        void emitFromAnotherThread() {
            AtomicReference<Throwable> fromOtherThread = new AtomicReference<>();
            List<Integer> r = AsyncFlow.<Integer>generate(e -> {
                        Thread t = Thread.ofPlatform().start(() -> {
                            try {
                                e.emit(99);
                            } catch (Throwable x) {
                                fromOtherThread.set(x);
                            }
                        });
                        t.join();
                        e.emit(1);
                    })
                    .toList();
            assertEquals(List.of(1), r);
            assertInstanceOf(IllegalStateException.class, fromOtherThread.get());
            assertTrue(fromOtherThread.get().getMessage().contains("not from the generator body's own thread"));
        }
    }

    @Nested
    class Single {
        @Test
        void zeroAndTwoElementsFailClearly() {
            var none = assertThrows(
                    NoSuchElementException.class, () -> AsyncFlow.empty().single());
            assertTrue(none.getMessage().contains("exactly 1"), none.getMessage());
            var two = assertThrows(
                    IllegalArgumentException.class, () -> naturals().single());
            assertTrue(two.getMessage().contains("at least 2"), two.getMessage());
            assertEquals("finally", log.getLast());
        }
    }

    @Nested
    class Rule9TerminalsInsideBodies {
        @Test
        void aTerminalInsideABodySuspendsTheOwningCoroutine() {
            Timed<Long> r = inVirtualTime(() -> {
                AsyncFlow<Integer> minutes = AsyncFlow.generate(e -> {
                    for (int i = 0; i < 60; i++) {
                        Suspend.delay(60_000);
                        e.emit(i);
                    }
                });
                return minutes.count();
            });
            assertEquals(60, r.value());
            assertEquals(3_600_000, r.virtualMillis());
        }
    }
}
