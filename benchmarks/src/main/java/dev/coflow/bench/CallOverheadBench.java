package dev.coflow.bench;

import dev.coflow.AsyncFlow;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import kotlinx.coroutines.flow.FlowKt;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import reactor.core.publisher.Flux;

/**
 * Call overhead: build a 10-element flow and collect it into a list with a blocking terminal,
 * once per invocation. Reported per call (no {@code n}): this is the fixed cost a Java caller
 * pays for entering and leaving the flow world.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CallOverheadBench {
    /** kotlinx {@code runBlocking { (0 until 10).asFlow().toList() }}. */
    @Benchmark
    public List<Integer> kotlinx() {
        return Kx.<List<Integer>>runBlocking(
                (scope, c) -> FlowKt.<Integer>toList(Kx.range(0, 10), new ArrayList<>(), Kx.erased(c)));
    }

    /** Reactor {@code Flux.range(0, 10).collectList().block()}. */
    @Benchmark
    public List<Integer> reactor() {
        return Flux.range(0, 10).collectList().block();
    }

    /** coflow {@code AsyncFlow.range(0, 10).toList()}. */
    @Benchmark
    public List<Integer> coflow() {
        return AsyncFlow.range(0, 10).toList();
    }

    /** coflow {@code generate} of 10 elements, {@code toList()}: includes starting the body. */
    @Benchmark
    public List<Integer> coflowGenerate() {
        return PipelineBench.generator(10).toList();
    }
}
