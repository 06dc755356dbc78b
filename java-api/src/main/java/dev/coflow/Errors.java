package dev.coflow;

import dev.coflow.bridge.LambdaSite;
import dev.coflow.bridge.internal.Exceptions;
import dev.coflow.function.ThrowingBiConsumer;
import dev.coflow.function.ThrowingFunction;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
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

    /**
     * kotlinx's {@code Flow.catch} compiles to a JVM method literally named {@code catch}, which
     * Java source cannot name; a method handle can, and it is resolved once.
     */
    private static final MethodHandle CATCH;

    static {
        try {
            CATCH = MethodHandles.publicLookup().findStatic(FlowKt.class, "catch",
                    MethodType.methodType(Flow.class, Flow.class, Function3.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

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
        try {
            return (Flow<T>) (Flow<?>) CATCH.invoke(upstream, (Function3<?, ?, ?, ?>) guarded);
        } catch (Throwable t) {
            throw Exceptions.sneaky(t);
        }
    }

    /** The handler runs as an emitting bridge body, like {@code onStart}'s body. */
    static <T> Flow<T> catchError(Flow<T> upstream, ThrowingBiConsumer<? super Throwable, Emitter<T>> handler) {
        return catchWith(upstream, (collector, cause, c) ->
                Emitters.<T>runBody("catchError", collector, out -> handler.accept(cause, out), c));
    }

    /** No body needed: one tail call of the collector's {@code emit}. */
    static <T> Flow<T> onErrorReturn(Flow<T> upstream, T value) {
        return catchWith(upstream, (collector, cause, c) -> collector.emit(value, c));
    }

    /** The function only builds the fallback flow; the fallback is collected natively by kotlinx. */
    static <T> Flow<T> onErrorResume(Flow<T> upstream, ThrowingFunction<? super Throwable, ? extends Flow<? extends T>> fn) {
        return catchWith(upstream, (collector, cause, c) -> {
            // Called once per failure, so in place: the function may wait (Suspend.*) like any
            // coflow-called lambda.
            LambdaSite<Throwable, Void> site = new LambdaSite<>() {
                @Override
                protected Object compute(Throwable t, Void unused) throws Exception {
                    return Objects.requireNonNull(fn.apply(t), "onErrorResume: fn returned null; return AsyncFlow.empty() to end quietly");
                }
            };
            @SuppressWarnings("unchecked")
            Flow<? extends T> fallback = (Flow<? extends T>) site.call(cause, null, c);
            return FlowKt.emitAll(collector, AsyncFlow.from(fallback), c);
        });
    }
}
