package dev.coflow.lambdas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.coflow.AsyncFlow;
import dev.coflow.AsyncFlowTimeoutException;
import dev.coflow.bridge.Coroutines;
import dev.coflow.bridge.Suspend;
import dev.coflow.test.CoflowExtension;
import dev.coflow.test.VirtualTime;
import dev.coflow.test.VirtualTimeScope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import kotlin.coroutines.Continuation;
import kotlin.jvm.functions.Function2;
import kotlinx.coroutines.CoroutineScope;
import kotlinx.coroutines.CoroutineStart;
import kotlinx.coroutines.Dispatchers;
import kotlinx.coroutines.GlobalScope;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.FlowKt;
import kotlinx.coroutines.future.FutureKt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Shared vocabulary of the "suspend-like everywhere" acceptance suite (issue 9): the ways a
 * pipeline is driven ({@link Path}), the sources ({@link Source}), the two ways a lambda waits
 * ({@link Wait}), waits that only cancellation can end ({@link LongWait}), bounded "promptly"
 * checks, and the leak check every test ends with.
 *
 * <p>The rule every subclass checks: a Java lambda handed to an operator or terminal may call
 * {@code Suspend.delay} and {@code Suspend.await} exactly as a generator body may. Its values are
 * right on every driver path; under virtual time its waits move the virtual clock and take no wall
 * time; it is cancelled (its {@code finally} runs once) by {@code take}, {@code timeout}, a
 * cancelled future and an interrupted caller; and nothing is left running afterwards.
 *
 * <p>No test sleeps to wait for concurrency: latches and bounded {@code get}s only. So that a
 * failure on an implementation without the feature does not hang the run or poison later tests,
 * every wait that only cancellation ends is registered with a rescue (interrupt the waiting thread,
 * cancel the pending future) that runs when a bounded wait times out and after each test; a test
 * whose rescue had to act fails.
 *
 * <p>Every collection runs through {@link #promptly}, which fails when it takes
 * {@value #PROMPT_SECONDS} s of wall time or more: in the virtual-time tests that is the loose
 * wall-clock bound (a fixed implementation takes milliseconds), the exact virtual time being the
 * main assertion.
 */
abstract class LambdaWaitTestBase {
    /** Every combination of one value from each axis, in order: the arguments of a parameterized test. */
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> product(Object[]... axes) {
        java.util.List<Object[]> rows = new java.util.ArrayList<>();
        rows.add(new Object[0]);
        for (Object[] axis : axes) {
            java.util.List<Object[]> next = new java.util.ArrayList<>();
            for (Object[] row : rows) {
                for (Object v : axis) {
                    Object[] longer = java.util.Arrays.copyOf(row, row.length + 1);
                    longer[row.length] = v;
                    next.add(longer);
                }
            }
            rows = next;
        }
        return rows.stream().map(org.junit.jupiter.params.provider.Arguments::of);
    }

    /** "Promptly": the bound of every wall-clock wait in these tests. */
    static final long PROMPT_SECONDS = 5;
    /** Virtual milliseconds a lambda waits per call in the virtual-time tests. */
    static final long D = 100;
    /** A wait only cancellation can end. */
    static final Duration TEN_MINUTES = Duration.ofMinutes(10);

    private final List<BooleanSupplier> rescues = new CopyOnWriteArrayList<>();

    // ------------------------------------------------------------------ the lambda's waiting step

    /** The waiting step inside a lambda under test: waits, then returns a value (usually {@code v}). */
    @FunctionalInterface
    interface Hook {
        int at(int v);
    }

    /** How a lambda waits in the value tests. */
    enum Wait {
        /** {@code Suspend.delay(1)}, then the element itself. */
        DELAY,
        /** {@code Suspend.await} of a future that another thread completes with the element 1 ms later. */
        AWAIT;

        Hook hook(AtomicInteger calls) {
            return switch (this) {
                case DELAY ->
                    v -> {
                        calls.incrementAndGet();
                        Suspend.delay(1);
                        return v;
                    };
                case AWAIT ->
                    v -> {
                        calls.incrementAndGet();
                        return Suspend.await(CompletableFuture.supplyAsync(
                                () -> v, CompletableFuture.delayedExecutor(1, TimeUnit.MILLISECONDS)));
                    };
            };
        }
    }

    /** A hook that waits {@code millis} with {@code Suspend.delay} on each call and counts the calls. */
    static Hook delayHook(long millis, AtomicInteger calls) {
        return v -> {
            calls.incrementAndGet();
            Suspend.delay(millis);
            return v;
        };
    }

    /**
     * A hook whose k-th call (from 0) awaits a future that a child coroutine of the virtual-time
     * test completes at virtual time (k+1)*D: n calls, each started as soon as the previous one
     * ended, take exactly n*D on the virtual clock.
     */
    final Hook childCompletedHook(VirtualTimeScope scope, int maxCalls, AtomicInteger calls) {
        List<CompletableFuture<Integer>> gates = new ArrayList<>();
        for (int k = 0; k < maxCalls; k++) {
            gates.add(new CompletableFuture<>());
        }
        onStuck(() -> {
            boolean acted = false;
            for (CompletableFuture<Integer> g : gates) {
                acted |= g.cancel(false);
            }
            return acted;
        });
        scope.launch(() -> {
            for (CompletableFuture<Integer> g : gates) {
                Suspend.delay(D);
                g.complete(0);
            }
        });
        return v -> v + Suspend.await(gates.get(calls.getAndIncrement()));
    }

    // ------------------------------------------------------------------ driver paths and sources

    /** Where a pipeline is collected. */
    enum Path {
        /** A blocking terminal ({@code toList()}) called from plain Java. */
        BLOCKING,
        /** The blocking terminal inside {@code Coroutines.run(scope -> ...)}. */
        COROUTINES_RUN,
        /** The blocking terminal inside {@code VirtualTime.run(scope -> ...)}. */
        VIRTUAL_TIME,
        /** kotlinx's own {@code toList} in a coroutine on {@code Dispatchers.Default}. */
        KOTLINX_DEFAULT,
        /** {@code buffer(2)} then the blocking terminal. */
        BUFFER_2,
        /** {@code flowOn(Dispatchers.IO)} then the blocking terminal. */
        FLOW_ON_IO;

        /** Collects {@code flow} into a list on this path. */
        <T> List<T> toList(AsyncFlow<T> flow) throws Exception {
            return switch (this) {
                case BLOCKING -> flow.toList();
                case COROUTINES_RUN -> Coroutines.run(scope -> flow.toList());
                case VIRTUAL_TIME -> VirtualTime.call(scope -> flow.toList());
                case KOTLINX_DEFAULT -> kotlinxToList(flow);
                case BUFFER_2 -> flow.buffer(2).toList();
                case FLOW_ON_IO -> flow.flowOn(Dispatchers.getIO()).toList();
            };
        }

        /**
         * Runs a coflow terminal call on this path: from plain Java, inside {@code Coroutines.run},
         * inside {@code VirtualTime.run}, as a Java body started by a kotlinx coroutine on
         * {@code Dispatchers.Default}, or over a source behind {@code buffer(2)} / {@code flowOn(IO)}.
         */
        <R> R terminal(AsyncFlow<Integer> source, TerminalCall<R> call) throws Exception {
            return switch (this) {
                case BLOCKING -> call.run(source);
                case COROUTINES_RUN -> Coroutines.run(scope -> call.run(source));
                case VIRTUAL_TIME -> VirtualTime.call(scope -> call.run(source));
                case KOTLINX_DEFAULT -> onDefault((scope, c) -> Coroutines.runSuspending(() -> call.run(source), c));
                case BUFFER_2 -> call.run(source.buffer(2));
                case FLOW_ON_IO -> call.run(source.flowOn(Dispatchers.getIO()));
            };
        }
    }

    /** A terminal call on a source. */
    @FunctionalInterface
    interface TerminalCall<R> {
        R run(AsyncFlow<Integer> source) throws Exception;
    }

    /** The sources the per-element lambdas read: 1, 2, 3. */
    enum Source {
        /** {@code AsyncFlow.range(1, 4)}: a fusable source (operators and terminals run as one loop). */
        RANGE,
        /** A generator body emitting 1, 2, 3: a coroutine-body source. */
        GENERATOR;

        AsyncFlow<Integer> flow() {
            return flow(3, null);
        }

        /** 1..n; a generator counts its {@code finally} in {@code onFinally} (null: none). */
        AsyncFlow<Integer> flow(int n, Once onFinally) {
            return switch (this) {
                case RANGE -> AsyncFlow.range(1, n + 1);
                case GENERATOR ->
                    AsyncFlow.generate(e -> {
                        try {
                            for (int i = 1; i <= n; i++) {
                                e.emit(i);
                            }
                        } finally {
                            if (onFinally != null) {
                                onFinally.run();
                            }
                        }
                    });
            };
        }

        boolean hasFinally() {
            return this == GENERATOR;
        }
    }

    /** kotlinx {@code toList()} in {@code GlobalScope.future(Dispatchers.Default)}; raw types tame Kotlin's variance. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static <T> List<T> kotlinxToList(Flow<T> flow) throws Exception {
        return onDefault((scope, c) -> FlowKt.toList((Flow) flow, new ArrayList<>(), (Continuation) c));
    }

    /** Runs a suspend block in a kotlinx coroutine on {@code Dispatchers.Default} and waits (bounded) for it. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static <T> T onDefault(Function2<CoroutineScope, Continuation<? super T>, Object> block) throws Exception {
        CompletableFuture<T> f = FutureKt.future(
                GlobalScope.INSTANCE, Dispatchers.getDefault(), CoroutineStart.DEFAULT, (Function2) block);
        try {
            return f.get(PROMPT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw sneaky(e.getCause());
        } finally {
            f.cancel(true);
        }
    }

    // ------------------------------------------------------------------ waits only cancellation ends

    /** Counts how often a {@code finally} ran and lets a test wait (bounded) for the first time. */
    static final class Once {
        final AtomicInteger count = new AtomicInteger();
        final CountDownLatch latch = new CountDownLatch(1);

        void run() {
            count.incrementAndGet();
            latch.countDown();
        }
    }

    /**
     * A wait inside a lambda that only cancellation can end: {@link #run()} records the thread,
     * signals {@link #entered}, waits with {@code Suspend.delay(duration)} and counts its
     * {@code finally} in {@link #done}.
     */
    static final class LongWait {
        final Duration duration;
        final CountDownLatch entered = new CountDownLatch(1);
        final AtomicInteger entries = new AtomicInteger();
        final Once done = new Once();
        private final Set<Thread> waiting = ConcurrentHashMap.newKeySet();

        LongWait(Duration duration) {
            this.duration = duration;
        }

        void run() {
            Thread me = Thread.currentThread();
            entries.incrementAndGet();
            waiting.add(me);
            entered.countDown();
            try {
                Suspend.delay(duration);
            } finally {
                waiting.remove(me);
                done.run();
            }
        }

        /** A hook that waits on every call. */
        int hook(int v) {
            run();
            return v;
        }

        /** A hook that returns at once on its first call and waits on every later call. */
        Hook afterFirstCall() {
            AtomicInteger calls = new AtomicInteger();
            return v -> {
                if (calls.getAndIncrement() > 0) {
                    run();
                }
                return v;
            };
        }

        boolean rescue() {
            boolean acted = false;
            for (Thread t : waiting) {
                t.interrupt();
                acted = true;
            }
            return acted;
        }
    }

    /** A {@link LongWait} whose thread is interrupted if it is still waiting when the test gives up or ends. */
    final LongWait longWait(Duration duration) {
        LongWait w = new LongWait(duration);
        onStuck(w::rescue);
        return w;
    }

    /** Registers cleanup for something only a broken implementation leaves waiting; it returns whether it had to act. */
    final void onStuck(BooleanSupplier rescue) {
        rescues.add(rescue);
    }

    private boolean rescueAll() {
        boolean acted = false;
        for (BooleanSupplier r : rescues) {
            acted |= r.getAsBoolean();
        }
        return acted;
    }

    // ------------------------------------------------------------------ bounded ("prompt") checks

    /**
     * Runs {@code body} on a fresh plain-Java thread and returns its result (or rethrows its
     * exception unchanged), failing if it takes {@value #PROMPT_SECONDS} s of wall time or more.
     */
    final <T> T promptly(String what, Callable<T> body) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread driver = Thread.ofPlatform().daemon().name("lambda-wait-driver").start(() -> {
            try {
                result.complete(body.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            return result.get(PROMPT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw sneaky(e.getCause());
        } catch (TimeoutException e) {
            rescueAll();
            driver.interrupt();
            driver.join(TimeUnit.SECONDS.toMillis(PROMPT_SECONDS));
            return fail(what + ": did not finish within " + PROMPT_SECONDS + " s of wall time");
        }
    }

    /** Waits (bounded) for {@code latch}; on timeout rescues and fails with {@code what}. */
    final void awaitPromptly(CountDownLatch latch, String what) throws InterruptedException {
        if (!latch.await(PROMPT_SECONDS, TimeUnit.SECONDS)) {
            rescueAll();
            fail(what + " (not within " + PROMPT_SECONDS + " s)");
        }
    }

    /** Gets (bounded) a future's value; on timeout rescues and fails with {@code what}. */
    final <T> T getPromptly(Future<T> future, String what) throws Exception {
        try {
            return future.get(PROMPT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw sneaky(e.getCause());
        } catch (TimeoutException e) {
            rescueAll();
            return fail(what + " (not within " + PROMPT_SECONDS + " s)");
        }
    }

    /** Asserts that a {@code finally} ran, within the bound, exactly once. */
    final void assertRanOnce(Once once, String what) throws InterruptedException {
        awaitPromptly(once.latch, what + " never ran");
        assertEquals(1, once.count.get(), what + " must run exactly once");
    }

    // ------------------------------------------------------------------ cancellation while a lambda waits

    /** Runs a whole pipeline and its terminal, with {@code hook} as the waiting step of the lambda under test. */
    @FunctionalInterface
    interface Run {
        Object run(Hook hook) throws Exception;
    }

    /** Starts a pipeline with an asynchronous terminal ({@code toListAsync}, {@code forEachAsync}, ...). */
    @FunctionalInterface
    interface Start {
        CompletableFuture<?> start(Hook hook) throws Exception;
    }

    /** Builds the pipeline under test around {@code hook}. */
    @FunctionalInterface
    interface Build {
        AsyncFlow<?> build(Hook hook) throws Exception;
    }

    /** The limit of the timeout tests. */
    static final Duration LIMIT = Duration.ofMillis(200);

    /**
     * Under virtual time, {@code run} (which applies {@code timeout(LIMIT)}) with a lambda that waits
     * 10 s fails with {@link AsyncFlowTimeoutException} when the virtual clock reads
     * exactly 200 ms, and the waiting lambda's {@code finally} runs once.
     */
    final void assertTimeoutCancelsOnTheVirtualClock(Run run) throws Exception {
        LongWait w = longWait(Duration.ofSeconds(10));
        long[] at = new long[1];
        Throwable thrown = promptly(
                "timeout(200 ms) around a lambda that waits 10 s, under virtual time",
                () -> VirtualTime.call(scope -> {
                    try {
                        run.run(w::hook);
                        return null;
                    } catch (Throwable t) {
                        at[0] = scope.currentTime();
                        return t;
                    }
                }));
        assertInstanceOf(AsyncFlowTimeoutException.class, thrown, "timeout must fail with coflow's timeout exception");
        assertEquals(LIMIT.toMillis(), at[0], "virtual time when the timeout fired");
        assertEquals(1, w.entries.get(), "the lambda was waiting when the timeout fired");
        assertRanOnce(w.done, "the waiting lambda's finally");
    }

    /**
     * In real time, {@code run} (which applies {@code timeout(LIMIT)}) with a lambda that waits
     * 10 s fails promptly with {@link AsyncFlowTimeoutException}; the lambda's
     * {@code finally} runs once.
     */
    final void assertTimeoutIsPromptInRealTime(Run run) throws Exception {
        LongWait w = longWait(Duration.ofSeconds(10));
        long t0 = System.nanoTime();
        Throwable thrown = promptly("timeout(200 ms) around a lambda that waits 10 s", () -> {
            try {
                run.run(w::hook);
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        long wallMillis = (System.nanoTime() - t0) / 1_000_000;
        assertInstanceOf(AsyncFlowTimeoutException.class, thrown, "timeout must fail with coflow's timeout exception");
        assertTrue(wallMillis >= LIMIT.toMillis(), "failed before the limit: " + wallMillis + " ms");
        assertRanOnce(w.done, "the waiting lambda's finally");
    }

    /**
     * A plain thread blocked in {@code run} while the lambda waits 10 minutes, interrupted, ends
     * promptly with {@link CancellationException} with its interrupt flag
     * still set; the lambda's {@code finally} runs once.
     */
    final void assertInterruptCancels(Run run) throws Exception {
        LongWait w = longWait(TEN_MINUTES);
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        AtomicBoolean flagSet = new AtomicBoolean();
        Thread caller = Thread.ofPlatform().daemon().name("blocked-caller").start(() -> {
            try {
                run.run(w::hook);
                thrown.complete(null);
            } catch (Throwable t) {
                flagSet.set(Thread.currentThread().isInterrupted());
                thrown.complete(t);
            }
        });
        awaitPromptly(w.entered, "the lambda never started waiting");
        caller.interrupt();
        Throwable t = getPromptly(thrown, "the interrupted caller did not return");
        assertInstanceOf(
                CancellationException.class, t, "an interrupted blocking terminal throws CancellationException");
        assertTrue(flagSet.get(), "the caller's interrupt flag must still be set");
        assertRanOnce(w.done, "the waiting lambda's finally");
    }

    /**
     * Cancelling the future of an asynchronous terminal while the lambda waits 10 minutes ends the
     * wait promptly: the lambda's {@code finally} runs once, and the future reports cancellation.
     */
    final void assertCancellingTheFutureCancels(Start start) throws Exception {
        LongWait w = longWait(TEN_MINUTES);
        CompletableFuture<?> f = start.start(w::hook);
        awaitPromptly(w.entered, "the lambda never started waiting");
        assertTrue(f.cancel(true), "the future was already done");
        assertRanOnce(w.done, "the waiting lambda's finally after the future was cancelled");
        assertThrows(CancellationException.class, () -> f.get(PROMPT_SECONDS, TimeUnit.SECONDS));
    }

    /**
     * {@code build(hook).buffer(2)...take(1)}: the lambda returns at once for its first call and
     * waits 10 minutes on later ones, which the buffer runs ahead of the consumer; the consumer
     * takes its first element only once the lambda is waiting. The collection returns promptly
     * with {@code [expectedFirst]} and the waiting lambda's {@code finally} runs once.
     */
    final void assertTakeOneCancelsAWaitAhead(Build build, Object expectedFirst) throws Exception {
        LongWait w = longWait(TEN_MINUTES);
        AsyncFlow<?> flow = build.build(w.afterFirstCall())
                .buffer(2)
                .onEach(x -> assertTrue(
                        w.entered.await(PROMPT_SECONDS, TimeUnit.SECONDS), "the lambda never started waiting"))
                .take(1);
        List<?> got = promptly("take(1) while the lambda waits 10 minutes for a later element", flow::toList);
        assertEquals(List.of(expectedFirst), got);
        assertRanOnce(w.done, "the waiting lambda's finally");
    }

    /**
     * Under virtual time, {@code take(1)} after a lambda that waits 10 minutes on every call but
     * the first returns {@code [expectedFirst]} with the clock still at 0: nothing waited.
     */
    final void assertTakeOneDoesNotWaitOnTheVirtualClock(Build build, Object expectedFirst) throws Exception {
        LongWait w = longWait(TEN_MINUTES);
        long[] at = new long[1];
        List<?> got = promptly(
                "take(1) under virtual time",
                () -> VirtualTime.call(scope -> {
                    List<?> r = build.build(w.afterFirstCall()).take(1).toList();
                    at[0] = scope.currentTime();
                    return r;
                }));
        assertEquals(List.of(expectedFirst), got);
        assertEquals(0, at[0], "take(1) must not wait for the lambda's later calls");
    }

    // ------------------------------------------------------------------ no leak

    /** After the rescue below: no coroutine body still running 2 s after the test (the harness's leak check). */
    @RegisterExtension
    static final CoflowExtension COFLOW = CoflowExtension.withLeakGrace(Duration.ofSeconds(2));

    @AfterEach
    final void nothingHadToBeRescued() {
        assertFalse(
                rescueAll(),
                "after the test a lambda was still waiting (or a future pending) and had to be "
                        + "interrupted/cancelled by the test's cleanup");
    }

    @SuppressWarnings("unchecked")
    static <E extends Throwable> E sneaky(Throwable t) throws E {
        throw (E) t;
    }
}
