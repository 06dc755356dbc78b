package dev.coflow.bench;

import dev.coflow.AsyncFlow;
import dev.coflow.bridge.Suspend;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import kotlin.coroutines.Continuation;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.FlowKt;
import kotlinx.coroutines.future.FutureKt;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Operator lambdas that make a suspend-like call (issue 9): {@code range(0, n) -> map(v ->
 * await(done) + v) -> sum}, where {@code done} is an already completed future, so the await
 * returns at once, as it does for a cache hit. The kotlinx anchor is what compiled Kotlin makes of
 * {@code map { done.await() + it }}: a direct call of {@code CompletionStage.await} with the
 * operator's continuation. Per element.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LambdaBench {
    /** Elements per invocation. */
    @Param("1000000")
    public int n;

    private final CompletableFuture<Integer> done = CompletableFuture.completedFuture(1);

    /** kotlinx: {@code (0 until n).asFlow().map { done.await() + it }.fold(0L) { a, v -> a + v }} in {@code runBlocking}. */
    @Benchmark
    public long kotlinxMapAwait() {
        Flow<Integer> mapped = FlowKt.map(Kx.range(0, n), (Integer v, Continuation<? super Integer> c) -> {
            Object r = FutureKt.await(done, c);
            return r instanceof Integer i ? i + v : r; // never suspends: the future is complete
        });
        return Kx.<Long>runBlocking((scope, c) -> Kx.sum(mapped, c));
    }

    /** coflow's {@code map} whose lambda awaits, collected by the same kotlinx fold in {@code runBlocking}. */
    @Benchmark
    public long coflowMapAwaitInCoroutine() {
        AsyncFlow<Integer> mapped = AsyncFlow.range(0, n).map(v -> Suspend.await(done) + v);
        return Kx.<Long>runBlocking((scope, c) -> Kx.sum(mapped, c));
    }

    /** coflow's {@code map} whose lambda awaits, blocking terminal from plain Java (the fused loop). */
    @Benchmark
    public long coflowMapAwaitBlocking() {
        long[] sum = {0};
        AsyncFlow.range(0, n).map(v -> Suspend.await(done) + v).forEach(v -> sum[0] += v);
        return sum[0];
    }

    /** coflow's {@code map} whose lambda awaits, inside a generator pipeline with a coflow terminal (kotlinx path). */
    @Benchmark
    public long coflowMapAwaitGenerate() {
        long[] sum = {0};
        PipelineBench.generator(n).map(v -> Suspend.await(done) + v).forEach(v -> sum[0] += v);
        return sum[0];
    }

    /**
     * What running every lambda as a bridge body of its own would cost (the design not chosen in
     * ADR 0002): {@code transform}, whose Java body gets a body per element, as the identity.
     */
    @Benchmark
    public long coflowBodyPerElement() {
        long[] sum = {0};
        AsyncFlow.range(0, n).<Integer>transform((v, out) -> out.emit(v)).forEach(v -> sum[0] += v);
        return sum[0];
    }
}
