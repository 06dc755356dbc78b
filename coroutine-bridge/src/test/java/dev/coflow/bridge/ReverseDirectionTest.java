package dev.coflow.bridge;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import kotlin.coroutines.Continuation;
import kotlin.coroutines.EmptyCoroutineContext;
import kotlin.jvm.functions.Function1;
import kotlin.jvm.functions.Function2;
import kotlinx.coroutines.BuildersKt;
import kotlinx.coroutines.CoroutineScope;
import kotlinx.coroutines.CoroutineScopeKt;
import kotlinx.coroutines.CoroutineStart;
import kotlinx.coroutines.Deferred;
import kotlinx.coroutines.Dispatchers;
import kotlinx.coroutines.TimeoutKt;
import kotlinx.coroutines.future.FutureKt;
import org.junit.jupiter.api.Test;

/** Java code exposed to Kotlin as suspend functions, called by kotlinx builders. */
class ReverseDirectionTest {

    @Test
    void asSuspendFunctionRunsBlockingWorkOnAVirtualThread() throws Exception {
        Thread[] seen = new Thread[2];
        Function1<Continuation<? super String>, Object> fn = Coroutines.asSuspendFunction(() -> {
            seen[0] = Thread.currentThread();
            CompletableFuture<String> blockingSource = CompletableFuture.supplyAsync(() -> "blocked-for");
            return blockingSource.get(10, TimeUnit.SECONDS); // plain blocking call
        });
        String v = BuildersKt.runBlocking(EmptyCoroutineContext.INSTANCE, (scope, c) -> {
            seen[1] = Thread.currentThread();
            return fn.invoke(c);
        });
        assertEquals("blocked-for", v);
        assertTrue(seen[0].isVirtual(), "blocking work must run on a virtual thread");
        assertSame(Thread.currentThread(), seen[1]);
    }

