package dev.coflow.bench;

import dev.coflow.AsyncFlow;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import kotlin.Unit;
import kotlin.coroutines.Continuation;
import kotlin.coroutines.CoroutineContext;
import kotlin.coroutines.EmptyCoroutineContext;
import kotlinx.coroutines.CoroutineDispatcher;
import kotlinx.coroutines.Dispatchers;
import kotlinx.coroutines.ExecutorCoroutineDispatcher;
import kotlinx.coroutines.ExecutorsKt;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.FlowKt;
import kotlinx.coroutines.test.TestBuildersKt;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A coflow {@code generate} collected by Kotlin code ({@code map -> filter -> fold}, the
 * {@link PipelineBench} pipeline) in each context a Kotlin codebase collects in, against kotlinx's
 * own {@code flow {}} ({@code asFlow}) collected the same way: {@code runBlocking}'s event loop, a
 * single-thread executor, {@code Dispatchers.Default.limitedParallelism(1)}, {@code flowOn(Default)}
 * and {@code runTest}. Per element. The {@code Dispatchers.Default} pair is in {@link PipelineBench}.
 *
 * <p>These are the rows of issue 13's "no cliff for any collector": {@code benchmarks/run --load}
 * runs them again while a background load keeps both cores busy.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CollectorBench {
    /** Elements per invocation. */
    @Param("100000")
    public int n;

    private ExecutorCoroutineDispatcher single;
    private CoroutineDispatcher limited;

    @Setup(Level.Trial)
    public void setUp() {
        single = ExecutorsKt.from(Executors.newSingleThreadExecutor(r -> new Thread(r, "bench-single")));
        limited = Dispatchers.getDefault().limitedParallelism(1, null);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        single.close();
    }

    private long collect(CoroutineContext context, Flow<Integer> source) {
        return Kx.<Long>runBlocking(context, (scope, c) -> Kx.sum(Kx.mapFilter(source), c));
    }

    private long collectInRunTest(Flow<Integer> source) {
        long[] out = new long[1];
        TestBuildersKt.runTest(EmptyCoroutineContext.INSTANCE, 600_000L, (scope, c) -> {
            Object r = Kx.sum(Kx.mapFilter(source), Kx.erased(new StoreResult(out, Kx.erased(c))));
            if (r == kotlin.coroutines.intrinsics.IntrinsicsKt.getCOROUTINE_SUSPENDED()) {
                return r;
            }
            out[0] = (Long) r;
            return Unit.INSTANCE;
        });
        return out[0];
    }

    // ---- runBlocking's event loop (a user's runBlocking) -------------------------------------

    @Benchmark
    public long kotlinxRunBlocking() {
        return collect(EmptyCoroutineContext.INSTANCE, Kx.range(0, n));
    }

    @Benchmark
    public long coflowRunBlocking() {
        return collect(EmptyCoroutineContext.INSTANCE, PipelineBench.generator(n));
    }

    // ---- a single-thread executor ------------------------------------------------------------

    @Benchmark
    public long kotlinxSingleThread() {
        return collect(single, Kx.range(0, n));
    }

    @Benchmark
    public long coflowSingleThread() {
        return collect(single, PipelineBench.generator(n));
    }

    /**
     * The workaround ADR 0003 names for a thread-confined collector: the generator moved to
     * {@code Dispatchers.Default} with {@code flowOn}, crossing to the single thread through kotlinx's
     * channel (elements in batches) instead of a handoff per element.
     */
    @Benchmark
    public long coflowSingleThreadFlowOn() {
        AsyncFlow<Integer> g = PipelineBench.generator(n);
        return collect(single, FlowKt.flowOn(g, Dispatchers.getDefault()));
    }

    // ---- Dispatchers.Default.limitedParallelism(1) -------------------------------------------

    @Benchmark
    public long kotlinxLimited() {
        return collect(limited, Kx.range(0, n));
    }

    @Benchmark
    public long coflowLimited() {
        return collect(limited, PipelineBench.generator(n));
    }

    // ---- flowOn(Dispatchers.Default), collected in runBlocking --------------------------------

    @Benchmark
    public long kotlinxFlowOn() {
        return collect(EmptyCoroutineContext.INSTANCE, FlowKt.flowOn(Kx.range(0, n), Dispatchers.getDefault()));
    }

    @Benchmark
    public long coflowFlowOn() {
        AsyncFlow<Integer> g = PipelineBench.generator(n);
        return collect(EmptyCoroutineContext.INSTANCE, FlowKt.flowOn(g, Dispatchers.getDefault()));
    }

    // ---- runTest (virtual time) --------------------------------------------------------------

    @Benchmark
    public long kotlinxRunTest() {
        return collectInRunTest(Kx.range(0, n));
    }

    @Benchmark
    public long coflowRunTest() {
        return collectInRunTest(PipelineBench.generator(n));
    }

    /** The continuation of the fold inside runTest: stores the sum, then finishes the test body. */
    private record StoreResult(long[] out, Continuation<Object> next) implements Continuation<Object> {
        @Override
        public CoroutineContext getContext() {
            return next.getContext();
        }

        @Override
        public void resumeWith(Object result) {
            if (result instanceof Long sum) {
                out[0] = sum;
                next.resumeWith(Unit.INSTANCE);
            } else {
                next.resumeWith(result); // a kotlin.Result.Failure: the test fails with it
            }
        }
    }
}
