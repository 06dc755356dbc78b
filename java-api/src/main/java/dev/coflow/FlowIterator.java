package dev.coflow;

import dev.coflow.bridge.Suspend;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import kotlin.Unit;
import kotlin.coroutines.ContinuationInterceptor;
import kotlin.coroutines.CoroutineContext;
import kotlinx.coroutines.CompletableJob;
import kotlinx.coroutines.CoroutineScopeKt;
import kotlinx.coroutines.Dispatchers;
import kotlinx.coroutines.DisposableHandle;
import kotlinx.coroutines.Job;
import kotlinx.coroutines.JobKt;
import kotlinx.coroutines.channels.BufferOverflow;
import kotlinx.coroutines.channels.ChannelIterator;
import kotlinx.coroutines.channels.ReceiveChannel;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.FlowKt;

/**
 * {@link AsyncFlow#iterator()}: the collection runs in its own coroutine and hands elements over a
 * rendezvous channel, one at a time, to the thread calling {@link #hasNext()}. The producer never
 * runs ahead: after an element it resumes only when the consumer asks for the next one (the loop
 * of an async generator: {@code produce 0, got 0, finally} for a loop that stops after the first
 * element), unless the flow itself is buffered.
 *
 * <p>Nothing starts before the first {@code hasNext()}. The producer runs in the caller's coroutine
 * context when iterated from inside a coroutine body (so virtual time applies), otherwise on
 * {@code Dispatchers.Default}. Its job is not a child of the caller's job, so an iterator that is
 * abandoned unclosed cannot hang the caller's scope; it is cancelled when the caller's job
 * completes instead.
 */
final class FlowIterator<T> implements CloseableIterator<T> {
    private final Flow<T> flow;
    private CompletableJob job;
    /** Follows every element on the channel; never an element itself (elements are non-null flow values). */
    private static final Object GATE = new Object();

    private ChannelIterator<Object> channel;
    private DisposableHandle parentHandle;
    private T next;
    private boolean finished;
    /** The flow ended (or failed): a later {@code close()} is not an early one. */
    private boolean exhausted;
    /** {@code close()} ran before the flow ended. */
    private boolean closedEarly;

    FlowIterator(Flow<T> flow) {
        this.flow = flow;
    }

    /** A sequential stream over a new iterator; closing the stream closes the iterator. */
    static <T> Stream<T> stream(Flow<T> flow) {
        FlowIterator<T> it = new FlowIterator<>(flow);
        return StreamSupport.stream(
                        Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(it::close);
    }

    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        if (finished) {
            return false;
        }
        if (channel == null) {
            start();
        }
        ChannelIterator<Object> ch = channel;
        Object v = GATE;
        try {
            // the first receive after an element takes its gate (letting the producer go on)
            while (v == GATE) {
                if (!Collect.<Boolean>block(ch::hasNext)) {
                    exhausted = true;
                    close();
                    return false;
                }
                v = ch.next();
            }
        } catch (RuntimeException | Error e) {
            // failure of the flow, cancellation of the caller, or an interrupt: stop the producer
            exhausted = true;
            close();
            throw e;
        }
        @SuppressWarnings("unchecked")
        T t = (T) v;
        next = t;
        return true;
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException(
                    closedEarly
                            ? "iterator() was closed before the end of the flow; a closed iterator has no more elements"
                            : "the flow has no more elements");
        }
        T v = next;
        next = null;
        return v;
    }

    @Override
    public void close() {
        if (finished) {
            return;
        }
        finished = true;
        closedEarly = !exhausted;
        next = null;
        if (job == null) {
            return;
        }
        if (parentHandle != null) {
            parentHandle.dispose();
        }
        job.cancel(null);
        awaitTermination(job);
    }

    private void start() {
        CoroutineContext caller = Suspend.context();
        Job parent = caller.get(Job.Key);
        CompletableJob own = JobKt.Job((Job) null);
        CoroutineContext context = caller.get(ContinuationInterceptor.Key) == null
                ? Dispatchers.getDefault().plus(own)
                : caller.minusKey(Job.Key).plus(own);
        // Each element is followed by a gate on a rendezvous channel: the producer sends the
        // element, then waits to send the gate, which the consumer takes only at its next
        // hasNext(). So the generator resumes after an element only when asked for the next one,
        // like an async generator; a user's buffer(n) upstream still prefetches.
        Flow<Object> gated = FlowKt.flatMapConcat(flow, (v, c) -> FlowKt.flowOf(v, GATE));
        @SuppressWarnings("unchecked")
        ReceiveChannel<Object> received = FlowKt.produceIn(
                FlowKt.buffer(gated, 0, BufferOverflow.SUSPEND), CoroutineScopeKt.CoroutineScope(context));
        job = own;
        channel = received.iterator();
        if (parent != null) {
            parentHandle = parent.invokeOnCompletion(cause -> {
                own.cancel(null);
                return Unit.INSTANCE;
            });
        }
    }

    /** Waits, without being interruptible or cancellable, until the producer has finished. */
    private static void awaitTermination(Job job) {
        if (job.isCompleted()) {
            return;
        }
        if (Suspend.inCoroutine()) {
            Suspend.nonCancellable(() -> Suspend.<Unit>call(job::join));
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        job.invokeOnCompletion(cause -> {
            done.complete(null);
            return Unit.INSTANCE;
        });
        done.join();
    }
}
