package dev.coflow;

import dev.coflow.bridge.internal.Exceptions;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import kotlin.ResultKt;
import kotlin.Unit;
import kotlin.coroutines.Continuation;
import kotlin.coroutines.intrinsics.IntrinsicsKt;
import kotlin.coroutines.jvm.internal.ContinuationImpl;
import kotlinx.coroutines.CancellableContinuation;
import kotlinx.coroutines.CancellableContinuationKt;
import kotlinx.coroutines.flow.FlowCollector;

/**
 * The subscriber behind {@code fromPublisher} / {@code fromReactiveStreams}: one per collection,
 * of both {@code Subscriber} interfaces, and the loop that hands its elements to the collector.
 *
 * <p>The rules it keeps (Reactive Streams 1.0.4):
 * <ul>
 *   <li>demand follows the collector: {@code batch} elements are requested on subscribe, and
 *       {@code batch / 2} more each time the collector has taken that many, so at most
 *       {@code batch} are requested and not yet taken (§2.1);</li>
 *   <li>a second {@code onSubscribe}, or one that arrives after the collection ended, cancels
 *       the new subscription (§2.5); null signals throw {@link NullPointerException} (§2.13);</li>
 *   <li>{@code onNext} only queues and wakes the loop, {@code onError}/{@code onComplete} only
 *       record (§2.2, §2.3); after a terminal signal the subscription counts as cancelled and is
 *       never called again (§2.4); signals after a cancel are ignored (§2.8);</li>
 *   <li>every {@code request} and {@code cancel} goes through one serializing drain, so they are
 *       never called concurrently nor re-entrantly (§2.7, §3.3): a {@code request} that a
 *       synchronous publisher answers with {@code onNext} inside it cannot recurse;</li>
 *   <li>an early exit of the collector ({@code take}, a failure downstream, cancellation of the
 *       collecting coroutine) cancels the subscription before the collection ends (§2.6);</li>
 *   <li>a publisher that sends more than was requested fails the collection with an
 *       {@link IllegalStateException} naming rule 1.1.</li>
 * </ul>
 *
 * @param <T> the element type
 */
