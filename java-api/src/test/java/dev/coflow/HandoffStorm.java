package dev.coflow;

import dev.coflow.bridge.Suspend;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kotlin.Unit;
import kotlin.coroutines.Continuation;
import kotlin.coroutines.EmptyCoroutineContext;
import kotlinx.coroutines.BuildersKt;
import kotlinx.coroutines.CoroutineDispatcher;
import kotlinx.coroutines.CoroutineScope;
import kotlinx.coroutines.CoroutineStart;
import kotlinx.coroutines.DelayKt;
import kotlinx.coroutines.Dispatchers;
import kotlinx.coroutines.GlobalScope;
import kotlinx.coroutines.YieldKt;
import kotlinx.coroutines.channels.Channel;
import kotlinx.coroutines.flow.FlowKt;
import kotlinx.coroutines.future.FutureKt;

/**
 * The randomized harness of {@link HandoffStressTest}: many short collections through the three
 * places where a body and its driver, or a producer and its consumer, hand work to each other
 * (ADR 0001), each checked for elements in order, none lost, none duplicated, and bounded in time,
 * so that a lost wake-up fails the run instead of hanging it.
 *
 * <ul>
 * <li>{@link Path#RUN_BLOCKING}, {@link Path#LIMITED_PARALLELISM}: the fiber's handoff. A generator
 * collected by kotlinx inside a user's {@code runBlocking} event loop or on
 * {@code Dispatchers.getDefault().limitedParallelism(1)}: every call of the body is posted to the
 * driver's one-slot mailbox. Other coroutines of the same loop or dispatcher run meanwhile (noise),
 * and the Kotlin collector itself yields or delays at random.</li>
 * <li>{@link Path#CALLER_LOOP}: a generator emitting to a blocking terminal from plain Java runs
 * inline on the caller's loop; between emits it yields, delays 0 or 1 ms, spins, or awaits a
 * future that another thread completes (a wake-up of the parked caller from outside).</li>
 * <li>{@link Path#CALLER_BUFFER}: {@code buffer(n)} collected by a blocking terminal, the producer on
 * {@code Dispatchers.Default}, the consumer on the caller's thread, through {@code CallerBuffer}'s
 * ring, with random producer and consumer speeds that change in bursts, so the ring runs empty and
 * full in turn.</li>
 * </ul>
 *
 * <p>Two collections run at a time (on this 2-core machine, that keeps both cores contended). Runs
 * inside JUnit and, through {@link #main}, in a forked JVM with other {@code coflow.*} settings
 * ({@code -Dcoflow.spinNanos=0}: every wait parks at once).
 */
final class HandoffStorm {
    static final long BOUND_SECONDS = 10;

    enum Path {
        RUN_BLOCKING,
        LIMITED_PARALLELISM,
        CALLER_LOOP,
        CALLER_BUFFER
    }

    /** How fast a side goes: spins per element, or waits, changing in bursts for BURSTY. */
    enum Speed {
        FAST,
        SLOW,
        BURSTY,
        WAITING
    }

    private HandoffStorm() {}

