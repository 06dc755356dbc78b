package dev.coflow.bridge;

import dev.coflow.bridge.internal.BodySlot;
import dev.coflow.bridge.internal.Exceptions;
import kotlin.coroutines.Continuation;
import kotlin.coroutines.ContinuationInterceptor;

/**
 * One place where Java code hands a Java lambda to kotlinx as a suspend function (an operator's
 * {@code suspend (T) -> R}, a {@code FlowCollector}), so that the lambda may wait like a suspend
 * function: {@link Suspend#delay}, {@link Suspend#await}, {@link Suspend#call}, blocking coflow
 * terminals and {@link Suspend#nonCancellable} inside it are made in the calling coroutine,
 * cancellable and on its clock (virtual time under a test dispatcher). Every coflow operator and
 * terminal uses one per lambda; use it in your own Java implementations of kotlinx interfaces.
 * kotlinx counterpart: a {@code suspend} lambda.
 *
 * {@snippet :
 * final class Lookup extends LambdaSite<String, Void> implements Function2<String, Continuation<? super Integer>, Object> {
 *     protected Object compute(String key, Void unused) {
 *         return Suspend.await(cache.get(key));        // may suspend the coroutine
 *     }
 *     public Object invoke(String key, Continuation<? super Integer> c) {
 *         return call(key, null, c);
 *     }
 * }
 * Flow<Integer> sizes = FlowKt.map(keys, new Lookup());
 * }
 *
 * <p>How a call runs (see {@code docs/adr/0002-suspend-like-lambdas.md}): in place, on the calling
 * thread, inside the coroutine step; a lambda that never waits costs a thread-local look-up and a
 * few field writes. A call that really suspends holds its thread until it resumes, while the
 * thread keeps serving its own work: a blocking coflow caller's loop, a kotlinx test scheduler, a
 * kotlinx event loop. Once a lambda of a site has waited, later calls of that site that would hold
 * a thread other coroutines need (a kotlinx worker, an event loop, a test thread, a child coroutine
 * of a blocking call) run instead as bridge bodies on their own virtual threads
 * ({@link Coroutines#runSuspending}), so the coroutine truly suspends while the lambda waits.
 * Thread-locals of the calling thread are therefore seen by a waiting lambda only on the paths
 * where it runs in place.
 *
 * @param <A> the first argument's type
 * @param <B> the second argument's type ({@code Void} for one-argument lambdas)
 */
public abstract class LambdaSite<A, B> {
    /** Benign race: at worst one more call waits in place before every thread sees it. */
    private boolean waits;

    private BodySlot lastSlot;

    /** For subclasses. */
    protected LambdaSite() {}

    /**
     * The user's code for one call; what it returns is the call's result.
     *
     * @param a the first argument
     * @param b the second argument, or null
     * @return the result
     * @throws Exception anything; rethrown unchanged to the coroutine
     */
    protected abstract Object compute(A a, B b) throws Exception;

    /**
     * Runs {@link #compute} as a step of the coroutine {@code continuation} belongs to. Returns its
     * result or {@code COROUTINE_SUSPENDED}, as a compiled suspend function does.
     *
     * @param a the first argument
     * @param b the second argument, or null
     * @param continuation the continuation kotlinx passed to the suspend function
     * @return the result, or {@code COROUTINE_SUSPENDED}
     */
    public final Object call(A a, B b, Continuation<?> continuation) {
        // Kept small so that the JIT inlines it into each adapter, where compute() binds statically.
        return waits ? callAfterWaiting(a, b, continuation) : inPlace(a, b, continuation);
    }

    /**
     * Whether {@link #call} would run this call on a virtual thread of its own (the site's lambda
     * has waited before, and waiting here would hold a thread others need). An operator that must
     * do more after the lambda (emit its result) checks this first, and runs the whole step as a
     * bridge body when it holds; otherwise it calls {@link #callInPlace}, which never suspends.
     *
     * @param continuation the continuation kotlinx passed to the suspend function
     * @return {@code true} if the call should leave this thread
     */
    public final boolean runsElsewhere(Continuation<?> continuation) {
        return waits && !waitingInPlaceIsFree(continuation);
    }

    /**
     * Runs {@link #compute} right here as a step of {@code continuation}'s coroutine; a wait inside
     * it holds this thread (see the class comment). Never returns {@code COROUTINE_SUSPENDED}.
     *
     * @param a the first argument
     * @param b the second argument, or null
     * @param continuation the continuation kotlinx passed to the suspend function
     * @return the result
     */
    public final Object callInPlace(A a, B b, Continuation<?> continuation) {
        return inPlace(a, b, continuation);
    }

    /** Runs the call right here, with the thread marked as running a lambda of {@code continuation}'s step. */
    private Object inPlace(A a, B b, Continuation<?> continuation) {
        BodySlot s = slot();
        Object saved = s.current;
        s.current = continuation;
        Object r;
        try {
            r = compute(a, b);
        } catch (Throwable t) {
            s.current = saved;
            throw Exceptions.sneaky(t);
        }
        s.current = saved;
        if (s.waited == continuation) {
            waited(s);
        }
        return r;
    }

    /** The call just made waited: later calls may move off this thread. */
    private void waited(BodySlot s) {
        s.waited = null;
        waits = true;
    }

    /**
     * The slot of the last thread that called this site if that is the calling thread (a benign
     * race: a slot's thread is final), else the calling thread's: saves the thread-local look-up
     * on the hot path.
     */
    private BodySlot slot() {
        BodySlot s = lastSlot;
        if (s != null && s.thread == Thread.currentThread()) {
            return s;
        }
        s = BodySlot.get();
        lastSlot = s;
        return s;
    }

    /** A call of a site whose lambda has waited before. */
    @SuppressWarnings("unchecked")
    private Object callAfterWaiting(A a, B b, Continuation<?> continuation) {
        if (!waitingInPlaceIsFree(continuation)) {
            return Coroutines.runSuspendingOnVirtualThread(() -> compute(a, b), (Continuation<Object>) continuation);
        }
        return inPlace(a, b, continuation);
    }

    /**
     * Whether a wait in place blocks nothing that the wait itself does not also serve: on a
     * virtual thread (a coflow body's, unless it makes a lent call: ADR 0003), or in the root coroutine of a blocking coflow call on the
     * caller's own thread (the caller waits for that coroutine anyway, and its loop is drained
     * while the lambda waits).
     */
    private static boolean waitingInPlaceIsFree(Continuation<?> continuation) {
        if (Thread.currentThread().isVirtual()) {
            // a body's thread, unless it runs this step for a driver that lends it a dispatcher
            return !BodySlot.get().inLentCall;
        }
        var context = continuation.getContext();
        return context.get(ContinuationInterceptor.Key) instanceof CallerLoop loop
                && loop.drainedByCurrentThread()
                && loop.isRoot(context.get(kotlinx.coroutines.Job.Key));
    }
}
