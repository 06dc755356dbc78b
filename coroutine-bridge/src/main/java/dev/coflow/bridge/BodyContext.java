package dev.coflow.bridge;

import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import kotlin.coroutines.CoroutineContext;
import kotlinx.coroutines.Job;

/**
 * What a running Java body knows about the coroutine that owns it, and how its suspend-like calls
 * get performed. Two kinds: a {@link Fiber} (the body on its own virtual thread, calls handed to a
 * driver coroutine) and an {@link InlineBody} (the body on the thread of a {@link CallerLoop},
 * calls made directly). {@link Suspend} only sees this interface.
 */
abstract class BodyContext {
    static final ThreadLocal<BodyContext> CURRENT = new ThreadLocal<>();
    private static final AtomicInteger LIVE = new AtomicInteger();

    final CoroutineContext context;
    final Job job;
    /** Only touched by the body's own thread. */
    int nonCancellableDepth;

    BodyContext(CoroutineContext context) {
        this.context = context;
        this.job = context.get(Job.Key);
    }

    static BodyContext current() {
        return CURRENT.get();
    }

    /** Number of bodies whose user code has not finished yet, for leak checks. */
    static int liveCount() {
        return LIVE.get();
    }

    static void bodyStarted() {
        LIVE.incrementAndGet();
    }

    static void bodyFinished() {
        LIVE.decrementAndGet();
    }

    /**
     * Performs one suspend-like call in the owning coroutine and returns its result, or throws its
     * exception unchanged. Must be called from the body's own thread.
     */
    abstract Object perform(SuspendCall<?> op);

    void cancelOwner(CancellationException cause) {
        if (job != null) {
            job.cancel(cause);
        }
    }
}
