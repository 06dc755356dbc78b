package dev.coflow.bridge;

import dev.coflow.bridge.internal.BodySlot;
import dev.coflow.bridge.internal.Exceptions;
import dev.coflow.bridge.internal.SuspendCalls;
import kotlin.coroutines.Continuation;
import kotlin.coroutines.CoroutineContext;
import kotlin.coroutines.intrinsics.IntrinsicsKt;
import kotlin.coroutines.jvm.internal.ContinuationImpl;
import kotlinx.coroutines.BuildersKt;
import kotlinx.coroutines.NonCancellable;

/**
 * A Java body running directly on the thread of an {@link InlineLoop}: inside the root coroutine of
 * a blocking coflow call ({@link CallerLoop}), or a generator collected by a {@code runBlocking}
 * block itself ({@link BlockingLoop}). Its suspend-like calls invoke the suspend function right here with a
 * reusable continuation; when the function really suspends, the loop is drained until that
 * continuation is resumed. The common case (an {@code emit} into a collector that does not
 * suspend) costs one direct call.
 */
final class InlineBody extends BodyContext {
    private static final Object SUSPENDED = IntrinsicsKt.getCOROUTINE_SUSPENDED();
    private final InlineLoop loop;
    private final Thread thread = Thread.currentThread();
    private final Waiter waiter;
    /** Calls completed without suspending since the loop last ran its queued tasks. */
    private int callsSinceYield;

    private static final int YIELD_EVERY = 32;

    private InlineBody(InlineLoop loop, CoroutineContext context) {
        super(context);
        this.loop = loop;
        this.waiter = new Waiter(context, loop);
    }

    /**
     * Whether a body starting now in {@code context} starts inside a call of the inline body
     * running on this thread, in the same coroutine (the inner flow of {@code using}, an
     * {@code emitAll} of a generator): it may then run inline on top of it, because the outer body
     * cannot go on before that call returns, and the call returns when the inner body is done. (A
     * body started while the outer one drains its loop, a sibling such as a zipped flow's side, does
     * not qualify: during a drain the thread's current body is cleared.)
     */
    static boolean nestsInCurrentCall(CoroutineContext context) {
        Object c = BodySlot.get().current;
        return c instanceof InlineBody outer
                && outer.inCall()
                && outer.job != null
                && outer.job == context.get(kotlinx.coroutines.Job.Key);
    }

    /** Runs {@code body} to completion on this thread, as the suspend call {@code continuation}. */
    static Object run(InlineLoop loop, SuspendBody<?> body, Continuation<?> continuation) {
        InlineBody self = new InlineBody(loop, continuation.getContext());
        BodySlot slot = BodySlot.get();
        Object saved = slot.current;
        slot.current = self;
        loop.enterInline();
        bodyStarted();
        try {
            return body.run();
        } catch (Exception e) {
            throw Exceptions.sneaky(e);
        } finally {
            bodyFinished();
            loop.exitInline();
            slot.current = saved;
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    Object performCall(SuspendCall<?> op) {
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("a suspend-like call was made for a coroutine body from thread "
                    + Thread.currentThread().getName()
                    + ", which is not the body's thread; call it from the body itself");
        }
        boolean nonCancellable = nonCancellableDepth > 0;
        Waiter w = waiter;
        Object r;
        try {
            r = nonCancellable
                    ? BuildersKt.withContext(NonCancellable.INSTANCE, (scope, c) -> SuspendCalls.invoke(op, c), w)
                    : ((SuspendCall<Object>) op).invoke(w);
        } catch (Exception e) {
            throw Exceptions.sneaky(e);
        }
        if (r != SUSPENDED) {
            if (++callsSinceYield >= YIELD_EVERY) {
                // Let the loop's other coroutines (a buffer's consumer, a fiber's driver) make
                // progress even if this body never suspends, e.g. a producer under conflate().
                callsSinceYield = 0;
                loop.checkInterrupt();
                BodySlot slot = BodySlot.get();
                slot.current = null; // tasks of other coroutines are not part of this body
                try {
                    loop.runQueued();
                } finally {
                    slot.current = this;
                }
            }
            return r;
        }
        callsSinceYield = 0;
        BodySlot slot = BodySlot.get();
        slot.current = null; // tasks of other coroutines are not part of this body
        try {
            loop.drainUntil(() -> w.done);
        } finally {
            slot.current = this;
        }
        Object outcome = w.outcome;
        w.outcome = null;
        w.done = false; // reset here, not before each call: a call that does not suspend costs no volatile write
        return Results.valueOrThrow(outcome);
    }

    /**
     * The continuation every suspend-like call of one inline body is made with. It is intercepted
     * (a {@link ContinuationImpl}), so its resumption is dispatched to the loop and runs on the
     * owner thread; it only records the outcome for the draining body.
     */
    private static final class Waiter extends ContinuationImpl {
        private final InlineLoop loop;
        volatile boolean done;
        Object outcome;

        Waiter(CoroutineContext context, InlineLoop loop) {
            super(new Completion(context), context);
            this.loop = loop;
        }

        @Override
        protected Object invokeSuspend(Object result) {
            outcome = result;
            done = true;
            loop.wake();
            return SUSPENDED;
        }
    }

    /** Never resumed ({@link Waiter} always reports "suspended"); only carries the context. */
    private record Completion(CoroutineContext context) implements Continuation<Object> {
        @Override
        public CoroutineContext getContext() {
            return context;
        }

        @Override
        public void resumeWith(Object result) {
            throw new IllegalStateException("unexpected completion of an inline body call: " + result);
        }
    }
}
