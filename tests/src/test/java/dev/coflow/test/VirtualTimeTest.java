package dev.coflow.test;

import static org.junit.jupiter.api.Assertions.*;

import dev.coflow.bridge.Suspend;
import dev.coflow.bridge.Task;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import kotlin.Unit;
import kotlin.coroutines.EmptyCoroutineContext;
import kotlinx.coroutines.BuildersKt;
import kotlinx.coroutines.CoroutineStart;
import kotlinx.coroutines.DelayKt;
import kotlinx.coroutines.Job;
import kotlinx.coroutines.flow.FlowKt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class VirtualTimeTest {

    @AfterEach
    void nothingLeftRunning() {
        CoflowExtension.assertNoBodiesRunning(Duration.ofSeconds(2));
    }

    @Test
    void anHourOfDelaysTakesNoWallTime() {
        long t0 = System.nanoTime();
        long time = VirtualTime.call(scope -> {
            Suspend.delay(Duration.ofHours(1));
            return scope.currentTime();
        });
        assertEquals(3_600_000L, time);
        assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "virtual hour took real time");
    }

    @Test
    void kotlinDelaysAndGeneratorDelaysAreVirtual() {
        VirtualTime.run(scope -> {
            Suspend.call(c -> DelayKt.delay(500, c));
            assertEquals(500, scope.currentTime());
            List<Integer> got = Suspend.call(c -> FlowKt.toList(
                    JavaGenerator.<Integer>generate(e -> {
                        for (int i = 0; i < 3; i++) {
                            Suspend.delay(60_000);
                            e.emit(i);
                        }
                    }),
                    new ArrayList<>(),
                    c));
            assertEquals(List.of(0, 1, 2), got);
            assertEquals(180_500, scope.currentTime());
        });
    }

    @Test
    void childrenRunConcurrentlyOnTheVirtualClock() {
        VirtualTime.run(scope -> {
            Task<String> a = scope.async(() -> {
                Suspend.delay(1_000);
                return "a";
            });
            Task<String> b = scope.async(() -> {
                Suspend.delay(3_000);
                return "b";
            });
            assertEquals("ab", a.await() + b.await());
            assertEquals(3_000, scope.currentTime(), "children overlap: max, not sum");
        });
    }

    @Test
    void advanceTimeByRunsTasksStrictlyBeforeTheTarget() {
        VirtualTime.run(scope -> {
            List<Long> log = new ArrayList<>();
            scope.launch(() -> {
                Suspend.delay(1_000);
                synchronized (log) {
                    log.add(scope.currentTime());
                }
                Suspend.delay(1_000);
                synchronized (log) {
                    log.add(scope.currentTime());
                }
            });
            scope.advanceTimeBy(1_500);
            assertEquals(1_500, scope.currentTime());
            synchronized (log) {
                assertEquals(List.of(1_000L), log);
            }
            scope.advanceTimeBy(Duration.ofMillis(500)); // due exactly at 2000: not yet
            synchronized (log) {
                assertEquals(List.of(1_000L), log);
            }
            scope.runCurrent();
            synchronized (log) {
                assertEquals(List.of(1_000L, 2_000L), log);
            }
        });
    }

    @Test
    void advanceUntilIdleRunsEverythingButBackgroundWork() {
        VirtualTime.run(scope -> {
            AtomicInteger ticks = new AtomicInteger();
            AtomicInteger done = new AtomicInteger();
            scope.launchBackground(() -> {
                while (true) {
                    Suspend.delay(1_000);
                    ticks.incrementAndGet();
                }
            });
            scope.launch(() -> {
                Suspend.delay(10_000);
                done.incrementAndGet();
            });
            scope.advanceUntilIdle();
            assertEquals(1, done.get());
            assertEquals(10_000, scope.currentTime());
            assertTrue(ticks.get() >= 9 && ticks.get() <= 10, "background ran as the clock moved: " + ticks.get());
        });
    }

    @Test
    void backgroundWorkIsCancelledAtTheEndAndRunsFinally() {
        List<String> log = new ArrayList<>();
        VirtualTime.run(scope -> {
            scope.launchBackground(() -> {
                try {
                    while (true) {
                        Suspend.delay(100);
                    }
                } catch (CancellationException e) {
                    synchronized (log) {
                        log.add("cancelled");
                    }
                    throw e;
                } finally {
                    synchronized (log) {
                        log.add("finally");
                    }
                }
            });
            scope.advanceTimeBy(1_000);
        });
        assertEquals(List.of("cancelled", "finally"), log);
    }

    @Test
    void backgroundScopeIsAKotlinScopeForHotProducers() {
        VirtualTime.run(scope -> {
            AtomicInteger seen = new AtomicInteger();
            Job job = FlowKt.launchIn(
                    FlowKt.onEach(
                            JavaGenerator.<Integer>generate(e -> {
                                for (int i = 0; ; i++) {
                                    Suspend.delay(10);
                                    e.emit(i);
                                }
                            }),
                            (v, c) -> {
                                seen.incrementAndGet();
                                return Unit.INSTANCE;
                            }),
                    scope.backgroundScope());
            scope.advanceTimeBy(55);
            assertEquals(5, seen.get());
            assertTrue(job.isActive());
        });
    }

    @Test
    void childFailureFailsTheTestWithTheOriginalException() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> VirtualTime.run(scope -> {
                    scope.launch(() -> {
                        Suspend.delay(50);
                        throw new IllegalStateException("child boom");
                    });
                    Suspend.delay(Duration.ofDays(1));
                    fail("the failing child must cancel the body");
                }));
        assertEquals("child boom", e.getMessage());
    }

    @Test
    void backgroundFailureFailsTheTest() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> VirtualTime.run(scope -> {
                    scope.launchBackground(() -> {
                        Suspend.delay(10);
                        throw new IllegalArgumentException("bg boom");
                    });
                    scope.advanceTimeBy(100);
                }));
        assertEquals("bg boom", e.getMessage());
    }

    @Test
    void checkedExceptionsAndAssertionErrorsArriveUnchanged() {
        IOException io = assertThrows(
                IOException.class,
                () -> VirtualTime.run(scope -> {
                    Suspend.delay(10);
                    throw new IOException("disk");
                }));
        assertEquals("disk", io.getMessage());
        AssertionError ae = assertThrows(
                AssertionError.class,
                () -> VirtualTime.run(scope -> {
                    Suspend.delay(10);
                    assertEquals(1, 2, "values differ");
                }));
        assertTrue(ae.getMessage().contains("values differ"), ae.getMessage());
    }

    @Test
    void aBodyThatNeverFinishesFailsWithAClearTimeout() {
        long t0 = System.nanoTime();
        AssertionError e = assertThrows(
                AssertionError.class,
                () -> VirtualTime.run(Duration.ofMillis(200), scope -> {
                    Suspend.await(new CompletableFuture<Void>()); // nobody completes it
                }));
        assertTrue(e.getMessage().contains("did not finish within PT0.2S of wall-clock time"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
    }

    @Test
    void anEndlessVirtualLoopIsStoppedByTheWallClockLimit() {
        AssertionError e = assertThrows(
                AssertionError.class,
                () -> VirtualTime.run(Duration.ofMillis(200), scope -> {
                    while (true) {
                        Suspend.delay(1_000);
                    }
                }));
        assertTrue(e.getMessage().contains("virtual clock at"), e.getMessage());
    }

    @Test
    void waitsForWorkOutsideTheVirtualClock() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<String> external = new CompletableFuture<>();
        Thread helper = Thread.ofVirtual().start(() -> {
            try {
                started.await();
            } catch (InterruptedException e) {
                return;
            }
            external.complete("from another thread");
        });
        String v = VirtualTime.call(scope -> {
            started.countDown();
            return Suspend.await(external);
        });
        helper.join();
        assertEquals("from another thread", v);
    }

    @Test
    void kotlinCoroutinesInTheBodyScopeShareTheClock() {
        VirtualTime.run(scope -> {
            Job j = BuildersKt.launch(
                    scope.taskScope().coroutineScope(),
                    EmptyCoroutineContext.INSTANCE,
                    CoroutineStart.DEFAULT,
                    (s, c) -> DelayKt.delay(7_000, c));
            Suspend.call(j::join);
            assertEquals(7_000, scope.currentTime());
            assertSame(scope.scheduler(), scope.context().get(kotlinx.coroutines.test.TestCoroutineScheduler.Key));
        });
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(NullPointerException.class, () -> VirtualTime.run(null));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> VirtualTime.run(Duration.ZERO, scope -> {}));
        assertTrue(e.getMessage().contains("timeout must be positive"));
        IllegalArgumentException neg =
                assertThrows(IllegalArgumentException.class, () -> VirtualTime.run(scope -> scope.advanceTimeBy(-1)));
        assertTrue(neg.getMessage().contains("millis must be >= 0"));
    }
}
