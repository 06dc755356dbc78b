package dev.coflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coflow.bridge.Coroutines;
import dev.coflow.bridge.Suspend;
import dev.coflow.test.CoflowExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import kotlin.Unit;
import kotlin.coroutines.Continuation;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.FlowCollector;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Cancellation storm (issue 10): thousands of collections, each ended early at a random point by one
 * of the ways the {@link AsyncFlow} contract lists (take, first, an iterator closed early, a cancelled
 * {@code toListAsync()} future, {@code timeout}, an interrupt of the thread blocked in a terminal, a
 * consumer that throws, the cancellation of an enclosing {@code Coroutines.run} by a failing sibling or
 * by {@code scope.cancel()}, and a consumer that waits in {@code Suspend.delay} when the collection is
 * cancelled), over random pipelines of counted sources: generators with {@code try/finally},
 * {@code AsyncFlow.using} (acquire and release counted), {@code onCompletion} (starts and calls
 * counted), {@code buffer(n)}, {@code flatMapMerge} of counted inner generators and {@code zip} with a
 * counted partner.
 *
 * <p>After every collection: every generator that started ran its {@code finally}, every acquired
 * resource was released, every {@code onCompletion} that started was called, each exactly once
 * (counters compared; for blocking terminals at once, since their contract says the cleanup has run
 * when they return; for a cancelled future within a bounded wait); the terminal returned what the
 * pipeline allows or threw the documented exception; and the count of running bodies is back to
 * 0 (at once after a blocking terminal, ADR 0001; within a bounded wait after a cancelled future). Every {@value #THREAD_CHECK_EVERY} collections, and at the end, no thread named
 * {@code coflow-body} may be alive after a bounded wait ({@link LeakCheck}).
 *
 * <p>The seed is new for every run and printed with any failure; rerun a failure with
 * {@code -Dcoflow.storm.seed=<seed>} (the same rounds, up to thread timing). {@code -Pstress} runs the
 * {@code stress}-tagged variant: 100,000 collections.
 */
class CancellationStormTest {
    private static final int DEFAULT_ROUNDS = 2_000;
    private static final int STRESS_ROUNDS = 100_000;
    private static final int THREAD_CHECK_EVERY = 250;
    /** Every wait of the test thread for a collection is bounded: a lost wake-up fails, it does not hang. */
    private static final long BOUND_SECONDS = 10;

    @Test
    void everyEarlyExitCleansUpExactlyOnce() throws Exception {
        storm(DEFAULT_ROUNDS);
    }

    @Test
    @Tag("stress")
    @Timeout(value = 40, unit = TimeUnit.MINUTES)
    void everyEarlyExitCleansUpExactlyOnceStress() throws Exception {
        storm(STRESS_ROUNDS);
    }

    // ---- counted sources -----------------------------------------------------------------------

    /** What one collection started and cleaned up. */
    static final class Ledger {
        final AtomicInteger generatorsStarted = new AtomicInteger();
        final AtomicInteger generatorFinallies = new AtomicInteger();
        final AtomicInteger acquired = new AtomicInteger();
        final AtomicInteger released = new AtomicInteger();
        final AtomicInteger completionsStarted = new AtomicInteger();
        final AtomicInteger completionCalls = new AtomicInteger();
        /** Completed when the chosen point of the collection is reached: the canceller's cue. */
        final CompletableFuture<Void> cue = new CompletableFuture<>();

        boolean balanced() {
            return generatorsStarted.get() == generatorFinallies.get()
                    && acquired.get() == released.get()
                    && completionsStarted.get() == completionCalls.get();
        }

        @Override
        public String toString() {
            return "generators started " + generatorsStarted + " / finallies " + generatorFinallies
                    + ", using acquired " + acquired + " / released " + released
                    + ", onCompletion started " + completionsStarted + " / called " + completionCalls;
        }
    }

    /** How a generator waits between its emits. */
    enum Pacing {
        NONE,
        YIELD,
        DELAY0,
        MIXED
    }

    /**
     * A counted generator of 0, 1, 2, ...: {@code size} elements ({@code -1}: endless); at element
     * {@code hangAt} (if {@code >= 0}) it completes the cue and waits in {@code Suspend.delay} until
     * cancelled; after emitting element {@code cueAt} it completes the cue and goes on.
     */
    static AsyncFlow<Integer> counted(Ledger l, long size, long hangAt, long cueAt, Pacing pacing, long seed) {
        return AsyncFlow.generate(out -> {
            l.generatorsStarted.incrementAndGet();
            try {
                Random p = new Random(seed);
                for (int i = 0; size < 0 || i < size; i++) {
                    if (i == hangAt) {
                        l.cue.complete(null);
                        Suspend.delay(Long.MAX_VALUE);
                        throw new AssertionError("Suspend.delay(Long.MAX_VALUE) returned");
                    }
                    pace(p, pacing);
                    out.emit(i);
                    if (i == cueAt) {
                        l.cue.complete(null);
                    }
                }
            } finally {
                l.generatorFinallies.incrementAndGet();
            }
        });
    }

    private static void pace(Random p, Pacing pacing) {
        switch (pacing) {
            case NONE -> {}
            case YIELD -> {
                if (p.nextInt(4) == 0) {
                    Suspend.yieldNow();
                }
            }
            case DELAY0 -> {
                if (p.nextInt(4) == 0) {
                    Suspend.delay(0);
                }
            }
            case MIXED -> {
                int r = p.nextInt(40);
                if (r == 0) {
                    Suspend.delay(1);
                } else if (r < 6) {
                    Suspend.yieldNow();
                } else if (r < 12) {
                    Suspend.delay(0);
                } else if (r < 14) {
                    Thread.onSpinWait();
                }
            }
        }
    }

    /** {@code upstream.onCompletion(...)}, with every start of its collection counted too. */
    static <T> AsyncFlow<T> countedCompletion(Ledger l, AsyncFlow<T> upstream) {
        AsyncFlow<T> inner = upstream.onCompletion(cause -> l.completionCalls.incrementAndGet());
        Flow<T> counting = (FlowCollector<? super T> collector, Continuation<? super Unit> c) -> {
            l.completionsStarted.incrementAndGet();
            return inner.collect(collector, c);
        };
        return AsyncFlow.from(counting);
    }

    /** A pipeline and what it may deliver. */
    record Pipeline(AsyncFlow<Integer> flow, String text, long available, boolean completes, boolean ordered) {
        /** Checks a list the pipeline delivered in full (or its first {@code limit} elements). */
        String checkElements(List<Integer> got, long limit) {
            long expected = Math.min(available, limit);
            if (got.size() != expected) {
                return "expected " + expected + " elements, got " + got.size() + ": " + abbreviate(got);
            }
            return checkPrefix(got);
        }

        /** Checks elements that are some of the pipeline's first ones (early exit). */
        String checkPrefix(List<Integer> got) {
            if (ordered) {
                for (int i = 0; i < got.size(); i++) {
                    if (got.get(i) != i) {
                        return "elements out of order, lost or duplicated at index " + i + ": " + abbreviate(got);
                    }
                }
                return null;
            }
            Set<Integer> seen = new HashSet<>();
            for (Integer v : got) {
                if (!seen.add(v) || v < 0) {
                    return "duplicated or unexpected element " + v + ": " + abbreviate(got);
                }
            }
            return null;
        }
    }

    private static String abbreviate(List<Integer> list) {
        return list.size() <= 20 ? list.toString() : list.subList(0, 20) + "... (" + list.size() + ")";
    }

    /**
     * A random pipeline over a counted generator: {@code mode} 0 finite, 1 endless, 2 hanging at a
     * random element (the last two only where the early exit comes from outside).
     */
    static Pipeline pipeline(Random r, Ledger l, boolean mayHang) {
        int mode = mayHang ? r.nextInt(3) : r.nextInt(2);
        long size = mode == 0 ? r.nextInt(40) : -1;
        long hangAt = mode == 2 ? r.nextInt(20) : -1;
        long cueAt = r.nextInt(25);
        Pacing pacing = Pacing.values()[r.nextInt(Pacing.values().length)];
        AsyncFlow<Integer> flow = counted(l, size, hangAt, cueAt, pacing, r.nextLong());
        StringBuilder text = new StringBuilder(
                "generate(" + (mode == 0 ? size + " elements" : mode == 1 ? "endless" : "hangs at " + hangAt) + ", "
                        + pacing + ", cue at " + cueAt + ")");
        long available = mode == 0 ? size : mode == 1 ? Long.MAX_VALUE : hangAt;
        boolean completes = mode == 0;
        boolean ordered = true;
        int layers = r.nextInt(4);
        for (int k = 0; k < layers; k++) {
            switch (r.nextInt(6)) {
                case 0 -> {
                    AsyncFlow<Integer> use = flow;
                    flow = AsyncFlow.using(
                            () -> {
                                l.acquired.incrementAndGet();
                                return new Object();
                            },
                            resource -> use,
                            resource -> l.released.incrementAndGet());
                    text.append(".using(counted)");
                }
                case 1 -> {
                    flow = countedCompletion(l, flow);
                    text.append(".onCompletion(counted)");
                }
                case 2, 3 -> {
                    int capacity = new int[] {0, 1, 2, 64}[r.nextInt(4)];
                    flow = flow.buffer(capacity);
                    text.append(".buffer(").append(capacity).append(')');
                }
                case 4 -> {
                    int concurrency = 1 + r.nextInt(3);
                    Pacing inner = Pacing.values()[r.nextInt(Pacing.values().length)];
                    long innerSeed = r.nextLong();
                    // each inner flow: a counted generator of one element, shifted to the outer value
                    flow = flow.flatMapMerge(
                            concurrency,
                            v -> counted(l, 1, -1, -1, inner, innerSeed + v).map(z -> v));
                    text.append(".flatMapMerge(")
                            .append(concurrency)
                            .append(", v -> generate(v, ")
                            .append(inner)
                            .append("))");
                    ordered &= concurrency == 1;
                }
                default -> {
                    boolean finite = r.nextBoolean();
                    long partnerSize = finite ? r.nextInt(30) : -1;
                    Pacing p = Pacing.values()[r.nextInt(Pacing.values().length)];
                    flow = flow.zip(counted(l, partnerSize, -1, -1, p, r.nextLong()), (a, b) -> a);
                    text.append(".zip(generate(")
                            .append(finite ? partnerSize + " elements" : "endless")
                            .append(", ")
                            .append(p)
                            .append("))");
                    if (finite) {
                        // zip ends when the partner's channel closes, which cancels this side even where
                        // it hangs; the rendezvous lets the partner close only once all its elements
                        // were taken, so it cannot when this side hangs before taking them all
                        completes |= available >= partnerSize;
                        available = Math.min(available, partnerSize);
                    }
                }
            }
        }
        return new Pipeline(flow, text.toString(), available, completes, ordered);
    }

    // ---- early exits ---------------------------------------------------------------------------

    enum Exit {
        TAKE,
        FIRST,
        ITERATOR_CLOSED,
        FUTURE_CANCELLED,
        TIMEOUT,
        INTERRUPT,
        CONSUMER_THROWS,
        SIBLING_FAILS,
        SCOPE_CANCELLED,
        WAITING_CONSUMER_CANCELLED
    }

    /** How one call on a caller thread ended. */
    record Outcome(Object value, Throwable failure, boolean interruptedAfter) {}

    static final class ConsumerFailure extends RuntimeException {
        ConsumerFailure(String message) {
            super(message);
        }
    }

    static final class SiblingFailure extends RuntimeException {
        SiblingFailure(String message) {
            super(message);
        }
    }

    /** Runs {@code call} on a fresh caller thread (platform or virtual); the thread is handed back through {@code started}. */
    private static CompletableFuture<Outcome> onCaller(
            boolean virtual, Callable<Object> call, CompletableFuture<Thread> started) {
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        Runnable task = () -> {
            started.complete(Thread.currentThread());
            Object value = null;
            Throwable failure = null;
            try {
                value = call.call();
            } catch (Throwable t) {
                failure = t;
            }
            outcome.complete(new Outcome(value, failure, Thread.interrupted()));
        };
        (virtual ? Thread.ofVirtual() : Thread.ofPlatform().daemon())
                .name("storm-caller")
                .start(task);
        return outcome;
    }

    /** The test thread waits for the cue (or the end of the call), bounded. */
    private static void awaitCue(Ledger l, CompletableFuture<?> done) throws Exception {
        CompletableFuture.anyOf(l.cue, done).get(BOUND_SECONDS, TimeUnit.SECONDS);
    }

    private final Map<Exit, AtomicLong> perExit = new EnumMap<>(Exit.class);
    private final AtomicLong cleanups = new AtomicLong();
    private final AtomicLong cancelledOrFailed = new AtomicLong();
    /** Blocking collections after which a body was still running at once (a failure). */
    private final AtomicLong notYetZero = new AtomicLong();
    /** This round ended by cancelling a future: its collection ends after the future does. */
    private boolean cancelledFuture;

    private void storm(int rounds) throws Exception {
        long seed = Long.getLong("coflow.storm.seed", System.nanoTime());
        rounds = Integer.getInteger("coflow.storm.rounds", rounds);
        Random random = new Random(seed);
        long start = System.nanoTime();
        for (Exit e : Exit.values()) {
            perExit.put(e, new AtomicLong());
        }
        LeakCheck.awaitNothingLeft(() -> "before the storm (left by an earlier test)");
        for (int round = 0; round < rounds; round++) {
            Exit exit = Exit.values()[random.nextInt(Exit.values().length)];
            Ledger l = new Ledger();
            int n = round;
            try {
                round(random, exit, l);
            } catch (Throwable t) {
                throw new AssertionError(
                        "storm seed " + seed + " (rerun: -Dcoflow.storm.seed=" + seed + "), round " + n + ", " + exit
                                + ": " + t.getMessage() + "\n  counters: " + l,
                        t);
            }
            perExit.get(exit).incrementAndGet();
            cleanups.addAndGet(l.generatorFinallies.get() + l.released.get() + l.completionCalls.get());
            if ((round + 1) % THREAD_CHECK_EVERY == 0 || round + 1 == rounds) {
                LeakCheck.awaitNoBodyThreads(() -> "storm seed " + seed + ", after round " + n);
            }
        }
        System.out.printf(
                Locale.ROOT,
                "CancellationStormTest: %d collections in %.1f s (seed %d), %d cleanups counted"
                        + " (generator finallies + using releases + onCompletion calls), %d ended by cancellation or failure;"
                        + " a body still running at once after %d blocking terminals; per exit %s%n",
                rounds,
                (System.nanoTime() - start) / 1e9,
                seed,
                cleanups.get(),
                cancelledOrFailed.get(),
                notYetZero.get(),
                perExit);
    }

    /** One collection with one early exit; returns its description, throws if anything is wrong. */
    private String round(Random r, Exit exit, Ledger l) throws Exception {
        boolean fromOutside = switch (exit) {
            case FUTURE_CANCELLED, TIMEOUT, INTERRUPT, SIBLING_FAILS, SCOPE_CANCELLED, WAITING_CONSUMER_CANCELLED ->
                true;
            default -> false;
        };
        Pipeline p = pipeline(r, l, fromOutside);
        cancelledFuture = exit == Exit.FUTURE_CANCELLED;
        boolean virtualCaller = r.nextInt(4) == 0;
        String text = p.text();
        CompletableFuture<Thread> caller = new CompletableFuture<>();
        switch (exit) {
            case TAKE -> {
                int k = 1 + r.nextInt(30);
                text += ".take(" + k + ").toList()";
                Outcome o =
                        bounded(onCaller(virtualCaller, () -> p.flow().take(k).toList(), caller));
                expectValue(o, text);
                checkNow(l, text);
                @SuppressWarnings("unchecked")
                List<Integer> got = (List<Integer>) o.value();
                check(p.checkElements(got, k), text);
            }
            case FIRST -> {
                text += ".first()";
                Outcome o = bounded(onCaller(virtualCaller, () -> p.flow().first(), caller));
                expectValue(o, text);
                checkNow(l, text);
                Optional<?> first = (Optional<?>) o.value();
                boolean wrong = p.available() == 0
                        ? first.isPresent()
                        : first.isEmpty() || (p.ordered() && !first.get().equals(0));
                if (wrong) {
                    throw new AssertionError(text + ": first() returned " + first);
                }
            }
            case ITERATOR_CLOSED -> {
                int k = r.nextInt(30);
                text += ".iterator(), " + k + " elements read, then closed";
                Outcome o = bounded(onCaller(
                        virtualCaller,
                        () -> {
                            List<Integer> got = new ArrayList<>();
                            try (CloseableIterator<Integer> it = p.flow().iterator()) {
                                while (got.size() < k && it.hasNext()) {
                                    got.add(it.next());
                                }
                            }
                            return got;
                        },
                        caller));
                expectValue(o, text);
                checkNow(l, text);
                @SuppressWarnings("unchecked")
                List<Integer> got = (List<Integer>) o.value();
                check(p.checkElements(got, k), text);
            }
            case FUTURE_CANCELLED -> {
                text += ".toListAsync(), cancelled at the cue";
                CompletableFuture<List<Integer>> f = p.flow().toListAsync();
                awaitCue(l, f);
                f.cancel(true);
                Outcome o = outcomeOf(f);
                expectCancelledOr(o, p, text, CancellationException.class);
                checkEventually(l, text);
            }
            case TIMEOUT -> {
                int ms = 1 + r.nextInt(5);
                text += ".timeout(" + ms + " ms).toList()";
                Outcome o = bounded(onCaller(
                        virtualCaller,
                        () -> p.flow().timeout(Duration.ofMillis(ms)).toList(),
                        caller));
                expectCancelledOr(o, p, text, AsyncFlowTimeoutException.class);
                checkNow(l, text);
            }
            case INTERRUPT -> {
                int terminal = r.nextInt(3);
                text += (terminal == 0 ? ".toList()" : terminal == 1 ? ".forEach(x -> { })" : ".count()")
                        + ", its thread interrupted at the cue";
                CompletableFuture<Outcome> done = onCaller(
                        virtualCaller,
                        () -> switch (terminal) {
                            case 0 -> p.flow().toList();
                            case 1 -> {
                                p.flow().forEach(x -> {});
                                yield List.of();
                            }
                            default -> p.flow().count();
                        },
                        caller);
                awaitCue(l, done);
                caller.get(BOUND_SECONDS, TimeUnit.SECONDS).interrupt();
                Outcome o = bounded(done);
                if (o.failure() instanceof CancellationException) {
                    if (!o.interruptedAfter()) {
                        throw new AssertionError(text + ": CancellationException, but the interrupt flag was cleared");
                    }
                    cancelledOrFailed.incrementAndGet();
                } else if (!(p.completes() && o.failure() == null)) {
                    throw new AssertionError(
                            text + ": expected CancellationException, got "
                                    + (o.failure() == null ? "a value" : o.failure()),
                            o.failure());
                }
                checkNow(l, text);
            }
            case CONSUMER_THROWS -> {
                int k = r.nextInt(30);
                int how = r.nextInt(3);
                ConsumerFailure failure = new ConsumerFailure("consumer fails at element #" + k);
                AtomicInteger seen = new AtomicInteger();
                dev.coflow.function.ThrowingConsumer<Integer> consumer = v -> {
                    if (seen.getAndIncrement() == k) {
                        throw failure;
                    }
                };
                text += switch (how) {
                    case 0 -> ".forEach(throws at #" + k + ")";
                    case 1 -> ".forEach(throws at #" + k + ") inside Coroutines.run";
                    default -> ".forEachAsync(throws at #" + k + ")";
                };
                Outcome o = switch (how) {
                    case 0 ->
                        bounded(onCaller(
                                virtualCaller,
                                () -> {
                                    p.flow().forEach(consumer);
                                    return null;
                                },
                                caller));
                    case 1 ->
                        bounded(onCaller(
                                virtualCaller,
                                () -> Coroutines.run(scope -> {
                                    p.flow().forEach(consumer);
                                    return null;
                                }),
                                caller));
                    default -> outcomeOf(p.flow().forEachAsync(consumer));
                };
                if (p.available() > k) {
                    if (!LeakCheck.isOriginalOrCopy(o.failure(), failure)) {
                        throw new AssertionError(
                                text + ": expected the consumer's exception, got "
                                        + (o.failure() == null ? "a value" : o.failure()),
                                o.failure());
                    }
                    cancelledOrFailed.incrementAndGet();
                } else {
                    expectValue(o, text);
                }
                checkNow(l, text);
            }
            case SIBLING_FAILS, SCOPE_CANCELLED -> {
                boolean sibling = exit == Exit.SIBLING_FAILS;
                SiblingFailure failure = new SiblingFailure("a sibling fails");
                text = "Coroutines.run(" + p.text() + ".toList(), and a child that "
                        + (sibling ? "fails" : "calls scope.cancel()") + " at the cue)";
                Outcome o = bounded(onCaller(
                        virtualCaller,
                        () -> Coroutines.run(scope -> {
                            scope.launch(() -> {
                                Suspend.await(l.cue);
                                if (sibling) {
                                    throw failure;
                                }
                                scope.cancel();
                            });
                            try {
                                return p.flow().toList();
                            } finally {
                                l.cue.complete(null); // the collection ended by itself: end the child too
                            }
                        }),
                        caller));
                if (sibling
                        ? !LeakCheck.isOriginalOrCopy(o.failure(), failure)
                        : !(o.failure() instanceof CancellationException)) {
                    throw new AssertionError(
                            text + ": expected " + (sibling ? failure : "CancellationException") + ", got "
                                    + (o.failure() == null ? "a value" : o.failure()),
                            o.failure());
                }
                cancelledOrFailed.incrementAndGet();
                checkNow(l, text);
            }
            case WAITING_CONSUMER_CANCELLED -> {
                int how = r.nextInt(4);
                AtomicInteger seen = new AtomicInteger();
                dev.coflow.function.ThrowingConsumer<Integer> waiting = v -> {
                    seen.incrementAndGet();
                    Suspend.delay(1);
                };
                text += ".forEach(x -> Suspend.delay(1)), "
                        + switch (how) {
                            case 0 -> "its thread interrupted at the cue";
                            case 1 -> "as forEachAsync, the future cancelled at the cue";
                            case 2 -> "inside Coroutines.run, scope.cancel() at the cue";
                            default -> "under timeout(3 ms)";
                        };
                Outcome o;
                Class<? extends Throwable> expected = CancellationException.class;
                boolean eventually = false;
                switch (how) {
                    case 0 -> {
                        CompletableFuture<Outcome> done = onCaller(
                                virtualCaller,
                                () -> {
                                    p.flow().forEach(waiting);
                                    return null;
                                },
                                caller);
                        awaitCue(l, done);
                        caller.get(BOUND_SECONDS, TimeUnit.SECONDS).interrupt();
                        o = bounded(done);
                        if (o.failure() instanceof CancellationException && !o.interruptedAfter()) {
                            throw new AssertionError(
                                    text + ": CancellationException, but the interrupt flag was cleared");
                        }
                    }
                    case 1 -> {
                        CompletableFuture<Void> f = p.flow().forEachAsync(waiting);
                        awaitCue(l, f);
                        f.cancel(true);
                        o = outcomeOf(f);
                        eventually = true;
                        cancelledFuture = true;
                    }
                    case 2 ->
                        o = bounded(onCaller(
                                virtualCaller,
                                () -> Coroutines.run(scope -> {
                                    scope.launch(() -> {
                                        Suspend.await(l.cue);
                                        scope.cancel();
                                    });
                                    try {
                                        p.flow().forEach(waiting);
                                    } finally {
                                        l.cue.complete(null);
                                    }
                                    return null;
                                }),
                                caller));
                    default -> {
                        expected = AsyncFlowTimeoutException.class;
                        o = bounded(onCaller(
                                virtualCaller,
                                () -> {
                                    p.flow().timeout(Duration.ofMillis(3)).forEach(waiting);
                                    return null;
                                },
                                caller));
                    }
                }
                if (how == 2) {
                    if (!(o.failure() instanceof CancellationException)) {
                        throw new AssertionError(
                                text + ": expected CancellationException, got "
                                        + (o.failure() == null ? "a value" : o.failure()),
                                o.failure());
                    }
                    cancelledOrFailed.incrementAndGet();
                } else if (o.failure() != null || !p.completes()) {
                    expectFailure(o, text, expected);
                }
                if (eventually) {
                    checkEventually(l, text);
                } else {
                    checkNow(l, text);
                }
            }
        }
        String t = text;
        if (!cancelledFuture) {
            try {
                CoflowExtension.assertNoBodiesRunning(Duration.ZERO);
            } catch (AssertionError notAtOnce) {
                // ADR 0001: "after any blocking call returns it is back where it was"
                notYetZero.incrementAndGet();
                LeakCheck.awaitNoActiveBodies(() -> t);
                throw new AssertionError(
                        t + ": a body was still running when the blocking terminal returned"
                                + " (it ended within the bounded wait)",
                        notAtOnce);
            }
        }
        LeakCheck.awaitNoActiveBodies(() -> t);
        return text;
    }

    // ---- checks --------------------------------------------------------------------------------

    private static Outcome bounded(CompletableFuture<Outcome> done) throws Exception {
        try {
            return done.get(BOUND_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the collection did not end within " + BOUND_SECONDS + " s; threads named "
                    + LeakCheck.BODY_THREAD + ":\n" + String.join("\n", LeakCheck.bodyThreads()));
        }
    }

    /** The outcome of an async terminal, bounded. */
    private static Outcome outcomeOf(CompletableFuture<?> f) throws Exception {
        try {
            return new Outcome(f.get(BOUND_SECONDS, TimeUnit.SECONDS), null, false);
        } catch (CancellationException e) {
            return new Outcome(null, e, false);
        } catch (ExecutionException e) {
            return new Outcome(null, e.getCause(), false);
        } catch (TimeoutException e) {
            throw new AssertionError("the future did not complete within " + BOUND_SECONDS + " s; threads named "
                    + LeakCheck.BODY_THREAD + ":\n" + String.join("\n", LeakCheck.bodyThreads()));
        }
    }

    private static void expectValue(Outcome o, String text) {
        if (o.failure() != null) {
            throw new AssertionError(text + ": expected a value, got " + o.failure(), o.failure());
        }
        if (o.interruptedAfter()) {
            throw new AssertionError(text + ": the caller's interrupt flag was set afterwards");
        }
    }

    private void expectFailure(Outcome o, String text, Class<? extends Throwable> type) {
        if (!type.isInstance(o.failure())) {
            throw new AssertionError(
                    text + ": expected " + type.getSimpleName() + ", got "
                            + (o.failure() == null ? "a value: " + o.value() : o.failure()),
                    o.failure());
        }
        cancelledOrFailed.incrementAndGet();
    }

    /** A value is allowed only where the pipeline completes by itself; else an exception of {@code type}. */
    @SuppressWarnings("unchecked")
    private void expectCancelledOr(Outcome o, Pipeline p, String text, Class<? extends Throwable> type) {
        if (o.failure() == null && p.completes()) {
            check(p.checkElements((List<Integer>) o.value(), Long.MAX_VALUE), text);
            return;
        }
        expectFailure(o, text, type);
    }

    private static void check(String problem, String text) {
        if (problem != null) {
            throw new AssertionError(text + ": " + problem);
        }
    }

    /** A blocking terminal has returned: every cleanup has run. */
    private static void checkNow(Ledger l, String text) {
        if (!l.balanced()) {
            throw new AssertionError(
                    text + ": when the terminal returned, not every cleanup had run exactly once: " + l);
        }
    }

    /** A cancelled future: the collection ends after the future does; the cleanups run within the bound. */
    private static void checkEventually(Ledger l, String text) {
        if (!LeakCheck.poll(l::balanced)) {
            throw new AssertionError(text + ": within " + LeakCheck.BOUND_NANOS / 1_000_000
                    + " ms after the future was cancelled, not every cleanup had run exactly once: " + l);
        }
        // no cleanup may run twice, even later
        assertTrue(l.balanced(), l::toString);
    }

    @Test
    void theLedgerSeesAMissingFinally() {
        // the storm's counters can fail: a generator whose finally is skipped leaves them unbalanced
        Ledger l = new Ledger();
        l.generatorsStarted.incrementAndGet();
        assertThrows(l);
        l.generatorFinallies.incrementAndGet();
        checkNow(l, "balanced");
        l.completionsStarted.incrementAndGet();
        assertThrows(l);
        assertEquals(1, l.generatorFinallies.get());
    }

    private static void assertThrows(Ledger l) {
        org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> checkNow(l, "unbalanced"));
    }
}
