package dev.coflow;

import dev.coflow.bridge.Coroutines;
import dev.coflow.bridge.internal.Exceptions;
import dev.coflow.function.ThrowingBiPredicate;
import dev.coflow.function.ThrowingPredicate;
import java.util.concurrent.CancellationException;
import kotlin.ResultKt;
import kotlin.coroutines.Continuation;
import kotlin.coroutines.intrinsics.IntrinsicsKt;
import kotlin.coroutines.jvm.internal.ContinuationImpl;
import kotlin.jvm.functions.Function4;
import kotlinx.coroutines.DelayKt;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.FlowCollector;
import kotlinx.coroutines.flow.FlowKt;

/**
 * Re-collecting the upstream after a failure (kotlinx {@code operators/Errors.kt}: {@code retry},
 * {@code retryWhen}). Everything delegates to kotlinx's {@code retryWhen}, so exception
 * transparency and the attempt counter are kotlinx's. As in {@link Errors}, a
 * {@link CancellationException} is never retried.
 */
final class Retry {
    private Retry() {}

    @FunctionalInterface
    private interface Decision<T> extends
            Function4<FlowCollector<? super T>, Throwable, Long, Continuation<? super Boolean>, Object> {}

    private static <T> Flow<T> retryWhen(Flow<T> upstream, Decision<T> decision) {
        return FlowKt.retryWhen(upstream, (collector, cause, attempt, c) -> {
            if (cause instanceof CancellationException) {
                return false; // kotlinx rethrows the cause
            }
            return decision.invoke(collector, cause, attempt, c);
        });
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
        return retryWhen(upstream, (collector, cause, attempt, c) ->
                Coroutines.runSuspending(() -> predicate.test(cause, attempt), c));
    }

    static <T> Flow<T> retry(Flow<T> upstream, long retries, ThrowingPredicate<? super Throwable> predicate) {
        return retryWhen(upstream, (collector, cause, attempt, c) -> attempt >= retries
                ? Boolean.FALSE
                : Coroutines.runSuspending(() -> predicate.test(cause), c));
    }

    static <T> Flow<T> retry(Flow<T> upstream, Backoff backoff) {
        return retryWhen(upstream, (collector, cause, attempt, c) -> {
            if (!backoff.shouldRetry(cause, attempt)) {
                return false;
            }
            return new DelayThenRetry(c).start(backoff.delayFor(attempt).toMillis());
        });
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
