package dev.coflow.bridge;

import dev.coflow.bridge.internal.BodySlot;
import dev.coflow.bridge.internal.CallerThreadDispatcher;
import dev.coflow.bridge.internal.Exceptions;
import dev.coflow.bridge.internal.Interrupts;
import dev.coflow.bridge.internal.Spin;
import dev.coflow.bridge.internal.SuspendCalls;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import kotlin.coroutines.CoroutineContext;
import kotlinx.coroutines.BuildersKt;
import kotlinx.coroutines.CoroutineDispatcher;
import kotlinx.coroutines.CoroutineStart;
import kotlinx.coroutines.Deferred;
import kotlinx.coroutines.Dispatchers;
import kotlinx.coroutines.GlobalScope;

/**
 * A dispatcher whose queue is drained by the thread that called a blocking coflow operation (the
 * Java counterpart of {@code runBlocking}'s event loop, but ours, so that we can drain it from
 * inside a Java body).
 *
 * <p>Why it exists: a generator collected directly by a blocking terminal can then run on the
 * caller's own thread as an {@link InlineBody}: {@code emit} calls the downstream collector
 * directly, and only a real suspension (a delay, an awaited future) drains this queue until the
 * body may continue. No second thread, no handoff: native kotlinx speed for the common case.
 */
final class CallerLoop extends CoroutineDispatcher implements CallerThreadDispatcher, InlineLoop {
    private final Thread owner = Thread.currentThread();
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private volatile boolean parked;
    private volatile boolean closed;
    /** The Job of the root coroutine, cancelled when the owner thread is interrupted. */
    private volatile Object rootJob;
    /** How many inline bodies are on the owner's stack (0 or 1: nesting falls back to fibers). */
    int inlineDepth;

    private boolean interrupted;

    /**
     * Runs one suspend call to completion on the calling thread and returns its result, or throws
     * its exception unchanged. An interrupt of the calling thread cancels the call; the call then
     * throws {@link CancellationException} and the interrupt flag is set again.
     */
    static Object run(SuspendCall<?> call) {
        if (Thread.currentThread().isInterrupted()) {
            // One rule for every source: an interrupted caller's collection is cancelled before
            // anything runs (as kotlinx's runBlocking does); the flag stays set.
            throw Interrupts.cancellation("blocking call cancelled before it starts", null);
        }
        CallerLoop loop = new CallerLoop();
        // UNDISPATCHED: the call starts right here, without a first trip through the queue; the
        // root's Job is recorded before any body in it can ask whether it may run inline.
        Deferred<Object> d = BuildersKt.async(GlobalScope.INSTANCE, loop, CoroutineStart.UNDISPATCHED, (scope, c) -> {
            loop.rootJob = scope.getCoroutineContext().get(kotlinx.coroutines.Job.Key);
            return SuspendCalls.invoke(call, c);
        });
        try {
            loop.drainUntil(d::isCompleted, d);
        } finally {
            loop.closed = true;
        }
        Throwable failure = d.getCompletionExceptionOrNull();
        if (loop.interrupted) {
            Thread.currentThread().interrupt();
            if (failure != null && !(failure instanceof CancellationException)) {
                throw Exceptions.sneaky(failure);
            }
            throw Interrupts.cancellation("blocking call", failure);
        }
        if (failure != null) {
            throw Exceptions.sneaky(failure);
        }
        return d.getCompleted();
    }

    /**
     * Whether a body starting now may run inline: only in the root coroutine (the one the caller
     * waits for; its code is the consumer, which runs on this thread anyway), on the owner thread,
     * and only if no other inline body is on its stack, or the one there is in the middle of a
     * call that started this body ({@link InlineBody#nestsInCurrentCall}: {@code using}'s inner
     * flow, an {@code emitAll}). Bodies of child coroutines (a zipped flow's producer, inner flows
     * of flatMapMerge) get fibers, so a body that blocks never stalls its siblings; one inline body
     * at a time (nesting only inside a call) rules out the re-entrancy deadlock of two direct
     * bodies waiting on each other.
     */
    boolean canInline(CoroutineContext context) {
        return (inlineDepth == 0 && BodySlot.get().inlineDepth == 0 || InlineBody.nestsInCurrentCall(context))
                && Thread.currentThread() == owner
                && !closed
                && context.get(kotlinx.coroutines.Job.Key) == rootJob;
    }

