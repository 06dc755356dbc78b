package dev.coflow.bench;

import java.util.concurrent.TimeUnit;
import kotlinx.coroutines.channels.BufferOverflow;
import kotlinx.coroutines.flow.FlowKt;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * {@code source -> buffer(64) -> sum}: producer and consumer decoupled by a 64-slot buffer.
 * Reported per element (the report divides by {@code n}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BufferBench {
    /** Elements per invocation. */
    @Param("1000000")
    public int n;

    /**
     * kotlinx {@code asFlow().buffer(64).fold(...)} in {@code runBlocking}: producer and consumer are
     * coroutines on the same event-loop thread, handing over through a {@code Channel}.
     */
    @Benchmark
    public long kotlinx() {
        return Kx.<Long>runBlocking((scope, c) -> Kx.sum(FlowKt.buffer(Kx.range(0, n), 64, BufferOverflow.SUSPEND), c));
    }

    /** Reactor {@code Flux.range(...).publishOn(Schedulers.single(), 64)}: the consumer runs on another thread. */
    @Benchmark
    public long reactor() {
        return Flux.range(0, n)
                .publishOn(Schedulers.single(), 64)
                .reduce(0L, (acc, v) -> acc + v)
                .block();
    }

    /** coflow {@code generate -> buffer(64)}, {@code forEach} terminal. */
    @Benchmark
    public long coflowGenerate() {
        long[] sum = {0};
        PipelineBench.generator(n).buffer(64).forEach(v -> sum[0] += v);
        return sum[0];
    }
}
