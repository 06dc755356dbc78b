package dev.coflow;

import dev.coflow.bridge.internal.Exceptions;
import dev.coflow.bridge.internal.Interrupts;
import dev.coflow.bridge.internal.KotlinxInternals;
import dev.coflow.bridge.internal.Spin;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import kotlin.ResultKt;
import kotlin.Unit;
import kotlin.coroutines.Continuation;
import kotlin.coroutines.intrinsics.IntrinsicsKt;
import kotlin.coroutines.jvm.internal.ContinuationImpl;
import kotlinx.coroutines.BuildersKt;
import kotlinx.coroutines.CancellableContinuation;
import kotlinx.coroutines.CancellableContinuationKt;
import kotlinx.coroutines.CoroutineScopeKt;
import kotlinx.coroutines.CoroutineStart;
import kotlinx.coroutines.Dispatchers;
import kotlinx.coroutines.channels.BufferOverflow;
import kotlinx.coroutines.channels.Channel;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.FlowCollector;

/**
 * The {@code buffer(capacity)} of a flow collected by a blocking coflow terminal: a
 * single-producer/single-consumer ring of {@code capacity} slots between a producer coroutine on
 * {@code Dispatchers.Default} (a child of the collector's scope, so a generator upstream takes the
 * direct-call path) and the consumer on the caller's thread.
 *
 * <p>Same contract as kotlinx's channel buffer with {@link BufferOverflow#SUSPEND}: elements in
 * order; the producer runs at most {@code capacity} elements ahead and suspends when the ring is
 * full; an upstream failure reaches the collector after the elements buffered before it; a
 * downstream failure, an early stop or cancellation cancels the producer, and the collection
 * completes only after the producer did (its {@code finally} blocks have run). What differs is
 * the cost: each side signals the other only when it waits (the consumer on an empty ring, the
 * producer on a full one), and the consumer drains every available element before it waits
 * again, so a fast pair exchanges almost no wake-ups: before it waits, a side polls the other's
 * index for up to {@code coflow.spinNanos} (the caller loop's spin), pausing between polls.
 *
 * <p>Memory protocol: {@code tail} (written by the producer) and {@code head} (written by the
 * consumer) are volatile; a side that is about to wait publishes its continuation in a volatile
 * slot and then reads the other side's index again, while the other side writes its index and
 * then reads the slot (a Dekker handshake), so at least one of them sees the other and no wake-up
 * is lost. The slot is cleared by compare-and-set, so a waiter is resumed at most once by us.
 */
final class CallerBuffer<T> extends CallerBufferConsumerSide {
    private static final Object SUSPENDED = IntrinsicsKt.getCOROUTINE_SUSPENDED();
    /** kotlinx's default channel capacity, read from the same system property. */
    private static final int DEFAULT_CAPACITY = defaultCapacity();
    // How long a side polls the other side's index before it registers to wait is Spin.NANOS
    // (the caller loop's coflow.spinNanos): a wait costs a suspension, a dispatch and often a
    // park/unpark.
    /**
     * Pauses between two polls: a side that re-read the other's index at full speed would pull
     * its cache line away on every poll and slow down the very side it is waiting for (measured:
     * twice the cost per element when the consumer is the faster side).
     */
    private static final int BACKOFF = Integer.getInteger("coflow.bufferBackoff", 32);

