package dev.coflow.bench;

import dev.coflow.AsyncFlow;
import dev.coflow.bridge.Coroutines;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import kotlin.coroutines.EmptyCoroutineContext;
import kotlinx.coroutines.BuildersKt;
import kotlinx.coroutines.CoroutineScope;
import kotlinx.coroutines.CoroutineScopeKt;
import kotlinx.coroutines.CoroutineStart;
import kotlinx.coroutines.DelayKt;
import kotlinx.coroutines.ExecutorCoroutineDispatcher;
import kotlinx.coroutines.ExecutorsKt;
import kotlinx.coroutines.Job;
import kotlinx.coroutines.JobKt;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.FlowCollector;

/**
 * Issue 6, memory: the heap retained by one suspended collection of a generator, for coflow
 * ({@link #coflowGenerators}) and for kotlinx ({@link #kotlinxCollectors}). Not a JMH benchmark
 * (JMH measures time); {@code benchmarks/run} runs {@link #main} after JMH and the report merges
 * its JSON file with JMH's.
 *
 * <p>One measurement: on a fresh single-threaded dispatcher, {@code launch} {@code count}
 * coroutines, each collecting a two-element generator with a collector that suspends forever
 * ({@code awaitCancellation()}) on the first element. Once every collector holds its first
 * element, the used heap after full GCs minus the used heap before, divided by {@code count}, is
 * the bytes per suspended collection: the coroutine, the collector's and the generator's
 * suspended state, and for coflow the generator body's parked virtual thread (its stack is a heap
 * object while parked) and the bridge's driver. Then everything is cancelled and joined, and the
 * probe checks that the heap and {@link Coroutines#activeBodies()} are back.
 *
 * <ul>
 * <li>kotlinx: {@code (0..1).asFlow()}, kotlinx's own compiled {@code flow { for (v in range) emit(v) }}.</li>
 * <li>coflow: {@code AsyncFlow.generate(e -> { for (i = 0; i < 2; i++) e.emit(i); })}; the
 * body runs on its own virtual thread and stays parked inside {@code emit}.</li>
 * </ul>
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.coflow.bench.MemoryProbe <out.json> [count] [rounds]}
 * (defaults 100,000 and 3). Writes one result per side in the shape of JMH's JSON (score in
 * {@code B/collection}, one raw value per round), which {@code report.Report --extra=} reads.
 */
public final class MemoryProbe {
    /** The issue-6 count of suspended collections. */
    public static final int DEFAULT_COUNT = 100_000;

    /**
     * One measurement.
     *
     * @param bytesEach retained heap per suspended collection
     * @param bodiesWhileSuspended {@link Coroutines#activeBodies()} while suspended, minus before
     * @param bodiesLeft the same after cancelling and joining everything (0 when clean)
     * @param bytesLeftEach heap still retained after cleanup, per collection (about 0 when clean)
     */
    public record Sample(double bytesEach, int bodiesWhileSuspended, int bodiesLeft, double bytesLeftEach) {}

    private MemoryProbe() {}

    /** Measures {@code count} suspended coflow generator collections. */
    public static Sample coflowGenerators(int count) throws InterruptedException {
        return measure(count, AsyncFlow.generate(emitter -> {
            for (int i = 0; i < 2; i++) {
                emitter.emit(i);
            }
        }));
    }

    /**
     * Measures {@code count} suspended collections of {@code AsyncFlow.range(0, 2)}: a coflow source
     * written as a resumable Java state machine, no Java body and no virtual thread. Report-only
     * row, it shows what the generator's virtual thread costs.
     */
    public static Sample coflowRange(int count) throws InterruptedException {
        return measure(count, AsyncFlow.range(0, 2));
    }

    /** Measures {@code count} suspended collections of kotlinx's compiled {@code (0..1).asFlow()}. */
    public static Sample kotlinxCollectors(int count) throws InterruptedException {
        return measure(count, Kx.range(0, 2));
    }