    @Override
    public void enterInline() {
        inlineDepth++;
        BodySlot.get().inlineDepth++;
    }

    @Override
    public void exitInline() {
        inlineDepth--;
        BodySlot.get().inlineDepth--;
    }

    @Override
    public void drainUntil(BooleanSupplier done) {
        drainUntil(done, null);
    }

    /** Whether {@code job} is the root coroutine's, the one the blocked caller waits for. */
    boolean isRoot(Object job) {
        return job != null && job == rootJob;
    }

    /** Whether the calling thread is the one that drains this loop, and the loop still runs. */
    boolean drainedByCurrentThread() {
        return Thread.currentThread() == owner && !closed;
    }

    /**
     * Runs queued tasks on the owner thread until {@code done} holds; an interrupt cancels
     * {@code cancelOnInterrupt} and keeps draining until done.
     */
    void drainUntil(BooleanSupplier done, kotlinx.coroutines.Job cancelOnInterrupt) {
        while (!done.getAsBoolean()) {
            Runnable task = queue.poll();
            if (task != null) {
                task.run();
                continue;
            }
            if (spinForWork(done)) {
                continue;
            }
            parked = true;
            try {
                if (queue.isEmpty() && !done.getAsBoolean()) {
                    LockSupport.park(this);
                }
            } finally {
                parked = false;
            }
            if (Thread.interrupted()) {
                interrupted = true;
                Object root = rootJob;
                kotlinx.coroutines.Job job = cancelOnInterrupt != null
                        ? cancelOnInterrupt
                        : root instanceof kotlinx.coroutines.Job j ? j : null;
                if (job != null) {
                    job.cancel(Interrupts.cancellation("blocking call", owner, null));
                }
            }
        }
    }

    /**
     * Turns a pending interrupt of the owner thread into cancellation of the root coroutine; the
     * blocking call then throws {@link CancellationException} with the flag set again. Called
     * periodically by an inline body that never suspends (a parked drain notices it by itself).
     */
    @Override
    public void checkInterrupt() {
        if (Thread.currentThread() == owner && Thread.interrupted()) {
            interrupted = true;
            if (rootJob instanceof kotlinx.coroutines.Job j) {
                j.cancel(Interrupts.cancellation("blocking call", owner, null));
            }
        }
    }

    /**
     * Runs the tasks queued right now (not those they queue in turn), on the owner thread: a
     * cooperative yield for an inline body that has not suspended for a while.
     */
    @Override
    public void runQueued() {
        for (int n = queue.size(); n > 0; n--) {
            Runnable task = queue.poll();
            if (task == null) {
                return;
            }
            task.run();
        }
    }

    /**
     * Spins for up to {@link Spin#NANOS} waiting for a task or for {@code done}, so that a
     * producer on another thread that hands over an element every few hundred nanoseconds (a
     * buffer's upstream on {@code Dispatchers.Default}) does not pay a park/unpark per element.
     */
    private boolean spinForWork(BooleanSupplier done) {
        if (!Spin.ENABLED) {
            return false;
        }
        long deadline = Spin.NOT_STARTED;
        for (int i = 0; deadline != Spin.DONE; i++) {
            if (!queue.isEmpty() || done.getAsBoolean()) {
                return true;
            }
            deadline = Spin.step(i, deadline);
        }
        return false;
    }

    /** Wakes the owner if it waits; used when a waited-for condition changed off-loop. */
    @Override
    public void wake() {
        if (parked) {
            LockSupport.unpark(owner);
        }
    }

    @Override
    public void dispatch(CoroutineContext context, Runnable block) {
        if (closed) {
            // A straggler resumed after the call returned: run it elsewhere rather than lose it.
            Dispatchers.getDefault().dispatch(context, block);
            return;
        }
        queue.add(block);
        if (parked) {
            LockSupport.unpark(owner);
        }
    }

    @Override
    public String toString() {
        return "CallerLoop[" + owner.getName() + "]";
    }
}
