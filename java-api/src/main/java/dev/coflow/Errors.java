package dev.coflow;

import dev.coflow.bridge.LambdaSite;
import dev.coflow.bridge.internal.Exceptions;
import dev.coflow.function.ThrowingBiConsumer;
import dev.coflow.function.ThrowingFunction;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import kotlin.Unit;
import kotlin.coroutines.Continuation;
import kotlin.jvm.functions.Function3;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.FlowCollector;
import kotlinx.coroutines.flow.FlowKt;

/**
 * Operators that handle upstream failures (kotlinx {@code operators/Errors.kt}: {@code catch},
 * {@code onErrorResume}-style fallbacks). All of them delegate to kotlinx's {@code catch}, so
 * exception transparency is kotlinx's own: a failure thrown downstream is never seen here.
 *
 * <p>One rule is added on top: a {@link CancellationException} thrown by the upstream is never
 * handed to user code. kotlinx's {@code catch} already lets the collector's own cancellation pass;
 * a stray {@code CancellationException} from a source (a nested {@code withTimeout}, a body that
 * throws one) is also rethrown, because treating cancellation as an ordinary error would swallow it.
 */
final class Errors {
    private Errors() {}

    /** The shape of kotlinx's {@code catch} action: {@code suspend FlowCollector<T>.(Throwable) -> Unit}. */
    @FunctionalInterface
    interface Handler<T> extends Function3<FlowCollector<? super T>, Throwable, Continuation<? super Unit>, Object> {}

    @SuppressWarnings("unchecked")
    static <T> Flow<T> catchWith(Flow<T> upstream, Handler<T> handler) {
        Handler<T> guarded = (collector, cause, c) -> {
            if (cause instanceof CancellationException) {
                throw Exceptions.sneaky(cause);
            }
            return handler.invoke(collector, cause, c);
        };
        return new CatchFlow<>(upstream, guarded);
    }

    /**
     * kotlinx's {@code catch} ({@code catchImpl}) with one change (kotlinx.coroutines issue 4159):
     * a {@link CancellationException} that the downstream's {@code emit} threw while this
     * collection's own coroutine is still active does not make the upstream's failure a downstream
     * one. It comes from a channel stage upstream (buffer, mapAsync, flowOn) whose producer failed
     * and cancelled the scope the downstream was running in, so the failure is the upstream's and
     * is handed to the handler.
     */
    private static final class CatchFlow<T> implements Flow<T> {
        private final Flow<T> upstream;
        private final Handler<T> handler;

        CatchFlow(Flow<T> upstream, Handler<T> handler) {
            this.upstream = upstream;
            this.handler = handler;
        }

        @Override
        public Object collect(FlowCollector<? super T> collector, Continuation<? super Unit> continuation) {
            return new Run<>(this, collector, continuation).start();
        }
    }

    /**
     * One collection of an error operator: the continuation of its steps and the collector of its
     * upstream, remembering how the downstream's emits failed so that {@link #upstreamFailure} can
     * tell whose failure reached it.
     *
     * @param <T> the element type
     */
    abstract static class Watched<T> extends kotlin.coroutines.jvm.internal.ContinuationImpl
            implements FlowCollector<T>, DownstreamWatch {
        final FlowCollector<? super T> downstream;
        volatile Throwable fromDownstream;

        @SuppressWarnings("unchecked")
        Watched(FlowCollector<? super T> downstream, Continuation<? super Unit> completion) {
            super((Continuation<Object>) completion);
            this.downstream = downstream;
        }

        @Override
        public void downstreamFailed(Throwable e) {
            fromDownstream = e;
        }

        @Override
        public Object emit(T value, Continuation<? super Unit> c) {
            try {
                return downstream.emit(value, new Recorder(c, this));
            } catch (Throwable e) {
                fromDownstream = e;
                throw Exceptions.sneaky(e);
            }
        }
    }

    private static final class Run<T> extends Watched<T> {
        private final CatchFlow<T> op;

        Run(CatchFlow<T> op, FlowCollector<? super T> downstream, Continuation<? super Unit> completion) {
            super(downstream, completion);
            this.op = op;
        }

        Object start() {
            try {
                return op.upstream.collect(this, this);
            } catch (Throwable e) {
                return failed(e);
            }
        }

        @Override
        protected Object invokeSuspend(Object result) {
            try {
                kotlin.ResultKt.throwOnFailure(result);
            } catch (Throwable e) {
                return failed(e);
            }
            return Unit.INSTANCE;
        }

        @SuppressWarnings("unchecked")
        private Object failed(Throwable e) {
            Throwable cause = upstreamFailure(e, fromDownstream, getContext());
            return op.handler.invoke(downstream, cause, (Continuation<? super Unit>) getCompletion());
        }
    }

