package dev.coflow.bridge;

import dev.coflow.bridge.internal.BodySlot;
import dev.coflow.bridge.internal.LiveBodies;
import java.util.concurrent.CancellationException;
import kotlin.coroutines.Continuation;
import kotlin.coroutines.CoroutineContext;
import kotlinx.coroutines.Job;

/**
 * What a running Java body knows about the coroutine that owns it, and how its suspend-like calls
 * get performed. Three kinds: a {@link Fiber} (the body on its own virtual thread, calls handed to
 * a driver coroutine), an {@link InlineBody} (the body on the thread of a {@link CallerLoop},
 * calls made directly) and a {@link LambdaBody} (a Java lambda that coflow calls inside a
 * coroutine step, on that step's thread). {@link Suspend} only sees this interface.
 */
abstract class BodyContext {
    final CoroutineContext context;
    final Job job;
    /** Only touched by the body's own thread. */
    int nonCancellableDepth;

    BodyContext(CoroutineContext context) {
        this.context = context;
        this.job = context.get(Job.Key);
    }

    /**
     * The body whose code runs on this thread: a coroutine body, or a coflow-called Java lambda
     * (its {@link LambdaBody} is made here, on its first suspend-like call), or null.
     */
    static BodyContext current() {
        Object c = BodySlot.get().current;
        if (c instanceof BodyContext b) {
            return b;
        }
        return c == null ? null : lambdaBody(BodySlot.get(), (Continuation<?>) c);
    }

    /** The body of the coflow-called lambda running on this thread, made on its first call. */
    private static BodyContext lambdaBody(BodySlot s, Continuation<?> step) {
        LambdaBody lambda = new LambdaBody(step);
        s.current = lambda;
        return lambda;
    }

    /** Counts a body in for the leak checks ({@link LiveBodies}). */
    static void bodyStarted() {
        LiveBodies.started();
    }

    /** Counts a body out for the leak checks ({@link LiveBodies}). */
    static void bodyFinished() {
        LiveBodies.finished();
    }

    /** Whether a call of this body is being performed right now (body thread only). */
    private boolean performing;

    /**
     * Performs one suspend-like call in the owning coroutine and returns its result, or throws its
     * exception unchanged. Must be called from the body's own thread.
     */
    final Object perform(SuspendCall<?> op) {
        if (performing) {
            throw new IllegalStateException("a suspend-like call (Suspend.*, a blocking terminal) was made from code "
                    + "that runs inside another suspend-like call of the same body, such as a hand-written "
                    + "FlowCollector or a Kotlin lambda that called Java code: that code is not a step coflow knows "
                    + "about, so it has no coroutine to wait in. Let coflow call it instead (an AsyncFlow operator "
                    + "or terminal lambda may wait), or wrap it in a dev.coflow.bridge.LambdaSite");
        }
        performing = true;
        try {
            return performCall(op);
        } finally {
            performing = false;
        }
    }

    /** Whether this body is in the middle of one of its calls (body thread only). */
    final boolean inCall() {
        return performing;
    }

    /** Carries out {@link #perform}; never re-entered. */
    abstract Object performCall(SuspendCall<?> op);

    void cancelOwner(CancellationException cause) {
        if (job != null) {
            job.cancel(cause);
        }
    }
}
