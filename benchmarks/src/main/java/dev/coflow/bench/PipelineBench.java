package dev.coflow.bench;

import dev.coflow.AsyncFlow;
import io.reactivex.rxjava3.core.Flowable;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import kotlinx.coroutines.Dispatchers;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import reactor.core.publisher.Flux;

/**
 * {@code range(0, n) -> map(v * 2) -> filter(v % 3 == 0) -> sum}, blocking terminal from Java.
 * Every method returns the same sum; the report divides JMH's time per invocation by {@code n},
 * so rows read as nanoseconds per element.
 *
 * <p>Anchors for the issue-6 rows "range pipeline", "generate pipeline" (kotlinx {@code asFlow} is
 * itself a compiled {@code flow {}}; Reactor {@code Flux.generate}) and "collected on
 * {@code Dispatchers.Default}". A coflow row is one more method here, named in {@code cases.txt}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PipelineBench {
    /** Elements per invocation. */
    @Param("1000000")
    public int n;

    /** Lower bound: what the JIT makes of a hand-written loop. */
    @Benchmark
    public long loop() {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            int v = i * 2;
            if (v % 3 == 0) {
                sum += v;
            }
        }
        return sum;
    }

    /** {@code IntStream}: a fused, unboxed, synchronous pipeline. */
    @Benchmark
    public long intStream() {
        return IntStream.range(0, n)
                .map(v -> v * 2)
                .filter(v -> v % 3 == 0)
                .asLongStream()
                .sum();
    }

    /** kotlinx native: {@code asFlow(IntRange)} + {@code FlowKt.map/filter/fold} with Java lambdas, in {@code runBlocking}. */
    @Benchmark
    public long kotlinx() {
        return Kx.<Long>runBlocking((scope, c) -> Kx.sum(Kx.mapFilter(Kx.range(0, n)), c));
    }

    /** The same kotlinx pipeline collected by a coroutine on {@code Dispatchers.Default}; the caller blocks. */
    @Benchmark
    public long kotlinxOnDefault() {
        return Kx.<Long>runBlocking(Dispatchers.getDefault(), (scope, c) -> Kx.sum(Kx.mapFilter(Kx.range(0, n)), c));
    }

    /** Reactor {@code Flux.range} + {@code map/filter/reduce}, {@code block()}. */
    @Benchmark
    public long reactor() {
        return Flux.range(0, n)
                .map(v -> v * 2)
                .filter(v -> v % 3 == 0)
                .reduce(0L, (acc, v) -> acc + v)
                .block();
    }

    /** Reactor {@code Flux.generate}: a synchronous generator callback as the source. */
    @Benchmark
    public long reactorGenerate() {
        int limit = n;
        Flux<Integer> source =
                Flux.generate(() -> 0, (Integer i, reactor.core.publisher.SynchronousSink<Integer> sink) -> {
                    if (i < limit) {
                        sink.next(i);
                    } else {
                        sink.complete();
                    }
                    return i + 1;
                });
        return source.map(v -> v * 2)
                .filter(v -> v % 3 == 0)
                .reduce(0L, (acc, v) -> acc + v)
                .block();
    }

    /** RxJava {@code Flowable.range} + {@code map/filter/reduce}, {@code blockingGet()}. */
    @Benchmark
    public long rxjava() {
        return Flowable.range(0, n)
                .map(v -> v * 2)
                .filter(v -> v % 3 == 0)
                .reduce(0L, (acc, v) -> acc + v)
                .blockingGet();
    }

    // ---- coflow -------------------------------------------------------------------------------

    /** coflow {@code AsyncFlow.range} (a Java-written resumable loop) + {@code map/filter}, {@code forEach} terminal. */
    @Benchmark
    public long coflow() {
        long[] sum = {0};
        AsyncFlow.range(0, n).map(v -> v * 2).filter(v -> v % 3 == 0).forEach(v -> sum[0] += v);
        return sum[0];
    }

    /** coflow {@code AsyncFlow.generate} (a Java body, {@code emit} in a loop), same pipeline and terminal. */
    @Benchmark
    public long coflowGenerate() {
        long[] sum = {0};
        generator(n).map(v -> v * 2).filter(v -> v % 3 == 0).forEach(v -> sum[0] += v);
        return sum[0];
    }

    /**
     * The coflow generator collected by the kotlinx pipeline of {@link #kotlinxOnDefault} (a Kotlin
     * collector on {@code Dispatchers.Default}): the body runs on a virtual thread.
     */
    @Benchmark
    public long coflowGenerateOnDefault() {
        AsyncFlow<Integer> source = generator(n);
        return Kx.<Long>runBlocking(Dispatchers.getDefault(), (scope, c) -> Kx.sum(Kx.mapFilter(source), c));
    }

    /**
     * coflow's {@code range -> map -> filter} (coflow lambdas, each a suspend-like step) collected by
     * the kotlinx fold of {@link #kotlinx} in {@code runBlocking}: the kotlinx path, not the fused loop.
     */
    @Benchmark
    public long coflowOnKotlinx() {
        AsyncFlow<Integer> pipeline = AsyncFlow.range(0, n).map(v -> v * 2).filter(v -> v % 3 == 0);
        return Kx.<Long>runBlocking((scope, c) -> Kx.sum(pipeline, c));
    }

    /**
     * The generator inside {@code AsyncFlow.using} (the resource pattern: a cursor per collection),
     * same pipeline and terminal: the inner body nests inline in the using body's call.
     */
    @Benchmark
    public long coflowUsingGenerate() {
        long[] sum = {0};
        AsyncFlow.using(() -> "resource", r -> generator(n), r -> {})
                .map(v -> v * 2)
                .filter(v -> v % 3 == 0)
                .forEach(v -> sum[0] += v);
        return sum[0];
    }

    static AsyncFlow<Integer> generator(int n) {
        return AsyncFlow.generate(emitter -> {
            for (int i = 0; i < n; i++) {
                emitter.emit(i);
            }
        });
    }
}
