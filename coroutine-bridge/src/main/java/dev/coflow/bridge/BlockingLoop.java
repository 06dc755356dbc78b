package dev.coflow.bridge;

import dev.coflow.bridge.internal.BodySlot;
import dev.coflow.bridge.internal.Interrupts;
import dev.coflow.bridge.internal.KotlinxInternals;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import kotlin.coroutines.ContinuationInterceptor;
import kotlin.coroutines.CoroutineContext;
import kotlinx.coroutines.Job;

/**
 * kotlinx's {@code runBlocking} event loop as an {@link InlineLoop}: a generator collected
 * directly by the code of a {@code runBlocking} block runs on runBlocking's own thread, as kotlinx's
 * {@code flow {}} does and as it does under a blocking coflow terminal ({@link CallerLoop}); while
 * one of its calls is suspended it runs the loop's other tasks itself, exactly as a nested
 * {@code runBlocking} on that thread does (ADR 0003).
 *
 * <p>Only the {@code runBlocking} coroutine itself, on its own thread, with no other inline body on
 * that thread's stack: a generator collected in a child coroutine ({@code launch}, {@code async},
 * a buffer's producer) keeps its own virtual thread, so that blocking work in it never stalls its
 * siblings, and producer and consumer of a {@code buffer} still overlap.
 */
final class BlockingLoop implements InlineLoop {
    private final Object eventLoop;
    private final Job job;
    private final Thread thread = Thread.currentThread();
    private boolean interrupted;

    private BlockingLoop(Object eventLoop, Job job) {
        this.eventLoop = eventLoop;
        this.job = job;
    }

    /** The loop a producer body starting now in {@code context} may run inline on, or {@code null}. */
    static BlockingLoop forContext(CoroutineContext context) {
        Object interceptor = context.get(ContinuationInterceptor.Key);
        Job job = context.get(Job.Key);
        if (interceptor == null
                || job == null
                || BodySlot.get().inlineDepth != 0 && !InlineBody.nestsInCurrentCall(context)
                || !KotlinxInternals.isBlockingCoroutine(job)
                || !KotlinxInternals.isCurrentEventLoop(interceptor)) {
            return null;
        }
        return new BlockingLoop(interceptor, job);
    }

    @Override
    public void enterInline() {
        BodySlot.get().inlineDepth++;
    }

    @Override
    public void exitInline() {
        BodySlot.get().inlineDepth--;
        if (interrupted) {
            // Given back: runBlocking sees the flag and ends as it does for any interrupt.
            thread.interrupt();
        }
    }

    /**
     * An interrupt of runBlocking's thread cancels the runBlocking coroutine (kotlinx cancels it
     * with an {@code InterruptedException} when it notices); the flag is set again when the body
     * returns, so runBlocking sees it too.
     */
    @Override
    public void checkInterrupt() {
        if (Thread.interrupted()) {
            interrupted = true;
            job.cancel(Interrupts.cancellation("runBlocking", thread, null));
        }
    }

    @Override
    public void runQueued() {
        for (int i = 0; i < 64; i++) {
            if (KotlinxInternals.processNextEvent(eventLoop) != 0) {
                return; // nothing ran: the queue is empty (or only later delayed tasks remain)
            }
        }
    }

    @Override
    public void drainUntil(BooleanSupplier done) {
        while (!done.getAsBoolean()) {
            long parkNanos = KotlinxInternals.processNextEvent(eventLoop);
            if (done.getAsBoolean()) {
                return;
            }
            if (parkNanos > 0) {
                // A dispatch into the loop from another thread unparks its thread.
                LockSupport.parkNanos(this, parkNanos);
                checkInterrupt();
            }
        }
    }

    @Override
    public void wake() {
        // The resumption that makes `done` true was dispatched into the event loop, which unparks
        // its own thread; nothing else to do.
    }
}
