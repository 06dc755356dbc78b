package dev.coflow.bridge;

import dev.coflow.bridge.internal.Exceptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import kotlin.coroutines.Continuation;
import kotlin.coroutines.CoroutineContext;
import kotlin.coroutines.EmptyCoroutineContext;
import kotlin.jvm.functions.Function1;
import kotlin.jvm.functions.Function2;
import kotlinx.coroutines.BuildersKt;
import kotlinx.coroutines.CoroutineScope;
import kotlinx.coroutines.CoroutineScopeKt;
import kotlinx.coroutines.CoroutineStart;
import kotlinx.coroutines.Dispatchers;
import kotlinx.coroutines.GlobalScope;
import kotlinx.coroutines.future.FutureKt;

/**
 * Runs Java bodies as coroutines, and turns Java functions into Kotlin suspend functions.
 *
 * <p>A body is ordinary sequential Java code; it runs on its own virtual thread while the owning
 * coroutine performs each of its suspend-like calls ({@link Suspend}) in the coroutine's context.
 * So a body may block on I/O without holding a kotlinx dispatcher thread, and still obeys kotlinx's
 * rules: cancellation, structured concurrency, virtual time. See {@code docs/adr/0001-body-driver.md}.
 *
 * {@snippet :
 * List<String> pages = Coroutines.gather(
 *         () -> fetch("a"),
 *         () -> fetch("b"));            // like asyncio.gather / awaitAll(async{}, async{})
 * }
 */
public final class Coroutines {
    private Coroutines() {}

    /**
     * Runs {@code body} as a coroutine and returns its result once it and every child it started
     * have finished. Called from plain Java it blocks the calling thread (kotlinx
     * {@code runBlocking}); called from inside a coroutine body it suspends the owning coroutine
     * instead (kotlinx {@code coroutineScope}).
     *
     * <p>Threads: the body and every child body run on their own virtual threads; the caller only
     * waits. The coroutines themselves run on {@code Dispatchers.Default} unless {@code context}
     * names a dispatcher, so kotlinx code called from bodies may run on a Default worker or on the
     * body's own thread (never on the caller's). Children start concurrently: {@link Suspend#yieldNow()}
     * does not promise that a child has started; wait for a signal from the child instead.
     *
     * <p>A failing child cancels its siblings and the body, and the failure is rethrown here:
     * unchecked exceptions unchanged, {@link java.io.IOException} as
     * {@link java.io.UncheckedIOException}, other checked exceptions as
     * {@link java.util.concurrent.CompletionException} (the original is the cause). Interrupting
     * the blocked caller cancels the coroutine and throws {@link CancellationException} with the
     * interrupt flag kept set.
     *
     * @param body the body; it receives the scope to start children in
     * @param <T> the result type
     * @return what the body returns
     */
    public static <T> T run(ScopeBody<T> body) {
        return run(EmptyCoroutineContext.INSTANCE, body);
    }

