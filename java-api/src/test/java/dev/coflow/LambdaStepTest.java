package dev.coflow;

import static dev.coflow.OperatorTestBase.inVirtualTime;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coflow.OperatorTestBase.Timed;
import dev.coflow.bridge.Coroutines;
import dev.coflow.bridge.LambdaSite;
import dev.coflow.bridge.Suspend;
import dev.coflow.test.CoflowExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import kotlin.Unit;
import kotlin.coroutines.Continuation;
import kotlin.jvm.functions.Function2;
import kotlinx.coroutines.BuildersKt;
import kotlinx.coroutines.CoroutineStart;
import kotlinx.coroutines.Dispatchers;
import kotlinx.coroutines.GlobalScope;
import kotlinx.coroutines.flow.FlowCollector;
import kotlinx.coroutines.flow.FlowKt;
import kotlinx.coroutines.future.FutureKt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The mechanism behind "every lambda may wait" (ADR 0002): a coflow-called lambda is a step of the
 * calling coroutine; its waits are that coroutine's; a site that has waited moves later calls off
 * shared threads; the test clock moves exactly as far as a lambda's wait.
 */
class LambdaStepTest {
    /** After each test, no coroutine body it started may still be running (the harness's leak check). */
    @RegisterExtension
    static final CoflowExtension COFLOW = CoflowExtension.withLeakGrace(Duration.ZERO);

    @Test
    void aLambdaIsAStepOfTheCollectingCoroutine() {
        // the same Job as the collector's coroutine: Suspend.context() inside the lambda
        Object[] seen = new Object[2];
        Coroutines.run(scope -> {
            seen[0] = Suspend.context().get(kotlinx.coroutines.Job.Key);
            AsyncFlow.of(1).forEach(v -> seen[1] = Suspend.context().get(kotlinx.coroutines.Job.Key));
            return null;
        });
        assertTrue(seen[0] != null && seen[0] == seen[1], "lambda ran in another coroutine: " + seen[1]);
        assertFalse(Suspend.inCoroutine(), "the mark does not outlive the call");
    }

    @Test
    void theTestClockMovesExactlyAsFarAsTheLambdasWait() {
        // a concurrent coroutine sleeping much longer must not be run ahead by the lambda's wait
        Timed<List<Long>> r = inVirtualTime(() -> Coroutines.run(scope -> {
            scope.launch(() -> Suspend.delay(10_000));
            List<Long> at = new ArrayList<>();
            AsyncFlow.range(0, 3).forEach(v -> {
                Suspend.delay(100);
                at.add(now());
            });
            return at;
        }));
        assertEquals(List.of(100L, 200L, 300L), r.value());
        assertEquals(10_000, r.virtualMillis(), "the body ends when its child does");
    }

    private static long now() {
        return ((kotlinx.coroutines.test.TestDispatcher)
                        Suspend.context().get(kotlin.coroutines.ContinuationInterceptor.Key))
                .getScheduler()
                .getCurrentTime();
    }

    @Test
    void aSiteThatWaitedRunsLaterCallsOffAKotlinxWorker() throws Exception {
        List<String> threads = new CopyOnWriteArrayList<>();
        AsyncFlow<Integer> f = AsyncFlow.range(0, 4).map(v -> {
            Suspend.delay(1);
            threads.add((Thread.currentThread().isVirtual() ? "virtual " : "platform ")
                    + Thread.currentThread().getName());
            return v;
        });
        Object list = FutureKt.future(
                        GlobalScope.INSTANCE,
                        Dispatchers.getDefault(),
                        CoroutineStart.DEFAULT,
                        (s, c) -> FlowKt.toList(f, new ArrayList<>(), c))
                .get(10, TimeUnit.SECONDS);
        assertEquals(List.of(0, 1, 2, 3), list);
        assertTrue(threads.get(0).startsWith("platform DefaultDispatcher-worker"), threads::toString);
        for (String t : threads.subList(1, 4)) {
            assertTrue(t.startsWith("virtual "), () -> "a later call held a worker: " + threads);
        }
    }

    @Test
    void aKotlinRunBlockingLoopKeepsRunningWhileALambdaWaits() throws Exception {
        // the lambda's delay is scheduled on runBlocking's own event loop, which must keep running
        Object r = BuildersKt.runBlocking(
                kotlin.coroutines.EmptyCoroutineContext.INSTANCE,
                (scope, c) -> FlowKt.toList(
                        AsyncFlow.range(0, 3).map(v -> {
                            Suspend.delay(5);
                            return v * 10;
                        }),
                        new ArrayList<>(),
                        c));
        assertEquals(List.of(0, 10, 20), r);
    }

