package dev.coflow;

import dev.coflow.FusedStages.Sink;
import dev.coflow.bridge.Coroutines;
import dev.coflow.bridge.Suspend;
import dev.coflow.bridge.internal.Interrupts;
import dev.coflow.bridge.internal.Spin;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.LockSupport;
import kotlin.Unit;
import kotlinx.coroutines.Job;

/**
 * A suspending {@code buffer(capacity)} inside a fused pipeline ({@link Fused}) collected by a
 * blocking terminal: the part above the buffer runs fused on a virtual thread of its own (a
 * generator there as the inline body of that thread's coroutine), pushing into a
 * single-producer/single-consumer ring; the calling thread drains the ring through the stages
 * below the buffer into the terminal. Neither side runs coroutine machinery per element.
 *
 * <p>The contract of kotlinx's {@code buffer(capacity)} ({@code docs/semantics.md} §2): elements in
 * order; the producer runs at most {@code capacity} elements ahead, and waits (parks its virtual
 * thread) when the ring is full; a blocking producer and a blocking consumer overlap; an upstream
 * failure reaches the terminal after the elements buffered before it; a failure below the buffer,
 * an early stop, or an interrupt of the caller cancels the producer (its coroutine is cancelled, so
 * a {@code Suspend.delay} in the body ends at once, and its next {@code emit} throws), and the
 * terminal returns only after the producer has finished (its {@code finally} blocks have run).
 *
 * <p>Memory protocol: {@code tail} (producer) and {@code head} (consumer) are volatile. A side about
 * to park sets its {@code waiting} flag (volatile) and then reads the other side's index again; the
 * other side writes its index and then reads the flag (a Dekker handshake: at least one sees the
 * other, no wake-up is lost). The producer publishes every element at once (a blocking producer
 * must not hold back what it has) and wakes a waiting consumer at once. The consumer frees each
 * slot before it hands the element on, but wakes a producer that waits for room only once half the
 * ring is free (one wake-up per half ring instead of one per element when the producer is the
 * faster side); the producer's own wait is timed (50 µs, doubling to 1 ms), so it also finds slots
 * that a consumer holding an element in a slow lambda has freed, and still gets {@code capacity}
 * ahead of it.
 */
final class FusedBuffer extends FusedBufferConsumerSide {
    private static final int CHECK_MASK = 1023;
    private static final long MIN_PRODUCER_PARK_NANOS = 50_000;
    private static final long MAX_PRODUCER_PARK_NANOS = 1_000_000;
    /** Whether blocking terminals use this ring (else {@link CallerBuffer}); {@code -Dcoflow.noFusedBuffer=true} turns it off. */
    static final boolean ENABLED = !Boolean.getBoolean("coflow.noFusedBuffer");

    private final Object[] items;
    private final int capacity;
    /** A waiting producer is woken when at most this many elements are left in the ring. */
    private final int wakeAt;

    private final Thread consumer = Thread.currentThread();
    private volatile Thread producer;
    /** Set (after {@link #failure}) when the upstream has ended. */
    private volatile boolean done;

    private Throwable failure;
    /** Set by the consumer when it stops: the producer's next offer returns false. */
    private volatile boolean cancelled;
    /** The producer's root coroutine, cancelled with the collection; null for a plain source loop. */
    private volatile Job producerJob;

    private FusedBuffer(int capacity) {
        this.capacity = capacity;
        this.items = new Object[capacity];
        this.wakeAt = capacity / 2;
    }