    private static Sample measure(int count, Flow<Integer> flow) throws InterruptedException {
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1, got " + count);
        }
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> new Thread(r, "memory-probe"));
        ExecutorCoroutineDispatcher dispatcher = ExecutorsKt.from(thread);
        try {
            Job job = JobKt.Job(null);
            CoroutineScope scope = CoroutineScopeKt.CoroutineScope(dispatcher.plus(job));
            CountDownLatch holding = new CountDownLatch(count);
            FlowCollector<Integer> waitForever = (value, c) -> {
                holding.countDown();
                return DelayKt.awaitCancellation(c);
            };
            int bodiesBefore = Coroutines.activeBodies();
            long before = usedHeapAfterGc();
            for (int i = 0; i < count; i++) {
                BuildersKt.launch(
                        scope,
                        EmptyCoroutineContext.INSTANCE,
                        CoroutineStart.DEFAULT,
                        (s, c) -> flow.collect(waitForever, c));
            }
            if (!holding.await(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("only " + (count - holding.getCount()) + " of " + count
                        + " collections reached their first element within 5 minutes");
            }
            drain(thread); // the dispatcher thread finished the step that suspended the last collector
            long suspended = usedHeapAfterGc();
            int bodiesWhile = Coroutines.activeBodies() - bodiesBefore;

            job.cancel(null);
            Kx.<kotlin.Unit>runBlocking((s, c) -> job.join(c));
            int bodiesLeft = Coroutines.activeBodies() - bodiesBefore;
            for (int wait = 0; bodiesLeft > 0 && wait < 500; wait++) { // bodies return just after their driver ends
                Thread.sleep(10);
                bodiesLeft = Coroutines.activeBodies() - bodiesBefore;
            }
            long after = usedHeapAfterGc();
            return new Sample(
                    (double) (suspended - before) / count, bodiesWhile, bodiesLeft, (double) (after - before) / count);
        } finally {
            dispatcher.close();
            thread.shutdownNow();
            thread.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private static void drain(ExecutorService thread) throws InterruptedException {
        try {
            thread.submit(() -> {}).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Used heap after a few full collections (a single {@code System.gc()} can leave garbage behind). */
    static long usedHeapAfterGc() throws InterruptedException {
        var memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(20);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /**
     * Runs both sides {@code rounds} times, alternating, and writes the results.
     *
     * @param args {@code <out.json> [count] [rounds]}
     * @throws Exception if a measurement fails or the file cannot be written
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: MemoryProbe <out.json> [count] [rounds]");
            System.exit(2);
        }
        int count = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_COUNT;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be >= 1, got " + rounds);
        }
        // Warm up: a parked virtual thread's stack is copied to the heap, and interpreted frames
        // are larger than compiled ones, so measure only once the paths are JIT-compiled.
        for (int w = 0; w < 2; w++) {
            kotlinxCollectors(Math.min(count, 20_000));
            coflowGenerators(Math.min(count, 20_000));
            coflowRange(Math.min(count, 20_000));
        }
        List<Sample> kotlinx = new ArrayList<>();
        List<Sample> coflow = new ArrayList<>();
        List<Sample> range = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            kotlinx.add(report("kotlinxCollectors", kotlinxCollectors(count)));
            coflow.add(report("coflowGenerators", coflowGenerators(count)));
            range.add(report("coflowRange", coflowRange(count)));
        }
        String json = "[\n" + result("kotlinxCollectors", count, kotlinx) + ",\n"
                + result("coflowGenerators", count, coflow) + ",\n"
                + result("coflowRange", count, range) + "\n]\n";
        Files.writeString(Path.of(args[0]), json);
        System.out.println("MemoryProbe: wrote " + args[0]);
    }

    private static Sample report(String name, Sample s) {
        System.out.printf(
                Locale.ROOT,
                "MemoryProbe.%-18s %8.0f B per suspended collection, %d bodies while suspended,"
                        + " after cleanup: %d bodies, %.1f B each%n",
                name,
                s.bytesEach(),
                s.bodiesWhileSuspended(),
                s.bodiesLeft(),
                s.bytesLeftEach());
        if (s.bodiesLeft() != 0) {
            throw new IllegalStateException(
                    name + ": " + s.bodiesLeft() + " bodies still running after cancel and join");
        }
        return s;
    }

    /** One result in the shape of a JMH JSON entry; the error is a 99.9% half-width as JMH computes it. */
    static String result(String name, int count, List<Sample> samples) {
        double[] xs = samples.stream().mapToDouble(Sample::bytesEach).toArray();
        double mean = 0;
        for (double x : xs) {
            mean += x;
        }
        mean /= xs.length;
        String error = "\"NaN\"";
        if (xs.length > 1) {
            double ss = 0;
            for (double x : xs) {
                ss += (x - mean) * (x - mean);
            }
            double sd = Math.sqrt(ss / (xs.length - 1));
            error = fmt(studentT999(xs.length - 1) * sd / Math.sqrt(xs.length));
        }
        StringBuilder raw = new StringBuilder();
        for (double x : xs) {
            raw.append(raw.isEmpty() ? "" : ",").append(fmt(x));
        }
        return """
                {"benchmark":"dev.coflow.bench.MemoryProbe.%s","mode":"memory","threads":1,"forks":1,
                 "jdkVersion":"%s","vmName":"%s","jvmArgs":[%s],
                 "params":{"count":"%d"},
                 "primaryMetric":{"score":%s,"scoreError":%s,"scoreUnit":"B/collection","rawData":[[%s]]}}""".formatted(
                        name,
                        System.getProperty("java.version"),
                        System.getProperty("java.vm.name"),
                        String.join(
                                ",",
                                ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                                        .map(a -> "\"" + a.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                                        .toList()),
                        count,
                        fmt(mean),
                        error,
                        raw);
    }

    private static String fmt(double x) {
        return String.format(Locale.ROOT, "%.3f", x);
    }

    /** Two-sided 99.9% quantile of Student's t ({@code t(0.9995, df)}), the factor JMH uses. */
    static double studentT999(int df) {
        double[] table = {636.619, 31.599, 12.924, 8.610, 6.869, 5.959, 5.408, 5.041, 4.781, 4.587};
        if (df <= table.length) {
            return table[df - 1];
        }
        double z = 3.2905; // beyond the table: Cornish-Fisher expansion around the normal quantile
        double z3 = z * z * z;
        double z5 = z3 * z * z;
        double z7 = z5 * z * z;
        return z
                + (z3 + z) / (4.0 * df)
                + (5 * z5 + 16 * z3 + 3 * z) / (96.0 * df * df)
                + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384.0 * df * df * df);
    }
}