    /**
     * Like {@link #run(ScopeBody)}, with extra context elements (a dispatcher, a name, ...).
     * Inside a body this is kotlinx {@code withContext(context)}.
     *
     * @param context elements added to the coroutine's context
     * @param body the body
     * @param <T> the result type
     * @return what the body returns
     */
    public static <T> T run(CoroutineContext context, ScopeBody<T> body) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(body, "body");
        Function2<CoroutineScope, Continuation<? super T>, Object> block =
                (scope, c) -> runSuspending(() -> body.run(new TaskScope(scope)), c);
        BodyContext fiber = BodyContext.current();
        try {
            if (fiber != null) {
                @SuppressWarnings("unchecked")
                T value = (T) fiber.perform(
                        context == EmptyCoroutineContext.INSTANCE
                                ? c -> CoroutineScopeKt.coroutineScope(block, c)
                                : c -> BuildersKt.withContext(context, block, c));
                return value;
            }
            // The caller only waits: every body runs on its own virtual thread, so the coroutines
            // themselves go to Dispatchers.Default (unless the caller chose a dispatcher), where
            // bodies make their calls without a thread handoff (see FreeThreading).
            CoroutineContext ctx = context.get(kotlin.coroutines.ContinuationInterceptor.Key) == null
                    ? Dispatchers.getDefault().plus(context)
                    : context;
            return BuildersKt.runBlocking(ctx, block);
        } catch (InterruptedException e) {
            throw Suspend.interrupted(e);
        } catch (Throwable t) {
            throw fiber != null ? Exceptions.sneaky(t) : Exceptions.unchecked(t);
        }
    }

    /**
     * Starts {@code body} as a coroutine on a virtual thread and returns its result as a future;
     * cancelling the future cancels the coroutine. The future completes exceptionally with the
     * body's original exception. kotlinx counterpart: {@code GlobalScope.future { }}.
     *
     * @param body the body
     * @param <T> the result type
     * @return a future of the result
     */
    public static <T> CompletableFuture<T> start(ScopeBody<T> body) {
        Objects.requireNonNull(body, "body");
        Function2<CoroutineScope, Continuation<? super T>, Object> block =
                (scope, c) -> runSuspending(() -> body.run(new TaskScope(scope)), c);
        return FutureKt.future(GlobalScope.INSTANCE, Dispatchers.getDefault(), CoroutineStart.DEFAULT, block);
    }

    /**
     * Runs every body concurrently and returns their results in argument order; the first failure
     * cancels the others and is rethrown. Python's {@code asyncio.gather}, kotlinx
     * {@code awaitAll(async { }, ...)}.
     *
     * @param bodies the bodies, none null
     * @param <T> the common result type
     * @return the results, in order
     */
    @SafeVarargs
    public static <T> List<T> gather(SuspendBody<? extends T>... bodies) {
        Objects.requireNonNull(bodies, "bodies");
        return gather(Arrays.asList(bodies));
    }

    /**
     * Runs every body concurrently; see {@link #gather(SuspendBody[])}.
     *
     * @param bodies the bodies, none null
     * @param <T> the common result type
     * @return the results, in order
     */
    public static <T> List<T> gather(List<? extends SuspendBody<? extends T>> bodies) {
        Objects.requireNonNull(bodies, "bodies");
        for (int i = 0; i < bodies.size(); i++) {
            Objects.requireNonNull(bodies.get(i), "bodies[" + i + "]");
        }
        return run(scope -> {
            List<Task<? extends T>> tasks = new ArrayList<>(bodies.size());
            for (SuspendBody<? extends T> b : bodies) {
                tasks.add(scope.async(b));
            }
            List<T> results = new ArrayList<>(tasks.size());
            for (Task<? extends T> t : tasks) {
                results.add(t.await());
            }
            return results;
        });
    }

    /**
     * Runs {@code body} as the suspend function call identified by {@code continuation}: the raw
     * form, for code that implements kotlinx interfaces in Java. Returns the body's result or
     * {@code COROUTINE_SUSPENDED}, as a compiled {@code suspend fun} would.
     *
     * {@snippet :
     * Function2<CoroutineScope, Continuation<? super String>, Object> block =
     *         (scope, c) -> Coroutines.runSuspending(() -> readConfig(), c);
     * }
     *
     * @param body the body
     * @param continuation the caller's continuation
     * @param <T> the result type
     * @return the result or {@code COROUTINE_SUSPENDED}
     */
    @SuppressWarnings("unchecked")
    public static <T> Object runSuspending(SuspendBody<T> body, Continuation<? super T> continuation) {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(continuation, "continuation");
        if (continuation.getContext().get(kotlin.coroutines.ContinuationInterceptor.Key) instanceof CallerLoop loop
                && loop.canInline(continuation.getContext())) {
            return InlineBody.run(loop, body, continuation);
        }
        return new Fiber((Continuation<Object>) continuation).start(body);
    }

    /**
     * Runs the body that produces a flow's elements (the code behind a generator, whose calls are
     * mostly {@code emit}s) as the suspend call identified by {@code continuation}: like
     * {@link #runSuspending}, and in addition, when the flow is collected directly by the code of a
     * kotlinx {@code runBlocking} block, the body runs on runBlocking's own thread, as kotlinx's
     * {@code flow {}} would and as it does under a blocking coflow terminal, instead of paying a
     * thread handoff per element. While one of its calls waits, the body runs runBlocking's other
     * coroutines itself, as a nested {@code runBlocking} does. In a child coroutine of runBlocking
     * ({@code launch}, {@code async}, a {@code buffer}'s producer) the body keeps its own virtual
     * thread. ADR 0003 has the measurements and the rule.
     *
     * {@snippet :
     * Function2<FlowCollector<? super Row>, Continuation<? super Unit>, Object> collectRows =
     *         (collector, c) -> Coroutines.runProducer(() -> emitRows(collector), c);
     * }
     *
     * <p>kotlinx counterpart: the body of {@code flow { ... }}.
     *
     * @param body the body
     * @param continuation the caller's continuation
     * @param <T> the result type
     * @return the result or {@code COROUTINE_SUSPENDED}
     */
    @SuppressWarnings("unchecked")
    public static <T> Object runProducer(SuspendBody<T> body, Continuation<? super T> continuation) {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(continuation, "continuation");
        CoroutineContext context = continuation.getContext();
        if (context.get(kotlin.coroutines.ContinuationInterceptor.Key) instanceof CallerLoop loop
                && loop.canInline(context)) {
            return InlineBody.run(loop, body, continuation);
        }
        BlockingLoop blocking = BlockingLoop.forContext(context);
        if (blocking != null) {
            return InlineBody.run(blocking, body, continuation);
        }
        return new Fiber((Continuation<Object>) continuation).start(body);
    }

    /**
     * Like {@link #runSuspending}, but the body always gets its own virtual thread: it never runs
     * inline on the thread of a blocking caller. Use it for bodies that may block (plain I/O, a
     * latch) while other coroutines of the same caller must keep running: concurrent workers,
     * producers of a channel. Costs a thread handoff per suspend-like call.
     * @param body the body
     * @param continuation the caller's continuation
     * @param <T> the result type
     * @return the result or {@code COROUTINE_SUSPENDED}
     */
    @SuppressWarnings("unchecked")
    public static <T> Object runSuspendingOnVirtualThread(SuspendBody<T> body, Continuation<? super T> continuation) {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(continuation, "continuation");
        return new Fiber((Continuation<Object>) continuation).start(body);
    }

    /**
     * Exposes a Java body to Kotlin as a {@code suspend () -> T}: Kotlin calls
     * {@code fn.invoke()} from a coroutine (after a cast to {@code suspend () -> T}, or via
     * {@code Function1<Continuation<T>, Any?>}). Blocking work in the body runs on a virtual thread,
     * never on a kotlinx dispatcher thread.
     *
     * @param body the Java body
     * @param <T> the result type
     * @return a suspend function object
     */
    public static <T> Function1<Continuation<? super T>, Object> asSuspendFunction(SuspendBody<T> body) {
        Objects.requireNonNull(body, "body");
        return c -> runSuspending(body, c);
    }

    /**
     * Exposes a Java function to Kotlin as a {@code suspend (A) -> R}; see
     * {@link #asSuspendFunction(SuspendBody)}.
     *
     * @param fn the Java function
     * @param <A> the argument type
     * @param <R> the result type
     * @return a suspend function object
     */
    public static <A, R> Function2<A, Continuation<? super R>, Object> asSuspendFunction(SuspendFunction<A, R> fn) {
        Objects.requireNonNull(fn, "fn");
        return (a, c) -> runSuspending(() -> fn.apply(a), c);
    }

    /**
     * Exposes an asynchronous Java API to Kotlin as a {@code suspend () -> T} that awaits the
     * stage without any thread; cancelling the caller cancels a {@link CompletableFuture}.
     *
     * @param supplier starts the operation, called once per invocation
     * @param <T> the result type
     * @return a suspend function object
     */
    public static <T> Function1<Continuation<? super T>, Object> fromStage(
            Supplier<? extends CompletionStage<T>> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        return c -> FutureKt.await(Objects.requireNonNull(supplier.get(), "supplier returned null"), c);
    }

    /**
     * Exposes an asynchronous Java function to Kotlin as a {@code suspend (A) -> R}; see
     * {@link #fromStage(Supplier)}.
     *
     * @param fn starts the operation for an argument
     * @param <A> the argument type
     * @param <R> the result type
     * @return a suspend function object
     */
    public static <A, R> Function2<A, Continuation<? super R>, Object> fromStage(
            Function<? super A, ? extends CompletionStage<R>> fn) {
        Objects.requireNonNull(fn, "fn");
        return (a, c) -> FutureKt.await(Objects.requireNonNull(fn.apply(a), "fn returned null"), c);
    }

    /**
     * Number of Java bodies whose code is still running; for leak checks in tests.
     *
     * {@snippet :
     * int before = Coroutines.activeBodies();
     * AsyncFlow.range(0, 3).toList();
     * assert Coroutines.activeBodies() == before;
     * }
     *
     * <p>kotlinx counterpart: none (kotlinx-coroutines-debug's {@code DebugProbes.dumpCoroutines}
     * is the nearest).
     *
     * @return how many bodies have started and not yet returned
     * @deprecated a test hook, not API: use {@code @CoflowTest} (coflow-test), whose extension
     *     checks for leaked bodies after every test. Kept so that existing callers compile.
     */
    @Deprecated
    public static int activeBodies() {
        return dev.coflow.bridge.internal.LiveBodies.count();
    }
}
