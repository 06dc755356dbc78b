package dev.coflow.bridge;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import kotlin.Unit;
import kotlin.coroutines.EmptyCoroutineContext;
import kotlinx.coroutines.CoroutineStart;
import kotlinx.coroutines.DelayKt;
import kotlinx.coroutines.future.FutureKt;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void runReturnsValueAfterDelays() {
        int v = Coroutines.run(scope -> {
            Suspend.delay(5);
            Unit u = Suspend.call(c -> DelayKt.delay(5, c));
            assertSame(Unit.INSTANCE, u);
            return 42;
        });
        assertEquals(42, v);
    }

    @Test
    void virtualHour() {
        VirtualClock clock = new VirtualClock();
        long t0 = System.nanoTime();
        // runSuspending itself on the test dispatcher (VirtualClock.start would add a Coroutines.run)
        CompletableFuture<Long> f = FutureKt.future(
                clock.scope,
                EmptyCoroutineContext.INSTANCE,
                CoroutineStart.DEFAULT,
                (s, c) -> Coroutines.runSuspending(
                        () -> {
                            for (int i = 0; i < 60; i++) {
                                Suspend.delay(60_000);
                            }
                            return clock.now();
                        },
                        c));
        clock.advanceUntilIdle();
        assertTrue(f.isDone());
        assertEquals(3_600_000L, f.join());
        assertTrue(System.nanoTime() - t0 < 1_000_000_000L);
    }

    @Test
    void gatherAndCancellationRunsFinally() {
        List<String> log = new ArrayList<>();
        assertThrows(
                IllegalStateException.class,
                () -> Coroutines.run(scope -> {
                    scope.launch(() -> {
                        try {
                            Suspend.delay(10_000);
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
                    scope.launch(() -> {
                        Suspend.delay(10);
                        throw new IllegalStateException("boom");
                    });
                    return null;
                }));
        assertEquals(List.of("cancelled", "finally"), log);
        assertEquals(
                List.of(1, 2, 3),
                Coroutines.gather(
                        () -> 1,
                        () -> {
                            Suspend.delay(3);
                            return 2;
                        },
                        () -> 3));
        assertEquals(0, Coroutines.activeBodies());
    }
}