    @Test
    void interruptingTheCallerStopsABusySourceOnTheKotlinxPath() throws Exception {
        // a range that never suspends, on the kotlinx path (withIndex is not fused): the source
        // asks for the caller's interrupt every 1024 elements
        AtomicInteger seen = new AtomicInteger();
        Thread caller = Thread.currentThread();
        CancellationException e = assertThrows(
                CancellationException.class,
                () -> AsyncFlow.fromStream(
                                () -> IntStream.iterate(0, i -> i + 1).boxed())
                        .withIndex()
                        .forEach(v -> {
                            if (seen.incrementAndGet() == 5_000) {
                                caller.interrupt();
                            }
                        }));
        assertTrue(Thread.interrupted(), "the flag stays set (and is cleared here)");
        assertTrue(seen.get() < 5_000 + 2_048, "ran on after the interrupt: " + seen.get());
        assertTrue(e.getMessage() != null);
    }

    @Test
    void enteringABlockingTerminalInterruptedCancelsEverySource() {
        for (AsyncFlow<Integer> f : List.of(
                AsyncFlow.range(0, 3),
                AsyncFlow.<Integer>generate(e -> {
                    for (int i = 0; i < 3; i++) {
                        e.emit(i);
                    }
                }),
                AsyncFlow.of(1, 2).withIndex().map(Indexed::value))) {
            Thread.currentThread().interrupt();
            assertThrows(CancellationException.class, f::toList);
            assertTrue(Thread.interrupted(), "flag kept");
        }
    }

    @Test
    void forEachOfAnotherFlowCanEmitFromAGenerator() throws Exception {
        AsyncFlow<Integer> rows = AsyncFlow.range(0, 5);
        AsyncFlow<Integer> copied = AsyncFlow.generate(out -> rows.forEach(out::emit));
        for (int i = 0; i < 20; i++) {
            assertEquals(List.of(0, 1, 2, 3, 4), copied.toList());
            assertEquals(List.of(0, 1, 2, 3, 4), copied.buffer(2).toList());
            assertEquals(List.of(0, 1, 2, 3, 4), copied.toListAsync().get(5, TimeUnit.SECONDS));
            assertEquals(List.of(0, 1, 2, 3, 4), Coroutines.run(scope -> copied.toList()));
            assertEquals(List.of(0, 1, 2, 3, 4), inVirtualTime(copied::toList).value());
        }
    }

    @Test
    void suspendLikeCallsFromCodeCoflowDidNotCallFailClearly() {
        // a hand-written FlowCollector runs inside the body's own emit call: it is no step coflow
        // knows about, so Suspend.* there has no coroutine to wait in
        AsyncFlow<Integer> f = AsyncFlow.generate(e -> e.emit(1));
        // (collected from plain Java, so the generator runs inline and the collector on its thread;
        // on another thread such code is simply outside any coroutine, and Suspend.* blocks it)
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> Suspend.call(c -> f.collect(
                        (FlowCollector<Integer>) (v, k) -> {
                            Suspend.delay(1);
                            return Unit.INSTANCE;
                        },
                        c)));
        assertTrue(e.getMessage().contains("LambdaSite"), e.getMessage());
    }

    @Test
    void aLambdaSiteMakesAHandWrittenKotlinxOperatorSuspendLike() {
        final class Slow extends LambdaSite<Integer, Void>
                implements Function2<Integer, Continuation<? super Integer>, Object> {
            @Override
            protected Object compute(Integer v, Void unused) {
                Suspend.delay(Duration.ofSeconds(1));
                return v + 1;
            }

            @Override
            public Object invoke(Integer v, Continuation<? super Integer> c) {
                return call(v, null, c);
            }
        }
        AsyncFlow<Integer> f = AsyncFlow.from(FlowKt.map(AsyncFlow.of(1, 2, 3), new Slow()));
        Timed<List<Integer>> r = inVirtualTime(f::toList);
        assertEquals(List.of(2, 3, 4), r.value());
        assertEquals(3_000, r.virtualMillis());
    }

    @Test
    void nonCancellableInsideALambdaStillWaitsAfterCancellation() throws Exception {
        CountDownLatch waiting = new CountDownLatch(1);
        CountDownLatch cleaned = new CountDownLatch(1);
        List<String> log = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> f = AsyncFlow.range(0, 3).forEachAsync(v -> {
            try {
                waiting.countDown();
                Suspend.delay(60_000);
            } finally {
                Suspend.nonCancellable(() -> {
                    Suspend.delay(5);
                    log.add("cleanup waited");
                    cleaned.countDown();
                });
            }
        });
        assertTrue(waiting.await(5, TimeUnit.SECONDS));
        f.cancel(true);
        assertThrows(CancellationException.class, () -> f.get(5, TimeUnit.SECONDS));
        assertTrue(cleaned.await(5, TimeUnit.SECONDS), "the cleanup's wait was cut short");
        assertEquals(List.of("cleanup waited"), log);
        // the cancelled future completes at once; the body ends right after its cleanup
        CoflowExtension.assertNoBodiesRunning(Duration.ofSeconds(5));
    }

    @Test
    void theCauseAfterTakeIsAPlainCancellation() {
        Throwable[] cause = new Throwable[1];
        AsyncFlow.range(0, 5).onCompletion(t -> cause[0] = t).take(1).toList();
        assertInstanceOf(CancellationException.class, cause[0]);
        assertFalse(
                cause[0].getClass().getName().startsWith("kotlinx."),
                cause[0].getClass().getName());
    }
}