    /**
     * Returns {@code e} if it is a failure of the upstream that a handler may see; otherwise
     * (a failure of the downstream, {@code fromDownstream}, or the collector's own cancellation)
     * throws what the collector must get. See {@link CatchFlow} for the one rule added to kotlinx's.
     */
    static Throwable upstreamFailure(
            Throwable e, Throwable fromDownstream, kotlin.coroutines.CoroutineContext context) {
        Throwable down = fromDownstream;
        kotlinx.coroutines.Job job = context.get(kotlinx.coroutines.Job.Key);
        boolean ownCancelled = job != null && job.isCancelled();
        if (same(e, down) || ownCancelled && e instanceof CancellationException) {
            throw Exceptions.sneaky(e);
        }
        boolean downstreamOnlyCancelledByUpstream =
                down instanceof CancellationException && !ownCancelled && causedBy(down, e);
        if (down != null && !downstreamOnlyCancelledByUpstream) {
            if (e instanceof CancellationException) {
                down.addSuppressed(e);
                throw Exceptions.sneaky(down);
            }
            e.addSuppressed(down);
            throw Exceptions.sneaky(e);
        }
        return e;
    }

    /** Whether {@code e}'s cause chain holds {@code cause} (a scope cancelled by that failure). */
    private static boolean causedBy(Throwable e, Throwable cause) {
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (same(t, cause)) {
                return true;
            }
        }
        return false;
    }

    private static boolean same(Throwable a, Throwable b) {
        return b != null && (a == b || a.getClass() == b.getClass() && (a.getCause() == b || b.getCause() == a));
    }

    /** Something that wants to know how the downstream's emits failed. */
    interface DownstreamWatch {
        void downstreamFailed(Throwable e);
    }

    /** Records a failure the downstream's emit resumes with. */
    static final class Recorder extends kotlin.coroutines.jvm.internal.ContinuationImpl {
        private final DownstreamWatch run;

        @SuppressWarnings("unchecked")
        Recorder(Continuation<? super Unit> completion, DownstreamWatch run) {
            super((Continuation<Object>) completion);
            this.run = run;
        }

        @Override
        protected Object invokeSuspend(Object result) {
            try {
                kotlin.ResultKt.throwOnFailure(result);
            } catch (Throwable e) {
                run.downstreamFailed(e);
                throw Exceptions.sneaky(e);
            }
            return result;
        }
    }

    /** The handler runs as an emitting bridge body, like {@code onStart}'s body. */
    static <T> Flow<T> catchError(Flow<T> upstream, ThrowingBiConsumer<? super Throwable, Emitter<T>> handler) {
        return catchWith(
                upstream,
                (collector, cause, c) ->
                        Emitters.<T>runBody("catchError", collector, out -> handler.accept(cause, out), c));
    }

    /**
     * {@code checkpoint}: an upstream failure passes on unchanged but for an
     * {@link AsyncFlowCheckpoint} naming {@code description} among its suppressed exceptions (once
     * per checkpoint, however often the failure passes it). Cancellation passes untouched.
     */
    static <T> Flow<T> checkpoint(Flow<T> upstream, String description) {
        String message = "checkpoint: " + description;
        return catchWith(upstream, (collector, cause, c) -> {
            for (Throwable s : cause.getSuppressed()) {
                if (s instanceof AsyncFlowCheckpoint && message.equals(s.getMessage())) {
                    throw Exceptions.sneaky(cause);
                }
            }
            cause.addSuppressed(new AsyncFlowCheckpoint(description));
            throw Exceptions.sneaky(cause);
        });
    }

    /** No body needed: one tail call of the collector's {@code emit}. */
    static <T> Flow<T> onErrorReturn(Flow<T> upstream, T value) {
        return catchWith(upstream, (collector, cause, c) -> collector.emit(value, c));
    }

    /** The function only builds the fallback flow; the fallback is collected natively by kotlinx. */
    static <T> Flow<T> onErrorResume(
            Flow<T> upstream, ThrowingFunction<? super Throwable, ? extends Flow<? extends T>> fn) {
        return catchWith(upstream, (collector, cause, c) -> {
            // Called once per failure, so in place: the function may wait (Suspend.*) like any
            // coflow-called lambda.
            LambdaSite<Throwable, Void> site = new LambdaSite<>() {
                @Override
                protected Object compute(Throwable t, Void unused) throws Exception {
                    return Objects.requireNonNull(
                            fn.apply(t), "onErrorResume: fn returned null; return AsyncFlow.empty() to end quietly");
                }
            };
            @SuppressWarnings("unchecked")
            Flow<? extends T> fallback = (Flow<? extends T>) site.call(cause, null, c);
            return FlowKt.emitAll(collector, AsyncFlow.from(fallback), c);
        });
    }
}
