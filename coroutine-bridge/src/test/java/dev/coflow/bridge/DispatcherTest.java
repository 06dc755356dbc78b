package dev.coflow.bridge;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import kotlinx.coroutines.DelayKt;
import kotlinx.coroutines.Dispatchers;
import kotlinx.coroutines.ExecutorCoroutineDispatcher;
import kotlinx.coroutines.ExecutorsKt;
import org.junit.jupiter.api.Test;

/** Java bodies under the kotlinx dispatchers: Default, a single thread, Unconfined. */
class DispatcherTest {

    @Test
    void onDefaultTheBodyIsVirtualAndSuspendCallsRunOnDefaultWorkers() {
        Thread[] t = new Thread[2];
        int v = Coroutines.run(Dispatchers.getDefault(), scope -> {
            t[0] = Thread.currentThread();
            Suspend.delay(1);
            t[1] = Suspend.call(c -> Thread.currentThread());
            Task<Integer> child = scope.async(() -> {
                Suspend.delay(1);
                return 41;
            });
            return child.await() + 1;
        });
        assertEquals(42, v);
        assertTrue(t[0].isVirtual());
        // On the free-threaded Default pool a call that completes at once may run on the body's
        // own thread (no handoff); otherwise on a Default worker. Never on any other thread.
        assertTrue(t[1] == t[0] || t[1].getName().startsWith("DefaultDispatcher-worker"), t[1].getName());
    }

    @Test
    void blockingBodiesNeverHoldDefaultWorkers() throws Exception {
        // More bodies block at once than Default has threads; they only finish if none holds a worker.
        int n = Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
        CountDownLatch allArrived = new CountDownLatch(n);
        List<Boolean> released = Coroutines.run(Dispatchers.getDefault(), scope -> {
            List<Task<Boolean>> tasks = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                tasks.add(scope.async(() -> {
                    allArrived.countDown();
                    return allArrived.await(10, TimeUnit.SECONDS); // plain blocking Java
                }));
            }
            List<Boolean> out = new ArrayList<>();
            for (Task<Boolean> t : tasks) {
                out.add(t.await());
            }
            return out;
        });
        assertEquals(Collections.nCopies(n, true), released);
    }

    @Test
    void singleThreadDispatcherConfinesEverySuspendCallToItsThread() throws Exception {
        List<Thread> driverThreads = Collections.synchronizedList(new ArrayList<>());
        int[] counter = {0};
        try (ExecutorCoroutineDispatcher single = ExecutorsKt.from(Executors.newSingleThreadExecutor())) {
            Coroutines.run(single, scope -> {
                for (int i = 0; i < 4; i++) {
                    scope.launch(() -> {
                        for (int j = 0; j < 50; j++) {
                            // The increment runs in the coroutine, i.e. on the single thread: no lost update.
                            Suspend.call(c -> {
                                driverThreads.add(Thread.currentThread());
                                counter[0]++;
                                return null;
                            });
                            Suspend.yieldNow();
                        }
                    });
                }
                return null;
            });
        }
        assertEquals(200, counter[0]);
        assertEquals(1, driverThreads.stream().distinct().count());
        assertFalse(driverThreads.get(0).isVirtual());
    }

    @Test
    void unconfinedWorks() {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        String v = Coroutines.run(Dispatchers.getUnconfined(), scope -> {
            Task<String> a = scope.async(() -> {
                Suspend.delay(2);
                log.add("a");
                return "a";
            });
            scope.launch(() -> {
                Suspend.call(c -> DelayKt.delay(1, c));
                log.add("b");
            });
            Suspend.yieldNow();
            return a.await() + Thread.currentThread().isVirtual();
        });
        assertEquals("atrue", v);
        assertEquals(2, log.size());
    }

    @Test
    void unconfinedCancellationRunsFinally() {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        assertThrows(
                IllegalStateException.class,
                () -> Coroutines.run(Dispatchers.getUnconfined(), scope -> {
                    scope.launch(() -> {
                        try {
                            Suspend.delay(Long.MAX_VALUE);
                        } finally {
                            log.add("finally");
                        }
                    });
                    Suspend.delay(1);
                    throw new IllegalStateException("stop");
                }));
        assertEquals(List.of("finally"), log);
        assertEquals(0, Coroutines.activeBodies());
    }

    @Test
    void ioDispatcherAndWithContextSwitchInsideABody() {
        String[] where = new String[2];
        Coroutines.run(scope -> {
            where[0] = Suspend.call(c -> Thread.currentThread().getName());
            Coroutines.run(Dispatchers.getIO(), inner -> {
                where[1] = Suspend.call(c -> Thread.currentThread().getName());
                return null;
            });
            return null;
        });
        // kotlinx debug mode (-ea) appends " @coroutine#n" to the thread name while a coroutine runs.
        // Coroutines.run's coroutines run on Dispatchers.Default: a worker, or the body's own thread.
        assertTrue(where[0].startsWith("DefaultDispatcher-worker") || where[0].startsWith("coflow-body"), where[0]);
        // IO is free-threaded: the call runs on a worker or directly on the body's virtual thread.
        assertTrue(where[1].startsWith("DefaultDispatcher-worker") || where[1].startsWith("coflow-body"), where[1]);
    }
}
