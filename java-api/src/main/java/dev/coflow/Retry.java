package dev.coflow;

import dev.coflow.bridge.Coroutines;
import dev.coflow.bridge.internal.CoroutineClock;
import dev.coflow.bridge.internal.Exceptions;
import dev.coflow.function.ThrowingBiPredicate;
import dev.coflow.function.ThrowingPredicate;
import java.util.concurrent.CancellationException;
import kotlin.ResultKt;
import kotlin.Unit;
import kotlin.coroutines.Continuation;
import kotlin.coroutines.intrinsics.IntrinsicsKt;
import kotlin.coroutines.jvm.internal.ContinuationImpl;
import kotlin.jvm.functions.Function4;
import kotlinx.coroutines.DelayKt;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.FlowCollector;

/**
 * Re-collecting the upstream after a failure (kotlinx {@code operators/Errors.kt}: {@code retry},
 * {@code retryWhen}): kotlinx's loop, in Java ({@link Loop}), with {@link Errors}'s rule for telling
 * an upstream failure from a downstream one. As in {@link Errors}, a {@link CancellationException}
 * is never retried.
 */
final class Retry {
    private Retry() {}

    @FunctionalInterface
    private interface Decision<T>
            extends Function4<FlowCollector<? super T>, Throwable, Long, Continuation<? super Boolean>, Object> {}

    /**
     * Whether the attempt counter starts again before deciding about a failure, given whether the
     * failed collection emitted anything and how long (coroutine clock, ms) it ran.
     */
    @FunctionalInterface
    interface Reset {
        boolean resets(boolean emitted, long ranMillis);

        Reset NEVER = (emitted, ranMillis) -> false;
    }

    private static <T> Flow<T> retryWhen(Flow<T> upstream, Decision<T> decision) {
        return retryWhen(upstream, decision, Reset.NEVER);
    }

    private static <T> Flow<T> retryWhen(Flow<T> upstream, Decision<T> decision, Reset reset) {
        return (collector, continuation) -> new Loop<>(upstream, decision, reset, collector, continuation).start();
    }

    /**
     * kotlinx's {@code retryWhen} loop (collect; on an upstream failure ask the decision; collect
     * again), written here so that an upstream failure is told from a downstream one by
     * {@link Errors#upstreamFailure} (kotlinx.coroutines issue 4159: after a channel stage such as
     * {@code buffer} kotlinx takes the upstream's failure for the downstream's and never retries).
     * One object per collection is the continuation of every step: the state says which step resumed.
     *
     * @param <T> the element type
     */
    private static final class Loop<T> extends Errors.Watched<T> {
        private static final Object SUSPENDED = IntrinsicsKt.getCOROUTINE_SUSPENDED();
        private static final int COLLECTING = 0;
        private static final int DECIDING = 1;

        private final Flow<T> upstream;
        private final Decision<T> decision;
        private final Reset reset;
        private int state;
        private long attempt;
        private Throwable cause;
        /** Whether the current collection emitted an element, and when (coroutine clock) it started. */
        private boolean emitted;

        private long startedAt;

        Loop(
                Flow<T> upstream,
                Decision<T> decision,
                Reset reset,
                FlowCollector<? super T> downstream,
                Continuation<? super Unit> completion) {
            super(downstream, completion);
            this.upstream = upstream;
            this.decision = decision;
            this.reset = reset;
        }

        @Override
        public Object emit(T value, Continuation<? super Unit> c) {
            emitted = true;
            return super.emit(value, c);
        }

        Object start() {
            return collectAgain();
        }

        /** Runs collections until one completes, suspends, or fails for good. */
        private Object collectAgain() {
            for (; ; ) {
                state = COLLECTING;
                fromDownstream = null;
                emitted = false;
                if (reset != Reset.NEVER) {
                    startedAt = CoroutineClock.millis(getContext());
                }
                Object r;
                try {
                    r = upstream.collect(this, this);
                } catch (Throwable e) {
                    Object next = failed(e);
                    if (next == SUSPENDED || next != RETRY) {
                        return next;
                    }
                    continue;
                }
                return r; // Unit, or SUSPENDED (resumed in invokeSuspend)
            }
        }

