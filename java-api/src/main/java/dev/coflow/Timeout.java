package dev.coflow;

import dev.coflow.bridge.internal.Exceptions;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import kotlin.ResultKt;
import kotlin.Unit;
import kotlin.coroutines.Continuation;
import kotlin.coroutines.EmptyCoroutineContext;
import kotlin.coroutines.intrinsics.IntrinsicsKt;
import kotlin.coroutines.jvm.internal.ContinuationImpl;
import kotlin.jvm.functions.Function2;
import kotlinx.coroutines.BuildersKt;
import kotlinx.coroutines.CoroutineScope;
import kotlinx.coroutines.CoroutineScopeKt;
import kotlinx.coroutines.CoroutineStart;
import kotlinx.coroutines.DelayKt;
import kotlinx.coroutines.Job;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.FlowCollector;

/**
 * {@code timeout} (the whole collection) and {@code timeoutEach} (each element), kotlinx
 * {@code operators/Delay.kt}'s {@code timeout}.
 *
 * <p>Written here rather than delegated: kotlinx's {@code Flow.timeout} takes a {@code Duration}
 * (a mangled JVM name), runs the upstream in a separate coroutine one element ahead (a channel),
 * and fails with a {@code TimeoutCancellationException}, a cancellation that Java callers would
 * mistake for "someone cancelled me". Here the upstream runs in a {@code coroutineScope} in the
 * collector's coroutine (sequential semantics kept), a watchdog child waits on the coroutine clock
 * (virtual under test dispatchers) and, when it fires, cancels the scope with a private marker;
 * the marker is turned into {@link AsyncFlowTimeoutException} on the way out, and nothing else is
 * touched (a downstream failure passes unchanged). Per element, the watchdog is stopped while the
 * downstream works on an element and restarted when it is done with it, so the limit measures
 * only the upstream's time to produce the next element.
 */
final class Timeout<T> implements Flow<T> {
    private static final Object SUSPENDED = IntrinsicsKt.getCOROUTINE_SUSPENDED();

    private final Flow<T> upstream;
    private final Duration limit;
    /** The watchdog's wait; {@link Long#MAX_VALUE} (a limit too large for a long of ms) means none. */
    private final long millis;

    private final boolean perElement;

    Timeout(Flow<T> upstream, Duration limit, boolean perElement) {
        this.upstream = upstream;
        this.limit = limit;
        this.millis = watchdogMillis(limit);
        this.perElement = perElement;
    }

    /**
     * The limit in whole milliseconds, at least 1 (a positive limit below a millisecond waits one,
     * as kotlinx does). A limit whose millisecond count does not fit in a {@code long}
     * ({@code ChronoUnit.FOREVER.getDuration()}, hundreds of millions of years) saturates to
     * {@link Long#MAX_VALUE}: effectively no limit, as {@code debounce} and {@code sample} clamp,
     * and as kotlinx's {@code delay(Long.MAX_VALUE)} waits forever.
     */
    static long watchdogMillis(Duration limit) {
        long ms;
        try {
            ms = limit.toMillis();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
        return Math.max(1, ms);
    }

    @Override
    public Object collect(FlowCollector<? super T> collector, Continuation<? super Unit> continuation) {
        Run<T> run = new Run<>(this, collector);
        try {
            Function2<CoroutineScope, Continuation<? super Unit>, Object> block = run::start;
            return CoroutineScopeKt.coroutineScope(block, new Step(continuation, run, Kind.TRANSLATE));
        } catch (Throwable e) {
            throw Exceptions.sneaky(run.translate(e));
        }
    }

    /** The cancellation cause of one collection's watchdog; never leaves this class. */
    private static final class TimedOut extends CancellationException {
        private static final long serialVersionUID = 1L;

        TimedOut() {
            super("coflow timeout watchdog fired");
        }
    }

    /** One collection: the scope, the current watchdog, and the per-element emit wrapper. */
    private static final class Run<T> implements FlowCollector<T> {
        private final Timeout<T> op;
        private final FlowCollector<? super T> downstream;
        private final TimedOut marker = new TimedOut();
        private CoroutineScope scope;
        private volatile Job watchdog;

        Run(Timeout<T> op, FlowCollector<? super T> downstream) {
            this.op = op;
            this.downstream = downstream;
        }

        Object start(CoroutineScope scope, Continuation<? super Unit> c) {
            this.scope = scope;
            arm();
            Object r;
            try {
                r = op.upstream.collect(op.perElement ? this : downstream, new Step(c, this, Kind.DISARM));
            } catch (Throwable e) {
                disarm();
                throw Exceptions.sneaky(e);
            }
            if (r != SUSPENDED) {
                disarm();
            }
            return r;
        }

        @Override
        public Object emit(T value, Continuation<? super Unit> c) {
            disarm();
            Object r = downstream.emit(value, new Step(c, this, Kind.REARM));
            if (r != SUSPENDED) {
                arm();
            }
            return r;
        }

        void arm() {
            long millis = op.millis;
            if (millis == Long.MAX_VALUE) {
                return; // no limit: a watchdog would wait forever, so none is started
            }
            CoroutineScope s = scope;
            Job job = BuildersKt.launch(
                    s,
                    EmptyCoroutineContext.INSTANCE,
                    CoroutineStart.DEFAULT,
                    (ignored, c) -> DelayKt.delay(millis, c));
            job.invokeOnCompletion(cause -> {
                if (cause == null) { // the wait ran out; a cancelled watchdog completes with a cause
                    CoroutineScopeKt.cancel(s, marker);
                }
                return Unit.INSTANCE;
            });
            watchdog = job;
        }

        void disarm() {
            Job job = watchdog;
            if (job != null) {
                job.cancel((CancellationException) null);
                watchdog = null;
            }
        }

        Throwable translate(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t == marker) {
                    return new AsyncFlowTimeoutException(op.perElement ? "timeoutEach" : "timeout", op.limit);
                }
            }
            return e;
        }
    }

    /** What a {@link Step} does besides resuming its completion. */
    private enum Kind {
        /** Resumes the upstream after the downstream finished with an element, restarting the watchdog. */
        REARM,
        /** Stops the last watchdog when the upstream ends, so the scope does not wait for it. */
        DISARM,
        /** Turns this collection's marker into {@link AsyncFlowTimeoutException} on the way out. */
        TRANSLATE
    }

    /** One resumption point of a collection; {@link Kind} says what it does on the way. */
    private static final class Step extends ContinuationImpl {
        private final Run<?> run;
        private final Kind kind;

        @SuppressWarnings("unchecked")
        Step(Continuation<? super Unit> completion, Run<?> run, Kind kind) {
            super((Continuation<Object>) completion);
            this.run = run;
            this.kind = kind;
        }

        @Override
        protected Object invokeSuspend(Object result) {
            if (kind == Kind.DISARM) {
                run.disarm();
            }
            try {
                ResultKt.throwOnFailure(result);
            } catch (Throwable t) {
                throw Exceptions.sneaky(kind == Kind.TRANSLATE ? run.translate(t) : t);
            }
            if (kind == Kind.REARM) {
                run.arm();
            }
            return result;
        }
    }
}
