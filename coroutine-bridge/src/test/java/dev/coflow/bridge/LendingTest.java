package dev.coflow.bridge;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import kotlinx.coroutines.CoroutineDispatcher;
import kotlinx.coroutines.DelayKt;
import kotlinx.coroutines.Dispatchers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Lending (ADR 0003): on a dispatcher that promises exclusion but no thread identity, the waiting
 * driver keeps its thread and the body makes its calls itself. Each test proves one half of the
 * contract: the fast path is taken (no handoff), and what the dispatcher promises still holds.
 */
class LendingTest {

    @AfterEach
    void nothingLeaks() {
        assertEquals(0, Coroutines.activeBodies());
    }

    private static CoroutineDispatcher limitedDefault() {
        return Dispatchers.getDefault().limitedParallelism(1, null);
    }

    @Test
    void onALimitedViewCallsThatDoNotSuspendRunOnTheBodysOwnThread() {
        Thread[] body = new Thread[1];
        int[] onBodyThread = {0};
        Coroutines.run(limitedDefault(), scope -> {
            body[0] = Thread.currentThread();
            for (int i = 0; i < 200; i++) {
                // the first call may be handed over, and so may one after a lease ran out on a
                // loaded machine; the others run right here
                if (Suspend.call(c -> Thread.currentThread()) == body[0]) {
                    onBodyThread[0]++;
                }
            }
            return null;
        });
        assertTrue(body[0].isVirtual());
        assertTrue(onBodyThread[0] >= 100, onBodyThread[0] + " of 200 calls ran on the body's thread");
    }

    @Test
    void aLimitedViewKeepsItsExclusionWhileBodiesCallOnTheirOwnThreads() {
        int[] counter = {0};
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        Coroutines.run(limitedDefault(), scope -> {
            for (int i = 0; i < 4; i++) {
                scope.launch(() -> {
                    for (int j = 0; j < 500; j++) {
                        Suspend.call(c -> {
                            if (inside.incrementAndGet() != 1) {
                                overlaps.incrementAndGet();
                            }
                            counter[0]++; // plain field: exclusion or lost updates
                            inside.decrementAndGet();
                            return null;
                        });
                        if (j % 7 == 0) {
                            Suspend.yieldNow();
                        }
                    }
                });
            }
            return null;
        });
        assertEquals(2000, counter[0]);
        assertEquals(0, overlaps.get());
    }

    @Test
    void aBodyThatBlocksWithoutCallingGivesTheViewBack() throws Exception {
        // Body A blocks in plain Java until body B has started; B can only start once A's driver
        // gives the view's single permit back (after coflow.lendNanos without a call).
        CountDownLatch bStarted = new CountDownLatch(1);
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        Coroutines.run(limitedDefault(), scope -> {
            scope.launch(() -> {
                Suspend.call(c -> null); // A is lending from here on
                log.add("a waits");
                assertTrue(bStarted.await(10, TimeUnit.SECONDS), "B never started: A kept the permit");
                log.add("a released");
            });
            scope.launch(() -> {
                log.add("b started");
                bStarted.countDown();
            });
            return null;
        });
        // (B may also start before A reaches its wait: a lease can run out while A starts up)
        assertEquals(3, log.size(), log.toString());
        assertEquals("a released", log.get(2), log.toString());
    }

    @Test
    void aCallThatSuspendsGivesTheViewBack() {
        // A waits (suspends) for something only B does; B needs the view's single permit to run.
        java.util.concurrent.CompletableFuture<String> fromB = new java.util.concurrent.CompletableFuture<>();
        String got = Coroutines.run(limitedDefault(), scope -> {
            Task<String> a = scope.async(() -> {
                Suspend.call(c -> null); // A is lending from here on
                return "a got " + Suspend.await(fromB);
            });
            scope.launch(() -> {
                fromB.complete("b");
            });
            return a.await();
        });
        assertEquals("a got b", got);
    }

    @Test
    void underAStandardTestDispatcherVirtualTimeStaysExactAndCallsNeedNoHandoff() {
        VirtualClock clock = new VirtualClock();
        Thread[] t = new Thread[2];
        long[] times = new long[3];
        clock.run(scope -> {
            t[0] = Thread.currentThread();
            Suspend.call(c -> null);
            t[1] = Suspend.call(c -> Thread.currentThread());
            times[0] = clock.now();
            Suspend.call(c -> DelayKt.delay(1_000, c));
            times[1] = clock.now();
            Suspend.delay(250);
            times[2] = clock.now();
            return null;
        });
        assertSame(t[0], t[1]);
        assertArrayEquals(new long[] {0, 1_000, 1_250}, times);
    }
}
