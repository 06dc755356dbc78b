package dev.coflow.bench;

import dev.coflow.AsyncFlow;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Issue 6, throughput of a blocking fan-out: {@code tasks} elements, each mapped by a function that
 * blocks for 1 ms ({@link #work}), at most {@link #CONCURRENCY} at once, results folded in element
 * order by {@link #combine} (order-sensitive, so an unordered result would not agree). Every
 * method returns the same value. The report divides JMH's time per invocation by
 * {@code tasks}: rows read as nanoseconds per task, so lower is higher throughput. The ideal is
 * {@code 1 ms / 64}, about 15,600 ns per task (a little more: {@code sleep(1)} oversleeps).
 *
 * <p>The parameter is {@code tasks}, not {@code n}: {@code benchmarks/run --quick} sets
 * {@code n = 100,000} for the per-element pipelines, which would make one invocation here 1.6 s;
 * quick mode sets {@code tasks = 2,000} instead (about 32 ms per invocation).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class MapAsyncBench {
    /** At most this many calls of {@link #work} run at once, on every side. */
    static final int CONCURRENCY = 64;

    /** Elements (blocking calls) per invocation. */
    @Param("10000")
    public int tasks;

    /**
     * The measured workload: blocks the calling thread for 1 ms, then returns {@code i}. A plain
     * {@code Thread.sleep} on purpose: this is the blocking call (JDBC, a legacy client) that
     * {@code mapAsync} exists to run {@code 64} at a time.
     */
    static int work(int i) throws InterruptedException {
        Thread.sleep(1);
        return i;
    }

    /** {@code acc * 31 + v}: a fold whose result depends on the order of the values. */
    static long combine(long acc, int v) {
        return acc * 31 + v;
    }

    /** coflow {@code AsyncFlow.range(0, tasks).mapAsync(64, work)}: each call on its own virtual thread. */
    @Benchmark
    public long coflow() {
        long[] sum = {0};
        AsyncFlow.range(0, tasks).mapAsync(CONCURRENCY, MapAsyncBench::work).forEach(v -> sum[0] = combine(sum[0], v));
        return sum[0];
    }

    /**
     * Reactor {@code flatMapSequential(fn, 64)} with each call subscribed on
     * {@code Schedulers.boundedElastic()}. Note: that scheduler's default cap is
     * {@code 10 x availableProcessors} threads (20 on a 2-core machine), so fewer than 64 calls can
     * actually block at once there; that is the scheduler Reactor recommends for blocking calls,
     * used as it comes.
     */
    @Benchmark
    public long reactor() {
        return Flux.range(0, tasks)
                .flatMapSequential(
                        i -> Mono.fromCallable(() -> work(i)).subscribeOn(Schedulers.boundedElastic()), CONCURRENCY)
                .reduce(0L, MapAsyncBench::combine)
                .block();
    }

    /**
     * Plain virtual threads: one per task from {@code newVirtualThreadPerTaskExecutor()}, a
     * {@link Semaphore} of 64 permits taken before each submit and given back when the task ends,
     * results collected in submission order.
     */
    @Benchmark
    public long virtualThreads() throws InterruptedException, ExecutionException {
        Semaphore permits = new Semaphore(CONCURRENCY);
        List<Future<Integer>> results = new ArrayList<>(tasks);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < tasks; i++) {
                permits.acquire();
                int element = i;
                results.add(executor.submit(() -> {
                    try {
                        return work(element);
                    } finally {
                        permits.release();
                    }
                }));
            }
            long acc = 0;
            for (Future<Integer> f : results) {
                acc = combine(acc, f.get());
            }
            return acc;
        }
    }

    /**
     * kotlinx {@code flatMapMerge(64) { i -> flow { emit(i to work(i)) }.flowOn(Dispatchers.IO) }},
     * collected into a list and sorted by index: kotlinx has no ordered concurrent map, so this is
     * what a Kotlin team writes for {@code mapAsync}'s result order.
     */
    @Benchmark
    public long kotlinxFlatMapMerge() {
        kotlinx.coroutines.flow.Flow<long[]> merged = kotlinx.coroutines.flow.FlowKt.flatMapMerge(
                Kx.range(0, tasks),
                CONCURRENCY,
                (Integer i, kotlin.coroutines.Continuation<? super kotlinx.coroutines.flow.Flow<long[]>> c) ->
                        kotlinx.coroutines.flow.FlowKt.flowOn(
                                kotlinx.coroutines.flow.FlowKt.<long[]>flow(
                                        (collector, c2) -> collector.emit(new long[] {i, workInterruptible(i)}, c2)),
                                kotlinx.coroutines.Dispatchers.getIO()));
        List<long[]> pairs = new ArrayList<>(tasks);
        Kx.<Object>runBlocking((scope, c) -> kotlinx.coroutines.flow.FlowKt.toList(merged, pairs, Kx.erased(c)));
        pairs.sort(java.util.Comparator.comparingLong(p -> p[0]));
        long acc = 0;
        for (long[] p : pairs) {
            acc = combine(acc, (int) p[1]);
        }
        return acc;
    }

    private static int workInterruptible(int i) {
        try {
            return work(i);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.util.concurrent.CancellationException("interrupted");
        }
    }
}