    @Test
    void manyBlockingCallsFromKotlinAsyncOnDefaultDoNotStarveIt() throws Exception {
        int n = Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
        CountDownLatch allArrived = new CountDownLatch(n);
        List<Thread> bodyThreads = Collections.synchronizedList(new ArrayList<>());
        List<Thread> callerThreads = Collections.synchronizedList(new ArrayList<>());
        Function1<Continuation<? super Boolean>, Object> blocking = Coroutines.asSuspendFunction(() -> {
            bodyThreads.add(Thread.currentThread());
            allArrived.countDown();
            return allArrived.await(10, TimeUnit.SECONDS);
        });
        CoroutineScope scope = CoroutineScopeKt.CoroutineScope(Dispatchers.getDefault());
        List<Deferred<Boolean>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(BuildersKt.async(scope, EmptyCoroutineContext.INSTANCE, CoroutineStart.DEFAULT, (s, c) -> {
                callerThreads.add(Thread.currentThread());
                return blocking.invoke(c);
            }));
        }
        for (Deferred<Boolean> d : all) {
            assertTrue(FutureKt.asCompletableFuture(d).get(20, TimeUnit.SECONDS));
        }
        assertEquals(n, bodyThreads.size());
        assertTrue(bodyThreads.stream().allMatch(Thread::isVirtual));
        assertTrue(callerThreads.stream().noneMatch(Thread::isVirtual));
        CoroutineScopeKt.cancel(scope, null);
    }

    @Test
    void asSuspendFunctionWithArgumentAndSuspendLikeCallsInside() {
        VirtualClock clock = new VirtualClock();
        Function2<String, Continuation<? super Integer>, Object> length =
                Coroutines.asSuspendFunction((SuspendFunction<String, Integer>) s -> {
                    Suspend.delay(100);
                    return s.length();
                });
        var f = FutureKt.future(
                clock.scope,
                EmptyCoroutineContext.INSTANCE,
                CoroutineStart.DEFAULT,
                (s, c) -> length.invoke("hello", c));
        clock.advanceUntilIdle();
        assertEquals(5, f.join());
        assertEquals(100, clock.now(), "the Java body's delay used the Kotlin caller's clock");
    }

    @Test
    void javaExceptionsReachKotlinCallersUnwrapped() {
        Function1<Continuation<? super String>, Object> fn = Coroutines.asSuspendFunction(() -> {
            Suspend.delay(1);
            throw new IOException("from java");
        });
        var e = assertThrows(
                IOException.class,
                () -> BuildersKt.runBlocking(EmptyCoroutineContext.INSTANCE, (s, c) -> fn.invoke(c)));
        assertEquals("from java", e.getMessage());
    }

    @Test
    void kotlinWithTimeoutCancelsTheJavaBodyAndWaitsForItsFinally() {
        VirtualClock clock = new VirtualClock();
        List<String> log = new ArrayList<>();
        Function1<Continuation<? super String>, Object> slow = Coroutines.asSuspendFunction(() -> {
            try {
                Suspend.delay(5_000);
                return "slow";
            } finally {
                log.add("java finally@" + clock.now());
            }
        });
        var f = FutureKt.future(
                clock.scope,
                EmptyCoroutineContext.INSTANCE,
                CoroutineStart.DEFAULT,
                (s, c) -> TimeoutKt.withTimeout(1_000, (s2, c2) -> slow.invoke(c2), c));
        clock.advanceUntilIdle();
        // A timed-out coroutine counts as cancelled: the future is cancelled, not failed.
        assertThrows(CancellationException.class, f::join);
        assertTrue(f.isCancelled());
        assertEquals(List.of("java finally@1000"), log);
    }

    @Test
    void fromStageAwaitsWithoutAThreadAndCallsTheSupplierOncePerInvocation() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Function1<Continuation<? super Integer>, Object> fn =
                Coroutines.fromStage(() -> CompletableFuture.completedFuture(calls.incrementAndGet()));
        int a = BuildersKt.runBlocking(EmptyCoroutineContext.INSTANCE, (s, c) -> fn.invoke(c));
        int b = BuildersKt.runBlocking(EmptyCoroutineContext.INSTANCE, (s, c) -> fn.invoke(c));
        assertEquals(1, a);
        assertEquals(2, b);
        assertEquals(2, calls.get());
        assertEquals(0, Coroutines.activeBodies());
    }

    @Test
    void fromStageFunctionVariant() throws Exception {
        Function2<Integer, Continuation<? super Integer>, Object> twice =
                Coroutines.fromStage((Integer x) -> CompletableFuture.supplyAsync(() -> 2 * x));
        int v = BuildersKt.runBlocking(EmptyCoroutineContext.INSTANCE, (s, c) -> twice.invoke(21, c));
        assertEquals(42, v);
    }

    @Test
    void cancellingTheKotlinCallerCancelsTheStage() {
        VirtualClock clock = new VirtualClock();
        CompletableFuture<String> never = new CompletableFuture<>();
        Function1<Continuation<? super String>, Object> fn = Coroutines.fromStage(() -> never);
        var f = FutureKt.future(
                clock.scope,
                EmptyCoroutineContext.INSTANCE,
                CoroutineStart.DEFAULT,
                (s, c) -> TimeoutKt.withTimeout(50, (s2, c2) -> fn.invoke(c2), c));
        clock.advanceUntilIdle();
        assertTrue(f.isCompletedExceptionally());
        assertTrue(never.isCancelled(), "the awaited CompletableFuture must be cancelled with its caller");
        assertEquals(50, clock.now());
    }

    @Test
    void fromStageFailuresAndNullStages() {
        Function1<Continuation<? super String>, Object> failing =
                Coroutines.fromStage(() -> CompletableFuture.failedFuture(new IOException("stage failed")));
        var e = assertThrows(
                IOException.class,
                () -> BuildersKt.runBlocking(EmptyCoroutineContext.INSTANCE, (s, c) -> failing.invoke(c)));
        assertEquals("stage failed", e.getMessage());

        Function1<Continuation<? super String>, Object> nullStage = Coroutines.fromStage(() -> null);
        var npe = assertThrows(
                NullPointerException.class,
                () -> BuildersKt.runBlocking(EmptyCoroutineContext.INSTANCE, (s, c) -> nullStage.invoke(c)));
        assertTrue(npe.getMessage().contains("supplier"), npe.getMessage());

        Function2<String, Continuation<? super String>, Object> nullFn = Coroutines.fromStage((String x) -> null);
        var npe2 = assertThrows(
                NullPointerException.class,
                () -> BuildersKt.runBlocking(EmptyCoroutineContext.INSTANCE, (s, c) -> nullFn.invoke("x", c)));
        assertTrue(npe2.getMessage().contains("fn"), npe2.getMessage());
    }

    @Test
    void aSuspendFunctionObjectIsReusableAndConcurrentlyCallable() {
        Function1<Continuation<? super String>, Object> fn = Coroutines.asSuspendFunction(() -> {
            Suspend.delay(1);
            return Thread.currentThread().isVirtual() ? "virtual" : "platform";
        });
        List<String> r = Coroutines.gather(
                () -> Suspend.call(fn::invoke), () -> Suspend.call(fn::invoke), () -> Suspend.call(fn::invoke));
        assertEquals(List.of("virtual", "virtual", "virtual"), r);
    }

    @Test
    void cancellationOfAKotlinParentReachesTheJavaBody() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<String> seen = new CompletableFuture<>();
        Function1<Continuation<? super String>, Object> fn = Coroutines.asSuspendFunction(() -> {
            try {
                started.countDown();
                Suspend.delay(Long.MAX_VALUE);
                return "never";
            } catch (CancellationException e) {
                seen.complete("cancelled");
                throw e;
            }
        });
        CoroutineScope scope = CoroutineScopeKt.CoroutineScope(Dispatchers.getDefault());
        BuildersKt.async(scope, EmptyCoroutineContext.INSTANCE, CoroutineStart.DEFAULT, (s, c) -> fn.invoke(c));
        assertTrue(started.await(10, TimeUnit.SECONDS));
        CoroutineScopeKt.cancel(scope, null);
        assertEquals("cancelled", seen.get(10, TimeUnit.SECONDS));
    }
}
