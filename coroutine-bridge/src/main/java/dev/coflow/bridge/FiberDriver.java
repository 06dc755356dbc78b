package dev.coflow.bridge;

import dev.coflow.bridge.internal.Exceptions;
import dev.coflow.bridge.internal.SuspendCalls;
import kotlin.Unit;
import kotlin.coroutines.Continuation;
import kotlin.coroutines.intrinsics.IntrinsicsKt;
import kotlin.coroutines.jvm.internal.ContinuationImpl;
import kotlinx.coroutines.BuildersKt;
import kotlinx.coroutines.NonCancellable;

/**
 * The coroutine half of a {@link Fiber}: a hand-written suspend state machine that loops
 * "wait for the body's next request, run it here, hand the result back" until the body is done.
 *
 * <p>It extends {@link ContinuationImpl} (not a bare {@code Continuation}) so that kotlinx
 * intercepts it: every resumption is dispatched in the owning coroutine's context, on its
 * dispatcher, exactly like a compiled Kotlin suspend function.
 */
final class FiberDriver extends ContinuationImpl {
    static final Object SUSPENDED = IntrinsicsKt.getCOROUTINE_SUSPENDED();
    private static final int AWAITING_MESSAGE = 0;
    private static final int RUNNING_REQUEST = 1;

    private final Fiber fiber;
    private int state = AWAITING_MESSAGE;

    FiberDriver(Continuation<Object> completion, Fiber fiber) {
        super(completion);
        this.fiber = fiber;
    }

    Object startDriving() {
        return invokeSuspend(Unit.INSTANCE);
    }

    /** The body thread is about to make a call with this (suspended) driver as continuation. */
    void beginBorrowedCall() {
        state = RUNNING_REQUEST;
    }

    /** The borrowed call completed without suspending: the driver still waits for a message. */
    void endBorrowedCall() {
        state = AWAITING_MESSAGE;
    }

    /** Called by the body thread when the driver is suspended waiting for a message. */
    void resumeFromBody() {
        intercepted().resumeWith(Unit.INSTANCE);
    }

    @Override
    protected Object invokeSuspend(Object result) {
        fiber.awaitLenderExit();
        for (; ; ) {
            if (state == RUNNING_REQUEST) {
                state = AWAITING_MESSAGE;
                fiber.releaseBorrowed();
                fiber.deliverReply(result);
            }
            Object message = fiber.awaitMessage();
            if (message == SUSPENDED) {
                return SUSPENDED;
            }
            if (message instanceof Fiber.Done done) {
                if (done.error() != null) {
                    throw Exceptions.sneaky(done.error());
                }
                return done.value();
            }
            Fiber.Request request = (Fiber.Request) message;
            state = RUNNING_REQUEST;
            result = run(request);
            if (result == SUSPENDED) {
                return SUSPENDED;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private Object run(Fiber.Request request) {
        SuspendCall<Object> op = (SuspendCall<Object>) request.op;
        try {
            if (request.nonCancellable) {
                return BuildersKt.withContext(NonCancellable.INSTANCE, (scope, c) -> SuspendCalls.invoke(op, c), this);
            }
            // No cancellation pre-check: like compiled Kotlin, a call that completes without
            // suspending (an already-completed await) returns its result even in a cancelled
            // coroutine; every call that really suspends is cancellable by itself.
            return op.invoke(this);
        } catch (Throwable t) {
            return Results.failure(t);
        }
    }
}
