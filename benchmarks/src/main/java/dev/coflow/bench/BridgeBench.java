package dev.coflow.bench;

import dev.coflow.bridge.Coroutines;
import dev.coflow.bridge.Suspend;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import kotlin.Unit;
import kotlin.coroutines.Continuation;
import kotlinx.coroutines.DelayKt;
import kotlinx.coroutines.flow.FlowCollector;
import kotlinx.coroutines.future.FutureKt;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The cost of one suspend-like call made by a Java body (issue 2) versus the same call made by
 * Kotlin-compiled code. Every method makes {@code k} calls inside one {@code runBlocking}; the
 * report divides by {@code k}, so rows read as nanoseconds per call.
 *
 * <p>Two calls that never really suspend, so the figure is pure call machinery:
 * {@code delay(0)} (kotlinx returns at once) and {@code await} of an already completed future.
 * Three ways to make them:
 * <ul>
 *   <li>{@code *JavaBody}: a Java body run by {@code Coroutines.runSuspending}, calling
 *       {@code Suspend.delay(0)} / {@code Suspend.await(done)} in a plain loop. Each call is handed
 *       from the body's virtual thread to the driver coroutine and back.</li>
 *   <li>{@code *KotlinFlow}: kotlinx's own compiled loop, {@code (1..k).asFlow()}, whose
 *       {@code emit} into a Java {@code FlowCollector} tail-calls {@code DelayKt.delay(0, c)} /
 *       {@code FutureKt.await(done, c)}. Kotlin-compiled code drives the loop; it includes
 *       {@code SafeCollector}'s per-emit bookkeeping, a few ns.</li>
 *   <li>{@code *StateMachine}: {@link CallLoop}, the state machine {@code kotlinc} emits for
 *       {@code repeat(k) { delay(0) }}, hand-written in Java; nothing but the calls.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BridgeBench {
    /** Calls per invocation. */
    @Param("1000")
    public int k;

    private final CompletableFuture<Integer> done = CompletableFuture.completedFuture(7);

    // ---- delay(0) ------------------------------------------------------------------------------

    /** {@code Suspend.delay(0)} k times from a Java body. */
    @Benchmark
    public Integer delayJavaBody() {
        int calls = k;
        return Kx.<Integer>runBlocking((scope, c) -> Coroutines.runSuspending(
                () -> {
                    for (int i = 0; i < calls; i++) {
                        Suspend.delay(0);
                    }
                    return calls;
                },
                c));
    }

    /**
     * {@code Suspend.delay(0)} k times from a Java body started by a blocking coflow call on the
     * caller's thread: the inline path (what a generator collected by a coflow terminal uses).
     */
    @Benchmark
    public Integer delayInlineBody() {
        int calls = k;
        return Suspend.<Integer>call(c -> Coroutines.runSuspending(
                () -> {
                    for (int i = 0; i < calls; i++) {
                        Suspend.delay(0);
                    }
                    return calls;
                },
                c));
    }

    /** {@code Suspend.delay(0)} k times from a Java body whose coroutine runs on {@code Dispatchers.Default}. */
    @Benchmark
    public Integer delayJavaBodyOnDefault() {
        int calls = k;
        return Kx.<Integer>runBlocking(
                kotlinx.coroutines.Dispatchers.getDefault(),
                (scope, c) -> Coroutines.runSuspending(
                        () -> {
                            for (int i = 0; i < calls; i++) {
                                Suspend.delay(0);
                            }
                            return calls;
                        },
                        c));
    }

    /** kotlinx {@code (1..k).asFlow().collect { delay(0) }}. */
    @Benchmark
    public Object delayKotlinFlow() {
        FlowCollector<Integer> delayEach = (Integer v, Continuation<? super Unit> c) -> DelayKt.delay(0, c);
        return Kx.runBlocking((scope, c) -> Kx.range(1, k + 1).collect(delayEach, c));
    }

    /** {@code repeat(k) { delay(0) }} as a compiled-style state machine. */
    @Benchmark
    public Long delayStateMachine() {
        return Kx.<Long>runBlocking((scope, c) -> CallLoop.run(k, c2 -> DelayKt.delay(0, c2), c));
    }

    // ---- await(completed future) ---------------------------------------------------------------

    /** {@code Suspend.await(done)} k times from a Java body. */
    @Benchmark
    public Long awaitJavaBody() {
        int calls = k;
        CompletableFuture<Integer> f = done;
        return Kx.<Long>runBlocking((scope, c) -> Coroutines.runSuspending(
                () -> {
                    long sum = 0;
                    for (int i = 0; i < calls; i++) {
                        sum += Suspend.await(f);
                    }
                    return sum;
                },
                c));
    }

    /** kotlinx {@code (1..k).asFlow().collect { done.await() }}. */
    @Benchmark
    public Object awaitKotlinFlow() {
        CompletableFuture<Integer> f = done;
        FlowCollector<Integer> awaitEach = (Integer v, Continuation<? super Unit> c) -> FutureKt.await(f, Kx.erased(c));
        return Kx.runBlocking((scope, c) -> Kx.range(1, k + 1).collect(awaitEach, c));
    }

    /** {@code repeat(k) { done.await() }} as a compiled-style state machine. */
    @Benchmark
    public Long awaitStateMachine() {
        CompletableFuture<Integer> f = done;
        return Kx.<Long>runBlocking((scope, c) -> CallLoop.run(k, c2 -> FutureKt.await(f, c2), c));
    }
}
