package dev.coflow;

import static org.junit.jupiter.api.Assertions.*;

import dev.coflow.bridge.Coroutines;
import dev.coflow.bridge.Suspend;
import dev.coflow.test.CoflowExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import kotlin.Unit;
import kotlin.coroutines.EmptyCoroutineContext;
import kotlinx.coroutines.BuildersKt;
import kotlinx.coroutines.CoroutineDispatcher;
import kotlinx.coroutines.CoroutineScope;
import kotlinx.coroutines.CoroutineScopeKt;
import kotlinx.coroutines.CoroutineStart;
import kotlinx.coroutines.Dispatchers;
import kotlinx.coroutines.ThreadContextElementKt;
import kotlinx.coroutines.YieldKt;
import kotlinx.coroutines.flow.FlowCollector;
import kotlinx.coroutines.flow.FlowKt;
import kotlinx.coroutines.future.FutureKt;
import org.junit.jupiter.api.Test;

/**
 * A generator collected by a Kotlin coroutine on {@code Dispatchers.Default} lets its body make
 * calls directly (no handoff); everywhere thread identity matters it must not.
 */
class FreeThreadingTest {
    private static AsyncFlow<Integer> ints(int n) {
        return AsyncFlow.generate(e -> {
            for (int i = 0; i < n; i++) {
                e.emit(i);
            }
        });
    }

    @Test
    void kotlinCollectorOnDefaultGetsEveryValueInOrder() throws Exception {
        Object list = BuildersKt.runBlocking(
                Dispatchers.getDefault(), (scope, c) -> FlowKt.toList(ints(10_000), new ArrayList<>(), c));
        List<?> values = (List<?>) list;
        assertEquals(10_000, values.size());
        for (int i = 0; i < values.size(); i++) {
            assertEquals(i, values.get(i));
        }
        CoflowExtension.assertNoBodiesRunning(Duration.ZERO);
    }

    @Test
    void aDownstreamThatSuspendsStillResumesTheBody() throws Exception {
        // The collector delays on every 100th value: the borrowed call suspends and the driver
        // must resume on its dispatcher and hand the result back.
        long[] sum = {0};
        BuildersKt.runBlocking(
                Dispatchers.getDefault(),
                (scope, c) -> ints(1_000)
                        .collect(
                                (FlowCollector<Integer>) (v, c2) -> {
                                    sum[0] += v;
                                    return v % 100 == 0 ? kotlinx.coroutines.DelayKt.delay(1, c2) : Unit.INSTANCE;
                                },
                                c));
        assertEquals(499_500, sum[0]);
    }

    @Test
    void takeOnDefaultCancelsTheBodyAndRunsItsFinally() throws Exception {
        List<String> log = new ArrayList<>();
        AsyncFlow<Integer> endless = AsyncFlow.generate(e -> {
            try {
                for (int i = 0; ; i++) {
                    e.emit(i);
                }
            } finally {
                synchronized (log) {
                    log.add("finally");
                }
            }
        });
        Object r = BuildersKt.runBlocking(
                Dispatchers.getDefault(), (scope, c) -> FlowKt.toList(FlowKt.take(endless, 5), new ArrayList<>(), c));
        assertEquals(List.of(0, 1, 2, 3, 4), r);
        assertEquals(List.of("finally"), log);
    }

    @Test
    void singleThreadedDispatcherKeepsItsExclusion() throws Exception {
        // Two coroutines on limitedParallelism(1) share a plain counter: the collector of a
        // generator and a loop that yields. The generator's emits run the collector on the body's
        // thread (ADR 0003: the waiting driver lends the view's permit, no handoff per element),
        // and the view's exclusion still holds: no increment is lost.
        CoroutineDispatcher one = Dispatchers.getDefault().limitedParallelism(1, null);
        CoroutineScope scope = CoroutineScopeKt.CoroutineScope(one);
        int[] counter = {0};
        int[] onBodyThread = {0};
        int n = 20_000;
        CompletableFuture<Object> a = FutureKt.future(
                scope,
                EmptyCoroutineContext.INSTANCE,
                CoroutineStart.DEFAULT,
                (s, c) -> ints(n).collect(
                                (FlowCollector<Integer>) (v, c2) -> {
                                    counter[0]++;
                                    if (Thread.currentThread().isVirtual()) {
                                        onBodyThread[0]++;
                                    }
                                    return Unit.INSTANCE;
                                },
                                c));
        CompletableFuture<Object> b = FutureKt.future(
                scope,
                EmptyCoroutineContext.INSTANCE,
                CoroutineStart.DEFAULT,
                (s, c) -> Coroutines.runSuspending(
                        () -> {
                            for (int i = 0; i < n; i++) {
                                Suspend.call(c2 -> {
                                    counter[0]++;
                                    return YieldKt.yield(c2);
                                });
                            }
                            return null;
                        },
                        c));
        a.get();
        b.get();
        assertEquals(2 * n, counter[0]);
        assertTrue(onBodyThread[0] > n / 2, "the emits were handed over instead of lent: " + onBodyThread[0]);
    }

    @Test
    void threadContextElementsAreSeenByTheCollector() throws Exception {
        ThreadLocal<String> requestId = new ThreadLocal<>();
        List<String> seen = new ArrayList<>();
        BuildersKt.runBlocking(
                Dispatchers.getDefault().plus(ThreadContextElementKt.asContextElement(requestId, "req-7")),
                (scope, c) -> ints(200)
                        .collect(
                                (FlowCollector<Integer>) (v, c2) -> {
                                    seen.add(requestId.get());
                                    return Unit.INSTANCE;
                                },
                                c));
        assertEquals(200, seen.size());
        assertTrue(seen.stream().allMatch("req-7"::equals), () -> "lost the thread-local in " + seen);
    }
}