        private static final Object RETRY = new Object();

        /** After an upstream failure: RETRY, SUSPENDED (the decision suspended), or throws. */
        private Object failed(Throwable e) {
            Throwable c = Errors.upstreamFailure(e, fromDownstream, getContext());
            if (c instanceof CancellationException) {
                throw Exceptions.sneaky(c); // never retried
            }
            cause = c;
            if (reset != Reset.NEVER && reset.resets(emitted, CoroutineClock.millis(getContext()) - startedAt)) {
                attempt = 0;
            }
            state = DECIDING;
            Object r = decision.invoke(downstream, c, attempt, this);
            return r == SUSPENDED ? SUSPENDED : decided(r);
        }

        private Object decided(Object retry) {
            if (!Boolean.TRUE.equals(retry)) {
                throw Exceptions.sneaky(cause);
            }
            attempt++;
            cause = null;
            return RETRY;
        }

        @Override
        protected Object invokeSuspend(Object result) {
            Object next;
            if (state == DECIDING) {
                ResultKt.throwOnFailure(result);
                next = decided(result);
            } else {
                try {
                    ResultKt.throwOnFailure(result);
                    return Unit.INSTANCE; // the collection completed
                } catch (Throwable e) {
                    next = failed(e);
                }
            }
            return next == RETRY ? collectAgain() : next;
        }
    }

    /** No user code: a plain counter, no body. */
    static <T> Flow<T> retry(Flow<T> upstream, long retries) {
        return retryWhen(upstream, (collector, cause, attempt, c) -> attempt < retries);
    }

    /**
     * The predicate runs as a bridge body, so it may wait ({@code Suspend.delay}) on the collector's
     * clock, as kotlinx's suspending predicate may; it only runs after a failure, so the body's cost
     * does not matter.
     */
    static <T> Flow<T> retryWhen(Flow<T> upstream, ThrowingBiPredicate<? super Throwable, ? super Long> predicate) {
        return retryWhen(
                upstream,
                (collector, cause, attempt, c) -> Coroutines.runSuspending(() -> predicate.test(cause, attempt), c));
    }

    static <T> Flow<T> retry(Flow<T> upstream, long retries, ThrowingPredicate<? super Throwable> predicate) {
        return retryWhen(
                upstream,
                (collector, cause, attempt, c) ->
                        attempt >= retries ? Boolean.FALSE : Coroutines.runSuspending(() -> predicate.test(cause), c));
    }

    static <T> Flow<T> retry(Flow<T> upstream, Backoff backoff) {
        return retryWhen(
                upstream,
                (collector, cause, attempt, c) -> {
                    if (!backoff.shouldRetry(cause, attempt)) {
                        return false;
                    }
                    return new DelayThenRetry(c).start(backoff.delayFor(attempt).toMillis());
                },
                backoff.resetsAttempts() ? backoff::resets : Reset.NEVER);
    }

    /**
     * {@code delay(ms); return true} as a two-state suspend function: the back-off wait runs on the
     * collector's clock (virtual under a test dispatcher) without starting a body.
     */
    private static final class DelayThenRetry extends ContinuationImpl {
        @SuppressWarnings("unchecked")
        DelayThenRetry(Continuation<? super Boolean> completion) {
            super((Continuation<Object>) completion);
        }

        Object start(long millis) {
            Object r = DelayKt.delay(millis, this);
            return r == IntrinsicsKt.getCOROUTINE_SUSPENDED() ? r : Boolean.TRUE;
        }

        @Override
        protected Object invokeSuspend(Object result) {
            try {
                ResultKt.throwOnFailure(result);
            } catch (Throwable t) {
                throw Exceptions.sneaky(t);
            }
            return Boolean.TRUE;
        }
    }
}