    /** What a run did. */
    record Stats(int rounds, long elements, Map<Path, Long> perPath, Map<Path, Long> millisPerPath, double seconds) {
        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "%d collections, %,d elements checked in %.1f s (two at a time);"
                            + " collections per path %s, their summed milliseconds %s",
                    rounds,
                    elements,
                    seconds,
                    perPath,
                    millisPerPath);
        }
    }

    /** One collection: what it is, and how to run it; returns the elements it received. */
    record Round(int index, String text, int expected, java.util.concurrent.Callable<List<Integer>> body) {}

    /**
     * Runs {@code rounds} random collections from {@code seed}; throws {@link AssertionError} naming
     * the seed and the collection at the first wrong element list, failure or timeout.
     */
    static Stats run(long seed, int rounds) throws InterruptedException {
        Random random = new Random(seed);
        Map<Path, Long> perPath = new EnumMap<>(Path.class);
        Map<Path, java.util.concurrent.atomic.AtomicLong> nanos = new EnumMap<>(Path.class);
        for (Path p : Path.values()) {
            perPath.put(p, 0L);
            nanos.put(p, new java.util.concurrent.atomic.AtomicLong());
        }
        long elements = 0;
        long start = System.nanoTime();
        ExecutorService callers = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "handoff-caller");
            t.setDaemon(true);
            return t;
        });
        CoroutineDispatcher single = Dispatchers.getDefault().limitedParallelism(1, null);
        try {
            for (int i = 0; i < rounds; i += 2) {
                List<Round> pair = new ArrayList<>(2);
                List<Future<List<Integer>>> running = new ArrayList<>(2);
                for (int k = i; k < Math.min(rounds, i + 2); k++) {
                    Path path = Path.values()[random.nextInt(Path.values().length)];
                    Round r = round(k, path, new Random(random.nextLong()), single);
                    perPath.merge(path, 1L, Long::sum);
                    pair.add(r);
                    java.util.concurrent.atomic.AtomicLong spent = nanos.get(path);
                    running.add(callers.submit(() -> {
                        long t0 = System.nanoTime();
                        try {
                            return r.body().call();
                        } finally {
                            spent.addAndGet(System.nanoTime() - t0);
                        }
                    }));
                }
                for (int k = 0; k < pair.size(); k++) {
                    Round r = pair.get(k);
                    List<Integer> got = await(seed, r, running.get(k));
                    String problem = check(got, r.expected());
                    if (problem != null) {
                        throw new AssertionError(prefix(seed, r) + problem);
                    }
                    elements += got.size();
                }
                Round first = pair.get(0);
                LeakCheck.awaitNoActiveBodies(
                        () -> prefix(seed, first) + "(and the one beside it) after both returned");
            }
        } finally {
            callers.shutdownNow();
            callers.awaitTermination(BOUND_SECONDS, TimeUnit.SECONDS);
        }
        Map<Path, Long> millis = new EnumMap<>(Path.class);
        nanos.forEach((p, n) -> millis.put(p, n.get() / 1_000_000));
        return new Stats(rounds, elements, perPath, millis, (System.nanoTime() - start) / 1e9);
    }

    private static String prefix(long seed, Round r) {
        return "handoff storm seed " + seed + " (rerun: -Dcoflow.handoff.seed=" + seed + "), collection " + r.index()
                + ": " + r.text() + ": ";
    }

    private static List<Integer> await(long seed, Round r, Future<List<Integer>> f) throws InterruptedException {
        try {
            return f.get(BOUND_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            String bodies = String.join("\n", LeakCheck.bodyThreads());
            f.cancel(true);
            throw new AssertionError(prefix(seed, r) + "did not finish within " + BOUND_SECONDS
                    + " s (a lost wake-up?); threads named coflow-body:\n" + bodies + "\ncaller threads:\n"
                    + callerStacks());
        } catch (ExecutionException e) {
            throw new AssertionError(prefix(seed, r) + "failed: " + e.getCause(), e.getCause());
        }
    }

    private static String callerStacks() {
        StringBuilder sb = new StringBuilder();
        Thread.getAllStackTraces().forEach((t, stack) -> {
            if (t.getName().startsWith("handoff-caller")) {
                sb.append(t).append('\n');
                for (int i = 0; i < Math.min(30, stack.length); i++) {
                    sb.append("    at ").append(stack[i]).append('\n');
                }
            }
        });
        return sb.toString();
    }

    /** Elements in order, none lost, none duplicated: exactly 0, 1, ..., expected - 1. */
    static String check(List<Integer> got, int expected) {
        for (int i = 0; i < Math.min(got.size(), expected); i++) {
            if (got.get(i) != i) {
                return "element " + i + " is " + got.get(i) + " ("
                        + (got.get(i) < i ? "duplicated" : "lost or reordered") + "): ..."
                        + got.subList(Math.max(0, i - 3), Math.min(got.size(), i + 4)) + "...";
            }
        }
        if (got.size() != expected) {
            return "expected " + expected + " elements, got " + got.size()
                    + (got.size() < expected ? " (the last ones lost)" : " (extra elements at the end)");
        }
        return null;
    }

    // ---- the collections -------------------------------------------------------------------------

    private static Round round(int index, Path path, Random r, CoroutineDispatcher single) {
        Speed producer = Speed.values()[r.nextInt(Speed.values().length)];
        Speed consumer = Speed.values()[r.nextInt(Speed.values().length)];
        boolean waits = producer == Speed.WAITING || consumer == Speed.WAITING;
        int n = waits ? r.nextInt(100) : r.nextInt(600);
        long seed = r.nextLong();
        AsyncFlow<Integer> gen = generator(n, producer, seed);
        String text = "generate(" + n + " elements, producer " + producer + ")";
        return switch (path) {
            case RUN_BLOCKING, LIMITED_PARALLELISM -> {
                int noise = r.nextInt(3);
                boolean loop = path == Path.RUN_BLOCKING;
                String where = loop ? "in a user's runBlocking event loop" : "on Default.limitedParallelism(1)";
                yield new Round(
                        index,
                        text + " collected by kotlinx " + where + ", collector " + consumer + ", " + noise
                                + " other coroutines there",
                        n,
                        () -> collectByKotlin(gen, loop ? null : single, consumer, noise, seed ^ 0x5DEECE66DL));
            }
            case CALLER_LOOP -> {
                int terminal = r.nextInt(2);
                yield new Round(
                        index,
                        text + (terminal == 0 ? ".toList()" : ".forEach(consumer " + consumer + ")")
                                + " from plain Java",
                        n,
                        () -> terminal == 0 ? gen.toList() : forEach(gen, consumer, seed));
            }
            case CALLER_BUFFER -> {
                int capacity = new int[] {1, 1, 2, 3, 8, 64, Channel.BUFFERED, 0}[r.nextInt(8)];
                int terminal = r.nextInt(2);
                AsyncFlow<Integer> buffered = capacity == Channel.BUFFERED ? gen.buffer() : gen.buffer(capacity);
                yield new Round(
                        index,
                        text + (capacity == Channel.BUFFERED ? ".buffer()" : ".buffer(" + capacity + ")")
                                + (terminal == 0 ? ".toList()" : ".forEach(consumer " + consumer + ")")
                                + " from plain Java",
                        n,
                        () -> terminal == 0 ? buffered.toList() : forEach(buffered, consumer, seed));
            }
        };
    }

    /** 0, 1, ..., n - 1, at the producer's speed. */
    private static AsyncFlow<Integer> generator(int n, Speed speed, long seed) {
        return AsyncFlow.generate(out -> {
            Random p = new Random(seed);
            Pace pace = new Pace(speed, p);
            for (int i = 0; i < n; i++) {
                pace.step(true);
                out.emit(i);
            }
        });
    }

    /** A side's speed, step by step. Producers may call {@code Suspend.*} (they are bodies). */
    static final class Pace {
        final Speed speed;
        final Random random;
        int burstLeft;
        boolean slowBurst;

        Pace(Speed speed, Random random) {
            this.speed = speed;
            this.random = random;
        }

        void step(boolean body) {
            switch (speed) {
                case FAST -> {}
                case SLOW -> spin(20 + random.nextInt(200));
                case BURSTY -> {
                    if (burstLeft-- <= 0) {
                        burstLeft = 8 + random.nextInt(100);
                        slowBurst = !slowBurst;
                    }
                    if (slowBurst) {
                        spin(100 + random.nextInt(400));
                    }
                }
                case WAITING -> {
                    int w = random.nextInt(16);
                    if (w == 0) {
                        Suspend.delay(1);
                    } else if (w < 4) {
                        Suspend.yieldNow();
                    } else if (w < 7) {
                        Suspend.delay(0);
                    } else if (w < 9) {
                        spin(random.nextInt(2_000));
                    } else if (w == 9 && body) {
                        // woken from another thread: a future completed by the common pool
                        Suspend.await(CompletableFuture.supplyAsync(() -> 1));
                    }
                }
            }
        }

        private static void spin(int n) {
            for (int i = 0; i < n; i++) {
                Thread.onSpinWait();
            }
        }
    }

    private static List<Integer> forEach(AsyncFlow<Integer> flow, Speed speed, long seed) {
        List<Integer> got = new ArrayList<>();
        Pace pace = new Pace(speed, new Random(seed));
        flow.forEach(v -> {
            got.add(v);
            pace.step(false);
        });
        return got;
    }

    /**
     * Collects {@code flow} with a Kotlin collector inside {@code runBlocking} (no dispatcher: the
     * caller's event loop) or in a future on {@code dispatcher}, beside {@code noise} coroutines that
     * yield and delay on the same loop or dispatcher.
     */
    private static List<Integer> collectByKotlin(
            AsyncFlow<Integer> flow, CoroutineDispatcher dispatcher, Speed speed, int noise, long seed)
            throws Exception {
        Random p = new Random(seed);
        // the collector's own pace, as a Kotlin suspend lambda: it returns yield's or delay's result
        kotlinx.coroutines.flow.Flow<Integer> paced =
                FlowKt.onEach(flow, (Integer value, Continuation<? super Unit> k) -> switch (speed) {
                    case FAST -> Unit.INSTANCE;
                    case SLOW, BURSTY -> {
                        Pace.spin(20 + p.nextInt(200));
                        yield Unit.INSTANCE;
                    }
                    case WAITING -> {
                        int w = p.nextInt(8);
                        yield w == 0 ? DelayKt.delay(1, k) : w < 4 ? YieldKt.yield(k) : Unit.INSTANCE;
                    }
                });
        kotlin.jvm.functions.Function2<CoroutineScope, Continuation<? super List<Integer>>, Object> block =
                (scope, c) -> {
                    for (int k = 0; k < noise; k++) {
                        BuildersKt.launch(
                                scope, EmptyCoroutineContext.INSTANCE, CoroutineStart.DEFAULT, HandoffStorm::noise);
                    }
                    @SuppressWarnings({"unchecked", "rawtypes"})
                    Continuation<? super List<? extends Integer>> k = (Continuation) c;
                    return FlowKt.toList(paced, new ArrayList<Integer>(), k);
                };
        if (dispatcher == null) {
            return BuildersKt.runBlocking(EmptyCoroutineContext.INSTANCE, block);
        }
        CompletableFuture<List<Integer>> f =
                FutureKt.future(GlobalScope.INSTANCE, dispatcher, CoroutineStart.DEFAULT, block);
        try {
            return f.get(BOUND_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    /** Other work on the same loop or dispatcher (kotlinx's own code): 40 steps, each a yield or, every 10th, delay(1). */
    private static Object noise(CoroutineScope scope, Continuation<? super Unit> c) {
        return FlowKt.collect(
                FlowKt.onEach(
                        FlowKt.asFlow(new kotlin.ranges.IntRange(1, 40)),
                        (Integer v, Continuation<? super Unit> k) ->
                                v % 10 == 0 ? DelayKt.delay(1, k) : YieldKt.yield(k)),
                c);
    }

    /**
     * For a forked JVM: {@code HandoffStorm <seed> <rounds>}; prints the stats, exits 1 on a
     * failure (its message on stderr).
     */
    public static void main(String[] args) throws Exception {
        long seed = Long.parseLong(args[0]);
        int rounds = Integer.parseInt(args[1]);
        try {
            Stats s = run(seed, rounds);
            System.out.println(
                    "HandoffStorm(spinNanos=" + System.getProperty("coflow.spinNanos", "default") + "): " + s);
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }
}