final class PublishersSubscriber<T>
        implements java.util.concurrent.Flow.Subscriber<T>, org.reactivestreams.Subscriber<T> {
    private static final Object SUSPENDED = IntrinsicsKt.getCOROUTINE_SUSPENDED();
    /** kotlinx's default channel capacity, the request batch of its own {@code asFlow}. */
    static final int DEFAULT_BATCH = 64;

    private static final VarHandle UPSTREAM;
    private static final VarHandle WAITER;
    private static final VarHandle PENDING;
    private static final VarHandle CREDIT;
    private static final VarHandle WIP;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            UPSTREAM = l.findVarHandle(PublishersSubscriber.class, "upstream", Upstream.class);
            WAITER = l.findVarHandle(PublishersSubscriber.class, "waiter", CancellableContinuation.class);
            PENDING = l.findVarHandle(PublishersSubscriber.class, "pending", long.class);
            CREDIT = l.findVarHandle(PublishersSubscriber.class, "credit", long.class);
            WIP = l.findVarHandle(PublishersSubscriber.class, "wip", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The two {@code Subscription} interfaces, seen as one. */
    private interface Upstream {
        void request(long n);

        void cancel();
    }

    private final int batch;
    private final int replenish;
    private final ConcurrentLinkedQueue<T> queue = new ConcurrentLinkedQueue<>();
    private volatile Upstream upstream;
    /** Set (after {@link #error}) by a terminal signal of the publisher. */
    private volatile boolean done;

    private Throwable error;
    /** Set by {@code onError}/{@code onComplete}: the subscription counts as cancelled (§2.4). */
    private volatile boolean terminated;
    /** The loop ended or was cancelled: later signals are dropped, later subscriptions cancelled. */
    private volatile boolean cancelRequested;

    private volatile CancellableContinuation<? super Unit> waiter;
    /** Requests not yet passed to the subscription. */
    private volatile long pending;
    /** Requested and not yet received; below zero means the publisher broke §1.1. */
    private volatile long credit;

    private volatile int wip;
    private boolean cancelSent;

    PublishersSubscriber(int batch) {
        this.batch = batch;
        this.replenish = Math.max(1, batch / 2);
    }

    // ---- Subscriber ----------------------------------------------------------------------------

    @Override
    public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
        Objects.requireNonNull(s, "onSubscribe(null): the subscription must not be null (Reactive Streams rule 2.13)");
        subscribed(new Upstream() {
            @Override
            public void request(long n) {
                s.request(n);
            }

            @Override
            public void cancel() {
                s.cancel();
            }
        });
    }

    @Override
    public void onSubscribe(org.reactivestreams.Subscription s) {
        Objects.requireNonNull(s, "onSubscribe(null): the subscription must not be null (Reactive Streams rule 2.13)");
        subscribed(new Upstream() {
            @Override
            public void request(long n) {
                s.request(n);
            }

            @Override
            public void cancel() {
                s.cancel();
            }
        });
    }

    private void subscribed(Upstream u) {
        if (!UPSTREAM.compareAndSet(this, null, u)) {
            cancelQuietly(u); // §2.5: already subscribed
            return;
        }
        if (cancelRequested) {
            drainSignals(); // the collection already ended: cancels u
            return;
        }
        requestMore(batch);
    }

    @Override
    public void onNext(T item) {
        Objects.requireNonNull(item, "onNext(null): elements must not be null (Reactive Streams rule 2.13)");
        if (done || cancelRequested) {
            return; // §2.8
        }
        if ((long) CREDIT.getAndAdd(this, -1L) <= 0) {
            fail(new IllegalStateException("fromPublisher: the publisher sent more elements than were requested "
                    + "(Reactive Streams rule 1.1); the subscription is cancelled"));
            cancelUpstream();
            return;
        }
        queue.offer(item);
        wake();
    }

    @Override
    public void onError(Throwable t) {
        Objects.requireNonNull(t, "onError(null): the error must not be null (Reactive Streams rule 2.13)");
        terminated = true;
        fail(t);
    }

    @Override
    public void onComplete() {
        terminated = true;
        if (!done) {
            done = true;
            wake();
        }
    }

    private void fail(Throwable t) {
        if (!done) {
            error = t;
            done = true;
            wake();
        }
    }

    // ---- requests and cancel, serialized -------------------------------------------------------

    private void requestMore(long n) {
        CREDIT.getAndAdd(this, n);
        PENDING.getAndAdd(this, n);
        drainSignals();
    }

    /**
     * Ends this subscriber from outside its loop, as an early exit of the loop does: cancels the
     * subscription (unless the publisher already ended it) and any that arrives later.
     */
    void cancel() {
        cancelUpstream();
    }

    private void cancelUpstream() {
        cancelRequested = true;
        drainSignals();
    }

    private void drainSignals() {
        if ((int) WIP.getAndAdd(this, 1) != 0) {
            return; // the thread in the loop below sends it
        }
        int missed = 1;
        do {
            Upstream u = upstream;
            if (u != null) {
                if (cancelRequested) {
                    if (!cancelSent) {
                        cancelSent = true;
                        if (!terminated) {
                            cancelQuietly(u);
                        }
                    }
                } else {
                    long n = (long) PENDING.getAndSet(this, 0L);
                    if (n > 0 && !done && !terminated) {
                        try {
                            u.request(n);
                        } catch (Throwable t) {
                            fail(t); // the publisher broke §3.5 (request must return normally)
                        }
                    }
                }
            }
            missed = (int) WIP.getAndAdd(this, -missed) - missed;
        } while (missed != 0);
    }

    private static void cancelQuietly(Upstream u) {
        try {
            u.cancel();
        } catch (Throwable t) {
            Thread th = Thread.currentThread();
            th.getUncaughtExceptionHandler().uncaughtException(th, t); // the publisher broke §3.15
        }
    }

    // ---- the collecting loop -------------------------------------------------------------------

    private void wake() {
        Object w = waiter;
        if (w != null && WAITER.compareAndSet(this, w, null)) {
            @SuppressWarnings("unchecked")
            CancellableContinuation<Object> cc = (CancellableContinuation<Object>) w;
            cc.resumeWith(Unit.INSTANCE);
        }
    }

    private void awaitSignal(CancellableContinuation<? super Unit> cc) {
        WAITER.setVolatile(this, cc);
        if (done || !queue.isEmpty()) {
            wake();
        }
    }

    /**
     * Runs {@code subscribe} (which subscribes this subscriber somewhere; {@code null} when someone
     * else does) and then hands every element to {@code collector} until the publisher ends; an
     * early end cancels the subscription.
     */
    Object consume(
            Consumer<? super PublishersSubscriber<T>> subscribe,
            FlowCollector<? super T> collector,
            Continuation<? super Unit> continuation) {
        return new Loop<>(this, subscribe, collector, continuation).invokeSuspend(Unit.INSTANCE);
    }

    private static final class Loop<T> extends ContinuationImpl {
        private final PublishersSubscriber<T> s;
        private final FlowCollector<? super T> collector;
        private Consumer<? super PublishersSubscriber<T>> subscribe;
        private int taken;

        @SuppressWarnings("unchecked")
        Loop(
                PublishersSubscriber<T> s,
                Consumer<? super PublishersSubscriber<T>> subscribe,
                FlowCollector<? super T> collector,
                Continuation<?> completion) {
            super((Continuation<Object>) completion);
            this.s = s;
            this.subscribe = subscribe;
            this.collector = collector;
        }

        @Override
        protected Object invokeSuspend(Object result) {
            try {
                ResultKt.throwOnFailure(result);
                if (subscribe != null) {
                    Consumer<? super PublishersSubscriber<T>> first = subscribe;
                    subscribe = null;
                    first.accept(s);
                }
                while (true) {
                    boolean d = s.done;
                    T v = s.queue.poll();
                    if (v != null) {
                        if (++taken == s.replenish) {
                            taken = 0;
                            s.requestMore(s.replenish);
                        }
                        if (collector.emit(v, this) == SUSPENDED) {
                            return SUSPENDED;
                        }
                        continue;
                    }
                    if (d) {
                        s.cancelRequested = true; // the end: later subscriptions are cancelled
                        if (s.error != null) {
                            throw Exceptions.sneaky(s.error);
                        }
                        return Unit.INSTANCE;
                    }
                    if (CancellableContinuationKt.suspendCancellableCoroutine(
                                    cc -> {
                                        s.awaitSignal(cc);
                                        return Unit.INSTANCE;
                                    },
                                    this)
                            == SUSPENDED) {
                        return SUSPENDED;
                    }
                }
            } catch (Throwable t) {
                s.cancelUpstream(); // a no-op after a terminal signal (§2.4)
                throw t;
            }
        }
    }
}
