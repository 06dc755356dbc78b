package dev.coflow.bridge;

import dev.coflow.bridge.internal.BodySlot;
import dev.coflow.bridge.internal.Exceptions;
import dev.coflow.bridge.internal.Interrupts;
import dev.coflow.bridge.internal.SuspendCalls;
import java.util.concurrent.locks.LockSupport;
import kotlin.Unit;
import kotlin.coroutines.Continuation;
import kotlin.coroutines.ContinuationInterceptor;
import kotlin.coroutines.CoroutineContext;
import kotlin.coroutines.EmptyCoroutineContext;
import kotlin.coroutines.intrinsics.IntrinsicsKt;
import kotlinx.coroutines.BuildersKt;
import kotlinx.coroutines.CompletableDeferred;
import kotlinx.coroutines.CompletableDeferredKt;
import kotlinx.coroutines.NonCancellable;

/**
 * A Java lambda that coflow called as one step of a coroutine (an operator's function, a
 * terminal's consumer, a callback of {@code onCompletion} ...), running on that step's thread, in
 * the middle of the step. Its suspend-like calls are made right here with a continuation of the
 * step's context, so they are cancellable and on the coroutine's clock exactly like a compiled
 * suspend call; a call that really suspends holds this thread until it resumes, and how it waits
 * depends on whose thread it is (ADR 0002):
 *
 * <ul>
 *   <li>the thread of a blocking coflow call ({@link CallerLoop}): it drains the loop meanwhile, so
 *       every other coroutine of the call keeps running (as {@link InlineBody} does);
 *   <li>the thread running a kotlinx test scheduler: it runs the scheduler's next tasks until the
 *       call resumes ({@link TestSchedulerSteps}), so virtual time moves exactly as far as the wait;
 *   <li>any other thread: a nested event loop ({@code runBlocking}), which also runs a kotlinx
 *       event loop the thread already has (a user's {@code runBlocking}). On a coflow body's
 *       virtual thread that costs nothing; on a kotlinx worker it holds the worker, which is why
 *       coflow's operators run later calls of a lambda that has waited once as bodies of their own
 *       (see {@code Coroutines.runSuspending}).
 * </ul>
 */
final class LambdaBody extends BodyContext {
    private static final Object SUSPENDED = IntrinsicsKt.getCOROUTINE_SUSPENDED();
    private static final long IDLE_POLL_NANOS = 200_000;
    private final Thread thread = Thread.currentThread();
    /** The continuation of the step the lambda runs in. */
    private final Continuation<?> step;

    LambdaBody(Continuation<?> step) {
        super(step.getContext());
        this.step = step;
    }

    @Override
    @SuppressWarnings("unchecked")
    Object performCall(SuspendCall<?> op) {
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("a suspend-like call was made for a coflow lambda from thread "
                    + Thread.currentThread().getName() + ", which is not the thread coflow called it on; "
                    + "call Suspend.* from the lambda itself, not from a thread it started");
        }
        Outcome k = new Outcome(context);
        Object r;
        try {
            r = nonCancellableDepth > 0
                    ? BuildersKt.withContext(NonCancellable.INSTANCE, (scope, c) -> SuspendCalls.invoke(op, c), k)
                    : ((SuspendCall<Object>) op).invoke(k);
        } catch (Exception e) {
            throw Exceptions.sneaky(e);
        }
        if (r != SUSPENDED) {
            return r;
        }
        BodySlot slot = BodySlot.get();
        Object saved = slot.current;
        slot.current = null; // what runs while this lambda waits is not part of it
        try {
            await(k);
        } finally {
            slot.current = saved;
            slot.waited = step;
        }
        return Results.valueOrThrow(k.result);
    }

    private void await(Outcome k) {
        Object interceptor = context.get(ContinuationInterceptor.Key);
        if (interceptor instanceof CallerLoop loop && loop.drainedByCurrentThread()) {
            k.loop = loop;
            // An interrupt of the caller cancels the whole blocking call (its root coroutine).
            loop.drainUntil(() -> k.done, null);
            return;
        }
        boolean interrupted = false;
        if (TestSchedulerSteps.isTestDispatcher(interceptor)) {
            while (!k.done) {
                if (!TestSchedulerSteps.runNext(interceptor, () -> k.done) && !k.done) {
                    // Nothing on the clock: the wait ends from outside it (a real future, I/O).
                    k.sleeper = thread;
                    if (!k.done) {
                        LockSupport.parkNanos(k, IDLE_POLL_NANOS);
                    }
                    k.sleeper = null;
                    if (Thread.interrupted()) {
                        interrupted = true;
                        cancelOwner(Interrupts.cancellation("waiting lambda", thread, null));
                    }
                }
            }
        } else {
            CompletableDeferred<Unit> signal = k.signal();
            while (signal != null && !k.done) {
                try {
                    BuildersKt.runBlocking(EmptyCoroutineContext.INSTANCE, (scope, c) -> signal.await(c));
                } catch (InterruptedException e) {
                    // Interrupting the thread a lambda waits on means: cancel that coroutine.
                    interrupted = true;
                    cancelOwner(Interrupts.cancellation("waiting lambda", thread, null));
                }
            }
        }
        if (interrupted) {
            // Kept for the code around the lambda (a body, a blocking caller): never lost.
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The continuation a lambda's suspend-like call is made with: not intercepted (it only records
     * the outcome and wakes the waiting thread, wherever it is resumed), in the step's context.
     */
    private static final class Outcome implements Continuation<Object> {
        private final CoroutineContext context;
        volatile boolean done;
        Object result;
        volatile CallerLoop loop;
        volatile Thread sleeper;
        private CompletableDeferred<Unit> signal;

        Outcome(CoroutineContext context) {
            this.context = context;
        }

        @Override
        public CoroutineContext getContext() {
            return context;
        }

        @Override
        public void resumeWith(Object outcome) {
            CompletableDeferred<Unit> s;
            synchronized (this) {
                result = outcome;
                done = true;
                s = signal;
            }
            if (s != null) {
                s.complete(Unit.INSTANCE);
            }
            CallerLoop l = loop;
            if (l != null) {
                l.wake();
            }
            Thread t = sleeper;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }

        /** A deferred completed on resumption, or null if the call has already resumed. */
        synchronized CompletableDeferred<Unit> signal() {
            if (done) {
                return null;
            }
            if (signal == null) {
                signal = CompletableDeferredKt.CompletableDeferred(null);
            }
            return signal;
        }
    }
}
