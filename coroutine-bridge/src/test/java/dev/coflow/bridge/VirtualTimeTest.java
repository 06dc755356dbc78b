package dev.coflow.bridge;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import kotlin.coroutines.EmptyCoroutineContext;
import kotlinx.coroutines.BuildersKt;
import kotlinx.coroutines.CoroutineStart;
import kotlinx.coroutines.DelayKt;
import org.junit.jupiter.api.Test;

/** Java bodies under a kotlinx {@code TestCoroutineScheduler}: exact virtual time, no wall-clock waits. */
class VirtualTimeTest {

    @Test
    void aBodyDelayingOneHourFinishesInWellUnderASecond() {
        VirtualClock clock = new VirtualClock();
        long t0 = System.nanoTime();
        long end = clock.run(scope -> {
            Suspend.delay(java.time.Duration.ofHours(1));
            return clock.now();
        });
        long wallMillis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(3_600_000L, end);
        assertEquals(3_600_000L, clock.now());
        assertTrue(wallMillis < 1_000, "took " + wallMillis + " ms of wall time");
    }

    @Test
    void interleavedBodiesFollowTheExactVirtualOrder() {
        VirtualClock clock = new VirtualClock();
        List<String> log = new ArrayList<>(); // all appends happen while the test thread is blocked: no race
        clock.run(scope -> {
            scope.launch(() -> {
                Suspend.delay(100);
                log.add("A@" + clock.now());
                Suspend.delay(200);
                log.add("A@" + clock.now());
            });
            scope.launch(() -> {
                Suspend.delay(150);
                log.add("B@" + clock.now());
                Suspend.delay(50);
                log.add("B@" + clock.now());
                Suspend.delay(250);
                log.add("B@" + clock.now());
            });
            scope.launch(() -> {
                Suspend.call(c -> DelayKt.delay(120, c)); // a Kotlin delay interleaves the same way
                log.add("C@" + clock.now());
                Suspend.delay(java.time.Duration.ofMillis(280));
                log.add("C@" + clock.now());
            });
            log.add("parent@" + clock.now());
            return null;
        });
        assertEquals(List.of("parent@0", "A@100", "C@120", "B@150", "B@200", "A@300", "C@400", "B@450"), log);
    }

    @Test
    void equalDeadlinesResumeInStartOrder() {
        VirtualClock clock = new VirtualClock();
        List<String> log = new ArrayList<>();
        clock.run(scope -> {
            for (String name : List.of("x", "y", "z")) {
                scope.launch(() -> {
                    Suspend.delay(10);
                    log.add(name);
                });
            }
            return null;
        });
        assertEquals(List.of("x", "y", "z"), log);
        assertEquals(10, clock.now());
    }

    @Test
    void theClockOnlyAdvancesWhenTheSchedulerIsDriven() {
        VirtualClock clock = new VirtualClock();
        List<Long> wakeUps = new ArrayList<>();
        var f = clock.start(scope -> {
            for (int i = 0; i < 3; i++) {
                Suspend.delay(1_000);
                wakeUps.add(clock.now());
            }
            return "done";
        });
        clock.advanceTimeBy(1_500);
        assertEquals(List.of(1_000L), wakeUps);
        assertFalse(f.isDone());
        clock.advanceTimeBy(1_500);
        assertEquals(List.of(1_000L, 2_000L, 3_000L), wakeUps);
        assertTrue(f.isDone());
        assertEquals("done", f.join());
    }

    @Test
    void aBodyThatComputesKeepsTheClockStill() {
        // While the body runs plain Java code the virtual clock must not jump ahead of it.
        VirtualClock clock = new VirtualClock();
        List<String> log = new ArrayList<>();
        clock.run(scope -> {
            scope.launch(() -> {
                Suspend.delay(10);
                log.add("timer@" + clock.now());
            });
            long spinUntil = System.nanoTime() + 20_000_000L; // 20 ms of real work, 0 ms of virtual time
            while (System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
            }
            log.add("work done@" + clock.now());
            Suspend.delay(20);
            log.add("body@" + clock.now());
            return null;
        });
        assertEquals(List.of("work done@0", "timer@10", "body@20"), log);
    }

    @Test
    void javaBodyInsideAKotlinLaunchUsesTheSameClock() {
        VirtualClock clock = new VirtualClock();
        List<String> log = new ArrayList<>();
        BuildersKt.launch(
                clock.scope,
                EmptyCoroutineContext.INSTANCE,
                CoroutineStart.DEFAULT,
                (s, c) -> Coroutines.runSuspending(
                        () -> {
                            Suspend.delay(3_000);
                            log.add("java@" + clock.now());
                            return null;
                        },
                        c));
        BuildersKt.launch(
                clock.scope, EmptyCoroutineContext.INSTANCE, CoroutineStart.DEFAULT, (s, c) -> DelayKt.delay(2_000, c));
        clock.advanceTimeBy(2_000);
        assertEquals(List.of(), log);
        clock.advanceUntilIdle();
        assertEquals(List.of("java@3000"), log);
    }

    @Test
    void thousandsOfVirtualDelaysAcrossManyBodies() {
        VirtualClock clock = new VirtualClock();
        long[] sum = {0};
        clock.run(scope -> {
            for (int i = 1; i <= 50; i++) {
                int step = i;
                scope.launch(() -> {
                    for (int j = 0; j < 20; j++) {
                        Suspend.delay(step);
                    }
                    synchronized (sum) {
                        sum[0] += clock.now();
                    }
                });
            }
            return null;
        });
        assertEquals(1_000, clock.now());
        assertEquals(20L * (50 * 51 / 2), sum[0]);
    }

    @Test
    void unconfinedTestDispatcherAlsoRunsJavaBodiesInVirtualTime() {
        var scheduler = new kotlinx.coroutines.test.TestCoroutineScheduler();
        var scope = kotlinx.coroutines.CoroutineScopeKt.CoroutineScope(
                kotlinx.coroutines.test.TestCoroutineDispatchersKt.UnconfinedTestDispatcher(scheduler, "unconfined"));
        List<String> log = new ArrayList<>();
        var f = kotlinx.coroutines.future.FutureKt.future(
                scope,
                EmptyCoroutineContext.INSTANCE,
                CoroutineStart.DEFAULT,
                (s, c) -> Coroutines.runSuspending(
                        () -> Coroutines.run(inner -> {
                            inner.launch(() -> {
                                Suspend.delay(200);
                                log.add("child@" + scheduler.getCurrentTime());
                            });
                            Suspend.delay(100);
                            log.add("body@" + scheduler.getCurrentTime());
                            return "ok";
                        }),
                        c));
        scheduler.advanceUntilIdle();
        assertEquals("ok", f.join());
        assertEquals(List.of("body@100", "child@200"), log);
    }
}