    private static final VarHandle CONSUMER_WAITER;
    private static final VarHandle PRODUCER_WAITER;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            CONSUMER_WAITER =
                    l.findVarHandle(CallerBufferProducerSide.class, "consumerWaiter", CancellableContinuation.class);
            PRODUCER_WAITER =
                    l.findVarHandle(CallerBufferConsumerSide.class, "producerWaiter", CancellableContinuation.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Object[] items;
    private final int capacity;
    /** Set (after {@link #failure}) when the upstream has completed. */
    private volatile boolean done;

    private Throwable failure;

    private CallerBuffer(int capacity) {
        this.capacity = capacity;
        this.items = new Object[capacity];
    }

    /**
     * Whether {@code buffer(capacity, overflow)} over {@code upstream} may use this ring: only
     * suspending buffers with room for at least one element, and only over an upstream that
     * kotlinx would not fuse into one channel with it (a {@code flowOn} or another buffer).
     */
    static boolean accepts(Flow<?> upstream, int capacity, BufferOverflow overflow) {
        return overflow == BufferOverflow.SUSPEND
                && !KotlinxInternals.isFusible(upstream)
                && (capacity == Channel.BUFFERED || capacity >= 1 && capacity != Channel.UNLIMITED);
    }

    /** Collects {@code upstream} through a ring of {@code capacity} slots into {@code collector}. */
    static <T> Object collect(
            Flow<T> upstream,
            int capacity,
            FlowCollector<? super T> collector,
            Continuation<? super Unit> continuation) {
        CallerBuffer<T> buf = new CallerBuffer<>(capacity == Channel.BUFFERED ? DEFAULT_CAPACITY : capacity);
        return CoroutineScopeKt.coroutineScope(
                (scope, c) -> {
                    BuildersKt.launch(
                            scope,
                            Dispatchers.getDefault(),
                            CoroutineStart.DEFAULT,
                            (s, pc) -> new ProducerRun<>(buf, upstream, pc).invokeSuspend(Unit.INSTANCE));
                    return new ConsumerLoop<>(buf, collector, c).invokeSuspend(Unit.INSTANCE);
                },
                continuation);
    }

    /** kotlinx's default channel capacity ({@code kotlinx.coroutines.channels.defaultBuffer}, 64). */
    static int defaultCapacity() {
        String p = System.getProperty("kotlinx.coroutines.channels.defaultBuffer");
        try {
            int v = p == null ? 64 : Integer.parseInt(p.trim());
            return v >= 1 && v < Channel.UNLIMITED ? v : 64;
        } catch (NumberFormatException e) {
            return 64;
        }
    }

    // ---- producer side -------------------------------------------------------------------------

    /** Puts {@code v} if there is room; wakes a waiting consumer. Producer only. */
    private boolean offer(Object v) {
        long t = tail;
        if (t - headSeen == capacity) {
            headSeen = head;
            if (t - headSeen == capacity) {
                return false;
            }
        }
        int i = putIndex;
        items[i] = v;
        putIndex = i + 1 == capacity ? 0 : i + 1;
        tail = t + 1;
        wake(CONSUMER_WAITER);
        return true;
    }

    /** Called with the producer's continuation once it registered; resumes it if room appeared. */
    private void awaitRoom(CancellableContinuation<? super Unit> cc) {
        PRODUCER_WAITER.setVolatile(this, cc);
        if (tail - head < capacity) {
            resumeIfStill(PRODUCER_WAITER, cc);
        }
    }

    /** Records the end of the upstream ({@code t == null}: normal) and wakes the consumer. */
    private void finish(Throwable t) {
        failure = t;
        done = true;
        wake(CONSUMER_WAITER);
    }

    // ---- consumer side -------------------------------------------------------------------------

    private void awaitElements(CancellableContinuation<? super Unit> cc) {
        CONSUMER_WAITER.setVolatile(this, cc);
        if (tail != head || done) {
            resumeIfStill(CONSUMER_WAITER, cc);
        }
    }

    // ---- both ----------------------------------------------------------------------------------

    /**
     * Pauses before poll {@code i + 1} of a spin that started at {@code deadline - Spin.NANOS};
     * true when the spin should end and the side wait instead.
     */
    private static boolean spunOut(int i, long deadline) {
        return Spin.spunOut(i, deadline, BACKOFF);
    }

    private void wake(VarHandle slot) {
        Object w = slot.getVolatile(this);
        if (w != null) {
            resumeIfStill(slot, w);
        }
    }

    @SuppressWarnings("unchecked")
    private void resumeIfStill(VarHandle slot, Object w) {
        if (slot.compareAndSet(this, w, null)) {
            // a waiter already cancelled ignores this
            ((CancellableContinuation<Object>) w).resumeWith(Unit.INSTANCE);
        }
    }

    /**
     * The producer coroutine: collects the upstream into the ring and records how it ended.
     *
     * @param <T> the element type
     */
    private static final class ProducerRun<T> extends ContinuationImpl implements FlowCollector<T> {
        private final CallerBuffer<T> buf;
        private final Flow<T> upstream;
        private boolean started;

        @SuppressWarnings("unchecked")
        ProducerRun(CallerBuffer<T> buf, Flow<T> upstream, Continuation<?> completion) {
            super((Continuation<Object>) completion);
            this.buf = buf;
            this.upstream = upstream;
        }

        @Override
        protected Object invokeSuspend(Object result) {
            try {
                if (!started) {
                    started = true;
                    if (upstream.collect(this, this) == SUSPENDED) {
                        return SUSPENDED;
                    }
                } else {
                    ResultKt.throwOnFailure(result);
                }
            } catch (Throwable t) {
                buf.finish(t);
                return Unit.INSTANCE;
            }
            buf.finish(null);
            return Unit.INSTANCE;
        }

        @Override
        public Object emit(T value, Continuation<? super Unit> c) {
            if (buf.offer(value)) {
                return Unit.INSTANCE;
            }
            return new EmitAgain(buf, value, c).invokeSuspend(Unit.INSTANCE);
        }
    }

    /** An {@code emit} that found the ring full: waits for room, then puts its element. */
    private static final class EmitAgain extends ContinuationImpl {
        private final CallerBuffer<?> buf;
        private final Object value;

        @SuppressWarnings("unchecked")
        EmitAgain(CallerBuffer<?> buf, Object value, Continuation<? super Unit> completion) {
            super((Continuation<Object>) completion);
            this.buf = buf;
            this.value = value;
        }

        @Override
        protected Object invokeSuspend(Object result) {
            ResultKt.throwOnFailure(result);
            while (true) {
                long deadline = 0;
                for (int i = 0; ; i++) {
                    if (buf.offer(value)) {
                        return Unit.INSTANCE;
                    }
                    if (spunOut(i, deadline)) {
                        break;
                    }
                    if (i == 0) {
                        deadline = Spin.deadline();
                    }
                }
                if (CancellableContinuationKt.suspendCancellableCoroutine(
                                cc -> {
                                    buf.awaitRoom(cc);
                                    return Unit.INSTANCE;
                                },
                                this)
                        == SUSPENDED) {
                    return SUSPENDED;
                }
            }
        }
    }

    /**
     * An interrupt of the caller's thread cancels the blocking call, but the caller loop notices
     * it only when it parks, which a consumer that never has to wait never lets it do: the
     * consumer (on the caller's thread) checks for it every 1024 elements and before it spins.
     */
    private static void checkInterrupt() {
        Thread t = Thread.currentThread();
        if (t.isInterrupted()) {
            throw Interrupts.cancellation("caller-thread buffer", t, null);
        }
    }

    /**
     * The consumer: takes every element available, hands each to the downstream (which may
     * suspend), and waits only on an empty ring. Resumed after either kind of suspension.
     *
     * @param <T> the element type
     */
    private static final class ConsumerLoop<T> extends ContinuationImpl {
        private final CallerBuffer<T> buf;
        private final FlowCollector<? super T> collector;

        @SuppressWarnings("unchecked")
        ConsumerLoop(CallerBuffer<T> buf, FlowCollector<? super T> collector, Continuation<?> completion) {
            super((Continuation<Object>) completion);
            this.buf = buf;
            this.collector = collector;
        }

        @Override
        @SuppressWarnings("unchecked")
        protected Object invokeSuspend(Object result) {
            ResultKt.throwOnFailure(result);
            CallerBuffer<T> b = buf;
            int spins = 0;
            long deadline = 0;
            while (true) {
                long h = b.head;
                if (h == b.tailSeen) {
                    b.tailSeen = b.tail;
                    if (h == b.tailSeen) {
                        if (b.done) {
                            b.tailSeen = b.tail; // elements put before done are visible now
                            if (h == b.tailSeen) {
                                if (b.failure != null) {
                                    throw Exceptions.sneaky(b.failure);
                                }
                                return Unit.INSTANCE;
                            }
                            continue;
                        }
                        if (spins == 0) {
                            checkInterrupt();
                            deadline = Spin.deadline();
                        }
                        if (!spunOut(spins++, deadline)) {
                            continue;
                        }
                        spins = 0;
                        if (CancellableContinuationKt.suspendCancellableCoroutine(
                                        cc -> {
                                            b.awaitElements(cc);
                                            return Unit.INSTANCE;
                                        },
                                        this)
                                == SUSPENDED) {
                            return SUSPENDED;
                        }
                        continue;
                    }
                }
                spins = 0;
                if ((h & 1023) == 1023) {
                    checkInterrupt();
                }
                int i = b.takeIndex;
                T v = (T) b.items[i];
                b.items[i] = null;
                b.takeIndex = i + 1 == b.capacity ? 0 : i + 1;
                b.head = h + 1;
                b.wake(PRODUCER_WAITER);
                if (collector.emit(v, this) == SUSPENDED) {
                    return SUSPENDED;
                }
            }
        }
    }
}

// ---- layout: each side's fields on cache lines of their own -----------------------------------
// HotSpot places a superclass's fields before its subclass's, so the padding classes below keep
// the producer's and the consumer's fields 128 bytes apart (no false sharing between a write of
// tail and a read of head, which would otherwise cost a cache miss per element on both sides).

/** Padding before the producer's fields. */
abstract class CallerBufferPadA {
    long a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15;
}

/** Written by the producer (and {@code consumerWaiter} by a consumer about to wait). */
abstract class CallerBufferProducerSide extends CallerBufferPadA {
    /** Elements put so far. */
    volatile long tail;

    volatile CancellableContinuation<? super Unit> consumerWaiter;
    int putIndex;
    /** The last {@code head} the producer read. */
    long headSeen;
}

/** Padding between the two sides. */
abstract class CallerBufferPadB extends CallerBufferProducerSide {
    long b0, b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, b11, b12, b13, b14, b15;
}

/** Written by the consumer (and {@code producerWaiter} by a producer about to wait). */
abstract class CallerBufferConsumerSide extends CallerBufferPadB {
    /** Elements taken so far. */
    volatile long head;

    volatile CancellableContinuation<? super Unit> producerWaiter;
    int takeIndex;
    /** The last {@code tail} the consumer read. */
    long tailSeen;

    long c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15;
}
