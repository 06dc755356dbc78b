package dev.coflow;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import kotlin.ResultKt;
import kotlin.Unit;
import kotlin.coroutines.Continuation;
import kotlin.coroutines.CoroutineContext;
import kotlin.coroutines.intrinsics.IntrinsicsKt;
import kotlin.coroutines.jvm.internal.ContinuationImpl;
import kotlinx.coroutines.BuildersKt;
import kotlinx.coroutines.CancellableContinuation;
import kotlinx.coroutines.CancellableContinuationKt;
import kotlinx.coroutines.CoroutineStart;
import kotlinx.coroutines.GlobalScope;
import kotlinx.coroutines.Job;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.FlowCollector;

/**
 * One subscriber's collection of a flow behind {@code toPublisher()} / {@code toReactiveStreams()}:
 * the {@code Subscription} (of both interfaces, which have the same two methods) and the collector
 * of the emission coroutine.
 *
 * <p>The rules it keeps (Reactive Streams 1.0.4; section numbers as in the specification):
 * <ul>
 *   <li>the coroutine starts when {@code onSubscribe} has returned, so a failing or empty flow
 *       signals {@code onError}/{@code onComplete} without any request (§1.4, §1.9) and a flow
 *       that ends after exactly the requested elements completes at once;</li>
 *   <li>every {@code onNext}, {@code onError} and {@code onComplete} is called by that coroutine,
 *       one after the other (§1.3); {@code request} and {@code cancel} only update state and wake
 *       it, so a {@code request} made inside {@code onNext} never recurses (§3.3);</li>
 *   <li>{@code emit} returns only after its element was handed to {@code onNext}, and waits while
 *       the demand is zero: the flow runs at most one element ahead of demand (the one waiting in
 *       {@code emit}), plus whatever a {@code buffer} in the flow asks for;</li>
 *   <li>demand adds up and saturates at {@code Long.MAX_VALUE}, which means unbounded (§3.17);</li>
 *   <li>{@code request(n <= 0)} cancels the collection and signals {@code onError} with an
 *       {@link IllegalArgumentException} (§3.9): at once, from {@code request}, when the
 *       coroutine waits for demand (it cannot be signalling then), else by the coroutine when it
 *       stops; {@code cancel()} cancels the coroutine's job at
 *       once, so a collection waiting for demand unwinds (its {@code finally} blocks run) inside
 *       {@code cancel()} under {@code Dispatchers.Unconfined}, or promptly on its dispatcher, and
 *       nothing is signalled afterwards (§3.7); the subscriber is dropped (§3.13).</li>
 * </ul>
 *
 * <p>Memory protocol between the coroutine and {@code request}: the coroutine publishes its
 * continuation in {@code waiter} and then reads {@code demand} again; {@code request} adds to
 * {@code demand} and then reads {@code waiter}; the waiter is cleared by compare-and-set, so it is
 * resumed at most once by us (the same handshake as {@code CallerBuffer}'s).
 *
 * @param <T> the element type
 */