    /** Runs {@code upstream} into a ring of {@code capacity} slots, drained into {@code downstream} here. */
    static void run(Fused<?> upstream, int capacity, Sink downstream) {
        if (Thread.currentThread().isInterrupted()) {
            // the one rule of every blocking collection: an interrupted caller's collection is
            // cancelled before anything runs, and the flag stays set
            throw Interrupts.cancellation("blocking call cancelled before it starts", null);
        }
        FusedBuffer ring = new FusedBuffer(capacity);
        Thread p = Thread.ofVirtual().name("coflow-buffer").unstarted(() -> ring.produce(upstream));
        ring.producer = p;
        p.start();
        Throwable failure = null;
        try {
            // as the inline body of a root coroutine on this thread, as on the kotlinx path: the
            // stages below the buffer are steps of the consumer's coroutine, and may wait there
            Suspend.call(c -> Coroutines.runProducer(
                    () -> {
                        ring.consume(downstream);
                        return Unit.INSTANCE;
                    },
                    c));
        } catch (Throwable t) {
            failure = t;
        }
        boolean interrupted = ring.stopAndJoin();
        if (interrupted
                || failure instanceof CancellationException
                        && Thread.currentThread().isInterrupted()) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw Collect.blockingFailure(failure);
        }
    }

    // ---- producer side -------------------------------------------------------------------------

    private void produce(Fused<?> upstream) {
        try {
            if (upstream.startsWithGenerator()) {
                // the generator's body is the inline body of its own root coroutine on this thread
                upstream.runInto(this::offer, this::producerStarted);
            } else {
                // a source loop, as the inline body of a root coroutine on this thread: the stages'
                // lambdas wait there, and cancelling it (the consumer stopped) ends their waits
                Suspend.call(c -> Coroutines.runProducer(
                        () -> {
                            producerStarted(Suspend.context().get(Job.Key));
                            upstream.runInto(this::offer, null);
                            return Unit.INSTANCE;
                        },
                        c));
            }
        } catch (Throwable t) {
            if (!cancelled) {
                failure = t;
            }
        } finally {
            done = true;
            LockSupport.unpark(consumer);
        }
    }

    private void producerStarted(Job job) {
        producerJob = job;
        if (cancelled) {
            job.cancel(new CancellationException("buffer: the downstream stopped collecting"));
        }
    }

    /** Puts {@code v}, waiting for room; false once the consumer has stopped. */
    private boolean offer(Object v) {
        long t = tail;
        if (t - headSeen >= capacity) {
            if (!awaitRoom(t)) {
                return false;
            }
        }
        items[(int) (t % capacity)] = v;
        tail = t + 1;
        if (consumerWaiting) {
            LockSupport.unpark(consumer);
        }
        return !cancelled;
    }

    private boolean awaitRoom(long t) {
        long parkNanos = MIN_PRODUCER_PARK_NANOS;
        long deadline = Spin.NOT_STARTED;
        for (int i = 0; ; i++) {
            if (cancelled) {
                return false;
            }
            if (t - (headSeen = head) < capacity) {
                return true;
            }
            if (deadline != Spin.DONE) {
                deadline = Spin.step(i, deadline);
                continue;
            }
            producerWaiting = true;
            if (t - (headSeen = head) >= capacity && !cancelled) {
                LockSupport.parkNanos(this, parkNanos);
                parkNanos = Math.min(parkNanos * 2, MAX_PRODUCER_PARK_NANOS);
            }
            producerWaiting = false;
        }
    }

    // ---- consumer side -------------------------------------------------------------------------

    private void consume(Sink down) throws Exception {
        Thread self = consumer;
        long h = head;
        long n = 0;
        for (; ; ) {
            long t = tail;
            if (h == t) {
                if (done) {
                    if (h == tail) {
                        Throwable f = failure;
                        if (f != null) {
                            throw dev.coflow.bridge.internal.Exceptions.sneaky(f);
                        }
                        return;
                    }
                    continue;
                }
                awaitElements(h);
                continue;
            }
            while (h != t) {
                int i = (int) (h % capacity);
                Object v = items[i];
                items[i] = null;
                head = ++h; // the slot is free before the element is handed on, as a channel's receive frees it
                if (producerWaiting && tail - h <= wakeAt) {
                    // a waiting producer is woken once half the ring is free, not per slot (its own
                    // timed wait finds a slot freed meanwhile, for a consumer that holds an element)
                    LockSupport.unpark(producer);
                }
                if ((++n & CHECK_MASK) == 0 && self.isInterrupted()) {
                    throw Interrupts.cancellation("blocking collection", null);
                }
                if (!down.accept(v)) {
                    return;
                }
            }
        }
    }

    private void awaitElements(long h) {
        long deadline = Spin.NOT_STARTED;
        for (int i = 0; deadline != Spin.DONE; i++) {
            if (tail != h || done) {
                return;
            }
            deadline = Spin.step(i, deadline);
        }
        consumerWaiting = true;
        if (tail == h && !done) {
            LockSupport.park(this);
        }
        consumerWaiting = false;
        if (Thread.interrupted()) {
            throw Interrupts.restoring("blocking collection", new InterruptedException());
        }
    }

    /**
     * Stops the producer (it was done, or the consumer ended first) and waits until it has
     * finished; returns whether the caller was interrupted meanwhile (given back by the caller).
     */
    private boolean stopAndJoin() {
        boolean interrupted = false;
        if (!done) {
            cancelled = true;
            Job j = producerJob;
            if (j != null) {
                j.cancel(new CancellationException("buffer: the downstream stopped collecting"));
            }
            LockSupport.unpark(producer);
        }
        for (; ; ) {
            try {
                producer.join();
                return interrupted;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
    }
}

/** Padding before the producer's fields. */
abstract class FusedBufferPadA {
    long a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15;
}

/** What the producer writes. */
abstract class FusedBufferProducerSide extends FusedBufferPadA {
    /** Elements put so far. */
    volatile long tail;
    /** Whether the producer is parked (or about to park) waiting for room. */
    volatile boolean producerWaiting;
    /** The last {@code head} the producer read. */
    long headSeen;
}

/** Padding between the two sides. */
abstract class FusedBufferPadB extends FusedBufferProducerSide {
    long b0, b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, b11, b12, b13, b14, b15;
}

/** What the consumer writes. */
abstract class FusedBufferConsumerSide extends FusedBufferPadB {
    /** Elements taken so far. */
    volatile long head;
    /** Whether the consumer is parked (or about to park) waiting for elements. */
    volatile boolean consumerWaiting;

    long c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15;
}
