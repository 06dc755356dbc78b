package dev.coflow;

import dev.coflow.bridge.Coroutines;
import dev.coflow.bridge.Suspend;
import dev.coflow.function.ThrowingBiFunction;
import dev.coflow.function.ThrowingConsumer;
import dev.coflow.function.ThrowingFunction;
import dev.coflow.function.ThrowingPredicate;
import kotlin.Unit;
import kotlin.coroutines.Continuation;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.FlowCollector;
import kotlinx.coroutines.flow.FlowKt;

/**
 * Per-element operators (kotlinx {@code operators/Transform.kt}): the Java lambdas are handed to
 * kotlinx as suspend functions ({@link Lambdas}), so they run at native speed in the collecting
 * coroutine and may still wait.
 */
final class Transform {
    private Transform() {}

    static <T, R> Flow<R> map(Flow<T> upstream, ThrowingFunction<? super T, ? extends R> fn) {
        return new Mapped<>(upstream, new Lambdas.Mapper<>("map", fn, false), false);
    }

    static <T, R> Flow<R> mapNotNull(Flow<T> upstream, ThrowingFunction<? super T, ? extends R> fn) {
        return new Mapped<>(upstream, new Lambdas.Mapper<>("mapNotNull", fn, true), true);
    }

    static <T> Flow<T> filter(Flow<T> upstream, ThrowingPredicate<? super T> predicate) {
        return new Filtered<>(upstream, new Lambdas.Predicate<>(predicate), true);
    }

    static <T> Flow<T> filterNot(Flow<T> upstream, ThrowingPredicate<? super T> predicate) {
        return new Filtered<>(upstream, new Lambdas.Predicate<>(predicate), false);
    }

    static <T> Flow<T> onEach(Flow<T> upstream, ThrowingConsumer<? super T> action) {
        return new Peeked<>(upstream, new Lambdas.Action<>(action));
    }

    /*
     * map, filter and onEach are written here rather than delegated to kotlinx: each element is one
     * in-place call of the lambda's site followed by a tail call of the downstream's emit (no
     * continuation object, no extra layer), which pays for marking the lambda as a step. When the
     * site's lambda has waited before and must not wait here (LambdaSite.runsElsewhere), the whole
     * step, lambda and emit, runs as a bridge body instead.
     */

    /** {@code map} / {@code mapNotNull}: emits the lambda's result (dropping nulls if {@code dropNulls}). */
    private record Mapped<T, R>(Flow<T> upstream, Lambdas.Mapper<T, R> site, boolean dropNulls) implements Flow<R> {
        @Override
        public Object collect(FlowCollector<? super R> collector, Continuation<? super Unit> continuation) {
            return upstream.collect(
                    (FlowCollector<T>) (v, c) -> {
                        if (site.runsElsewhere(c)) {
                            return Coroutines.runSuspendingOnVirtualThread(
                                    () -> {
                                        @SuppressWarnings("unchecked")
                                        R r = (R) site.compute(v, null);
                                        if (r != null) {
                                            Suspend.call(k -> collector.emit(r, k));
                                        }
                                        return Unit.INSTANCE;
                                    },
                                    c);
                        }
                        @SuppressWarnings("unchecked")
                        R r = (R) site.callInPlace(v, null, c);
                        return r == null && dropNulls ? Unit.INSTANCE : collector.emit(r, c);
                    },
                    continuation);
        }
    }

    /** {@code filter} ({@code keep == true}) / {@code filterNot}. */
    private record Filtered<T>(Flow<T> upstream, Lambdas.Predicate<T> site, boolean keep) implements Flow<T> {
        @Override
        public Object collect(FlowCollector<? super T> collector, Continuation<? super Unit> continuation) {
            return upstream.collect(
                    (FlowCollector<T>) (v, c) -> {
                        if (site.runsElsewhere(c)) {
                            return Coroutines.runSuspendingOnVirtualThread(
                                    () -> {
                                        if ((Boolean) site.compute(v, null) == keep) {
                                            Suspend.call(k -> collector.emit(v, k));
                                        }
                                        return Unit.INSTANCE;
                                    },
                                    c);
                        }
                        return (Boolean) site.callInPlace(v, null, c) == keep ? collector.emit(v, c) : Unit.INSTANCE;
                    },
                    continuation);
        }
    }

    /** {@code onEach}: runs the action, then emits the element. */
    private record Peeked<T>(Flow<T> upstream, Lambdas.Action<T> site) implements Flow<T> {
        @Override
        public Object collect(FlowCollector<? super T> collector, Continuation<? super Unit> continuation) {
            return upstream.collect(
                    (FlowCollector<T>) (v, c) -> {
                        if (site.runsElsewhere(c)) {
                            return Coroutines.runSuspendingOnVirtualThread(
                                    () -> {
                                        site.compute(v, null);
                                        Suspend.call(k -> collector.emit(v, k));
                                        return Unit.INSTANCE;
                                    },
                                    c);
                        }
                        site.callInPlace(v, null, c);
                        return collector.emit(v, c);
                    },
                    continuation);
        }
    }

    static <T, R> Flow<R> scan(Flow<T> upstream, R initial, ThrowingBiFunction<? super R, ? super T, ? extends R> fn) {
        return FlowKt.scan(upstream, initial, Lambdas.accumulator("scan", fn));
    }

    static <T> Flow<Indexed<T>> withIndex(Flow<T> upstream) {
        return new WithIndex<>(upstream);
    }

    /**
     * Written here rather than mapped from kotlinx's {@code withIndex} so that the element is a
     * Java record with a {@code long} index, without an intermediate {@code IndexedValue}. The
     * counter lives in the collect call, so every collection starts again at 0.
     */
    private record WithIndex<T>(Flow<T> upstream) implements Flow<Indexed<T>> {
        @Override
        public Object collect(FlowCollector<? super Indexed<T>> collector, Continuation<? super Unit> continuation) {
            long[] next = {0};
            return upstream.collect(
                    (FlowCollector<T>) (v, c) -> collector.emit(new Indexed<>(next[0]++, v), c), continuation);
        }
    }
}