final class PublishersEmission<T>
        implements java.util.concurrent.Flow.Subscription, org.reactivestreams.Subscription, FlowCollector<T> {
    private static final Object SUSPENDED = IntrinsicsKt.getCOROUTINE_SUSPENDED();
    private static final VarHandle DEMAND;
    private static final VarHandle WAITER;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            DEMAND = l.findVarHandle(PublishersEmission.class, "demand", long.class);
            WAITER = l.findVarHandle(PublishersEmission.class, "waiter", CancellableContinuation.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Flow<T> flow;
    /** Null once the subscription ended: cancelled, or terminally signalled (§3.13). */
    private volatile java.util.concurrent.Flow.Subscriber<? super T> subscriber;
    /** Requested and not yet delivered; {@code Long.MAX_VALUE}: unbounded. */
    private volatile long demand;
    /** The coroutine, while it waits for demand. */
    private volatile CancellableContinuation<? super Unit> waiter;
    /** The emission coroutine once launched. */
    private volatile Job job;

    private volatile boolean cancelled;
    /** The §3.9 failure to signal, set by the first {@code request(n <= 0)}. */
    private volatile IllegalArgumentException badRequest;

    private PublishersEmission(Flow<T> flow, java.util.concurrent.Flow.Subscriber<? super T> subscriber) {
        this.flow = flow;
        this.subscriber = subscriber;
    }

    /**
     * {@code Publisher.subscribe}: signals {@code onSubscribe}, then launches the emission coroutine
     * in {@code context} (undispatched under {@code Dispatchers.Unconfined}: on this thread, up to
     * its first wait).
     */
    static <T> void subscribe(
            Flow<T> flow, CoroutineContext context, java.util.concurrent.Flow.Subscriber<? super T> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber (Reactive Streams §1.9: subscribe(null) must throw)");
        PublishersEmission<T> e = new PublishersEmission<>(flow, subscriber);
        try {
            subscriber.onSubscribe(e);
        } catch (Throwable t) {
            // §2.13: a subscriber that throws is treated as cancelled; subscribe returns normally (§1.9)
            e.cancelled = true;
            e.subscriber = null;
            report(t);
            return;
        }
        if (e.cancelled) {
            e.subscriber = null; // cancelled inside onSubscribe: nothing runs
            return;
        }
        Job j = BuildersKt.launch(
                GlobalScope.INSTANCE,
                context,
                CoroutineStart.DEFAULT,
                (scope, c) -> new Run<>(e, c).invokeSuspend(Unit.INSTANCE));
        e.job = j;
        if (e.cancelled || e.badRequest != null) {
            j.cancel((CancellationException) null); // raced with a cancel before the job was visible
        }
    }

    // ---- Subscription ---------------------------------------------------------------------------

    @Override
    public void request(long n) {
        if (n <= 0) {
            if (badRequest == null) {
                badRequest = new IllegalArgumentException("Subscription.request(" + n + "): the number of "
                        + "elements requested must be positive (Reactive Streams rule 3.9); request at least 1, "
                        + "or Long.MAX_VALUE for all");
            }
            Object w = waiter;
            if (w != null && WAITER.compareAndSet(this, w, null)) {
                // The coroutine waits for demand and stays suspended until resumed by us: no signal is
                // in progress, so §3.9's onError goes out at once, from here; then the collection unwinds.
                java.util.concurrent.Flow.Subscriber<? super T> s = subscriber;
                subscriber = null;
                if (s != null && !cancelled) {
                    try {
                        s.onError(badRequest);
                    } catch (Throwable t) {
                        report(t);
                    }
                }
                @SuppressWarnings("unchecked")
                CancellableContinuation<Object> cc = (CancellableContinuation<Object>) w;
                cc.resumeWith(Unit.INSTANCE); // it sees the bad request and stops
            }
            stop();
            return;
        }
        long d;
        long next;
        do {
            d = demand;
            if (d == Long.MAX_VALUE) {
                return;
            }
            next = d + n;
            if (next < 0) {
                next = Long.MAX_VALUE; // §3.17: saturates, which means unbounded
            }
        } while (!DEMAND.compareAndSet(this, d, next));
        wake();
    }

    @Override
    public void cancel() {
        cancelled = true;
        subscriber = null;
        stop();
    }

    private void stop() {
        Job j = job;
        if (j != null) {
            j.cancel((CancellationException) null);
        }
        wake();
    }

    private void wake() {
        Object w = waiter;
        if (w != null && WAITER.compareAndSet(this, w, null)) {
            @SuppressWarnings("unchecked")
            CancellableContinuation<Object> cc = (CancellableContinuation<Object>) w;
            cc.resumeWith(Unit.INSTANCE); // ignored by a waiter already cancelled
        }
    }

    // ---- the emission coroutine's side ----------------------------------------------------------

    private boolean ended() {
        return cancelled || badRequest != null;
    }

    private boolean takeDemand() {
        while (true) {
            long d = demand;
            if (d == 0) {
                return false;
            }
            if (d == Long.MAX_VALUE || DEMAND.compareAndSet(this, d, d - 1)) {
                return true;
            }
        }
    }

    private void awaitDemand(CancellableContinuation<? super Unit> cc) {
        WAITER.setVolatile(this, cc);
        if (demand != 0 || ended()) {
            wake();
        }
    }

    @Override
    public Object emit(T value, Continuation<? super Unit> continuation) {
        if (value == null) {
            throw new NullPointerException("toPublisher: the flow emitted null, which Reactive Streams forbids "
                    + "(rule 2.13); map null to an Optional or filter it out before toPublisher()");
        }
        if (!ended() && takeDemand()) {
            return deliver(value);
        }
        return new AwaitDemand<>(this, value, continuation).invokeSuspend(Unit.INSTANCE);
    }

    private Object deliver(T value) {
        java.util.concurrent.Flow.Subscriber<? super T> s = subscriber;
        if (s == null || ended()) {
            throw stopped();
        }
        try {
            s.onNext(value);
        } catch (Throwable t) {
            // §2.13: the subscriber broke the protocol; treat the subscription as cancelled
            cancelled = true;
            subscriber = null;
            report(t);
            CancellationException ce = new CancellationException("toPublisher: Subscriber.onNext threw; "
                    + "the subscription is cancelled (Reactive Streams rule 2.13)");
            ce.initCause(t);
            throw ce;
        }
        if (ended()) {
            throw stopped(); // cancelled inside onNext: stop even a source that never suspends
        }
        return Unit.INSTANCE;
    }

    private static CancellationException stopped() {
        return new CancellationException("toPublisher: the subscription was cancelled");
    }

    /** Signals the end, unless the subscription was cancelled. Called once, by the coroutine. */
    private void finish(Throwable failure) {
        java.util.concurrent.Flow.Subscriber<? super T> s = subscriber;
        subscriber = null;
        if (s == null || cancelled) {
            return;
        }
        IllegalArgumentException bad = badRequest;
        try {
            if (bad != null) {
                s.onError(bad);
            } else if (failure == null) {
                s.onComplete();
            } else {
                s.onError(failure);
            }
        } catch (Throwable t) {
            report(t); // §2.13: nothing else to do with it
        }
    }

    /** A subscriber that broke rule 2.13 by throwing: the thread's uncaught-exception handler gets it. */
    private static void report(Throwable t) {
        Thread th = Thread.currentThread();
        th.getUncaughtExceptionHandler().uncaughtException(th, t);
    }

    /**
     * The emission coroutine's body: collects the flow into the emission and signals how it ended.
     *
     * @param <T> the element type
     */
    private static final class Run<T> extends ContinuationImpl {
        private final PublishersEmission<T> owner;
        private boolean started;

        @SuppressWarnings("unchecked")
        Run(PublishersEmission<T> owner, Continuation<?> completion) {
            super((Continuation<Object>) completion);
            this.owner = owner;
        }

        @Override
        protected Object invokeSuspend(Object result) {
            try {
                if (!started) {
                    started = true;
                    if (!owner.ended() && owner.flow.collect(owner, this) == SUSPENDED) {
                        return SUSPENDED;
                    }
                } else {
                    ResultKt.throwOnFailure(result);
                }
            } catch (Throwable t) {
                owner.finish(t);
                return Unit.INSTANCE;
            }
            owner.finish(null);
            return Unit.INSTANCE;
        }
    }

    /**
     * An {@code emit} that found no demand: waits for it, then delivers its element.
     *
     * @param <T> the element type
     */
    private static final class AwaitDemand<T> extends ContinuationImpl {
        private final PublishersEmission<T> owner;
        private final T value;

        @SuppressWarnings("unchecked")
        AwaitDemand(PublishersEmission<T> owner, T value, Continuation<? super Unit> completion) {
            super((Continuation<Object>) completion);
            this.owner = owner;
            this.value = value;
        }

        @Override
        protected Object invokeSuspend(Object result) {
            ResultKt.throwOnFailure(result);
            while (true) {
                if (owner.ended()) {
                    throw stopped();
                }
                if (owner.takeDemand()) {
                    return owner.deliver(value);
                }
                if (CancellableContinuationKt.suspendCancellableCoroutine(
                                cc -> {
                                    owner.awaitDemand(cc);
                                    return Unit.INSTANCE;
                                },
                                this)
                        == SUSPENDED) {
                    return SUSPENDED;
                }
            }
        }
    }
}
