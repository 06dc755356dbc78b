package dev.coflow;

import dev.coflow.bridge.Coroutines;
import dev.coflow.bridge.Suspend;
import dev.coflow.bridge.internal.KotlinxInternals;
import dev.coflow.function.ThrowingBiConsumer;
import dev.coflow.function.ThrowingConsumer;
import java.util.concurrent.CancellationException;
import kotlin.Unit;
import kotlin.coroutines.Continuation;
import kotlinx.coroutines.Job;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.FlowCollector;
import kotlinx.coroutines.flow.FlowKt;

/**
 * Operators whose Java body may emit or wait (kotlinx {@code operators/Emitters.kt}:
 * {@code transform}, {@code onStart}, {@code onEmpty}, {@code onCompletion}).
 *
 * <p>Each body runs as a bridge body ({@link Coroutines#runSuspending}): on its own virtual thread,
 * with every {@code emit} and {@code Suspend.*} call performed by the collecting coroutine. That is
 * the only way to keep kotlinx's semantics for a Java lambda that emits several times: a Java
 * lambda cannot be suspended between two emits, and collecting its emits into a list first would
 * let it run ahead of the downstream (side effects out of order, no early stop after
 * {@code take}). The price is one body start per call, which is why the per-element operators
 * that only compute ({@code map}, {@code filter}, ...) do not go through here.
 */
final class Emitters {
    private Emitters() {}

    static <T, R> Flow<R> transform(Flow<T> upstream, ThrowingBiConsumer<? super T, Emitter<R>> fn) {
        return FlowKt.transform(
                upstream,
                (FlowCollector<? super R> collector, T value, Continuation<? super Unit> c) ->
                        Emitters.<R>runBody("transform", collector, out -> fn.accept(value, out), c));
    }

    static <T> Flow<T> onStart(Flow<T> upstream, Generator<T> body) {
        return FlowKt.onStart(
                upstream,
                (FlowCollector<? super T> collector, Continuation<? super Unit> c) ->
                        runBody("onStart", collector, body, c));
    }

    static <T> Flow<T> onEmpty(Flow<T> upstream, Generator<T> body) {
        return FlowKt.onEmpty(
                upstream,
                (FlowCollector<? super T> collector, Continuation<? super Unit> c) ->
                        runBody("onEmpty", collector, body, c));
    }

    /** The logger of {@code log}: {@code System.Logger}, so the library needs no logging dependency. */
    private static final System.Logger LOG = System.getLogger("dev.coflow.AsyncFlow");

    /**
     * {@code log(name, level)}: one line when the collection starts, per element, and when it ends
     * (completed, cancelled, or failed with the cause attached).
     */
    static <T> Flow<T> log(Flow<T> upstream, String name, System.Logger.Level level) {
        Flow<T> started =
                FlowKt.onStart(upstream, (FlowCollector<? super T> collector, Continuation<? super Unit> c) -> {
                    LOG.log(level, () -> name + ": collecting");
                    return Unit.INSTANCE;
                });
        Flow<T> each = FlowKt.onEach(started, (T v, Continuation<? super Unit> c) -> {
            LOG.log(level, () -> name + ": element " + v);
            return Unit.INSTANCE;
        });
        return FlowKt.onCompletion(
                each, (FlowCollector<? super T> collector, Throwable cause, Continuation<? super Unit> c) -> {
                    if (cause == null) {
                        LOG.log(level, () -> name + ": completed");
                    } else if (cause instanceof CancellationException) {
                        LOG.log(level, () -> name + ": cancelled (" + cause.getMessage() + ")");
                    } else {
                        LOG.log(level, name + ": failed: " + cause, cause);
                    }
                    return Unit.INSTANCE;
                });
    }

    /** {@code defaultIfEmpty}: {@code value} when the upstream completes without an element. */
    static <T> Flow<T> defaultIfEmpty(Flow<T> upstream, T value) {
        return FlowKt.onEmpty(
                upstream,
                (FlowCollector<? super T> collector, Continuation<? super Unit> c) -> collector.emit(value, c));
    }

    /** {@code switchIfEmpty}: all of {@code other} when the upstream completes without an element. */
    static <T> Flow<T> switchIfEmpty(Flow<T> upstream, Flow<? extends T> other) {
        Flow<T> fallback = Merge.nonNull(other, "switchIfEmpty");
        return FlowKt.onEmpty(
                upstream,
                (FlowCollector<? super T> collector, Continuation<? super Unit> c) ->
                        FlowKt.emitAll(collector, fallback, c));
    }

    static <T> Flow<T> onCompletion(Flow<T> upstream, ThrowingConsumer<? super Throwable> action) {
        return FlowKt.onCompletion(
                upstream,
                (FlowCollector<? super T> collector, Throwable cause, Continuation<? super Unit> c) ->
                        Coroutines.runSuspending(
                                () -> {
                                    action.accept(plain(cause));
                                    return Unit.INSTANCE;
                                },
                                c));
    }

    /**
     * The cause as a user sees it: kotlinx ends a flow that the downstream stopped early
     * ({@code take}, {@code first}) with an internal {@code AbortFlowException}; Java code gets a
     * plain {@link CancellationException} with the same message instead of a kotlinx internal.
     */
    static Throwable plain(Throwable cause) {
        if (cause instanceof CancellationException ce && KotlinxInternals.isFlowInternal(cause)) {
            CancellationException plain = new CancellationException(
                    "the downstream stopped collecting early (take, first, ...): " + ce.getMessage());
            plain.setStackTrace(ce.getStackTrace());
            return plain;
        }
        return cause;
    }

    /** Runs {@code body} as a bridge body whose emitter feeds {@code collector}; shared with Errors. */
    static <T> Object runBody(
            String operator,
            FlowCollector<? super T> collector,
            Generator<T> body,
            Continuation<? super Unit> continuation) {
        BodyEmitter<T> emitter = new BodyEmitter<>(operator, collector);
        return Coroutines.runProducer(
                () -> {
                    emitter.owner = Thread.currentThread();
                    emitter.ownerJob = Suspend.context().get(Job.Key);
                    try {
                        body.generate(emitter);
                    } finally {
                        emitter.owner = null;
                    }
                    return Unit.INSTANCE;
                },
                continuation);
    }
}
