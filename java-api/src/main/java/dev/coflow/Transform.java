package dev.coflow;

import dev.coflow.function.ThrowingBiFunction;
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

    static <T> Flow<T> filterNot(Flow<T> upstream, ThrowingPredicate<? super T> predicate) {
        return FlowKt.filterNot(upstream, Lambdas.predicate(predicate));
    }

    static <T, R> Flow<R> mapNotNull(Flow<T> upstream, ThrowingFunction<? super T, ? extends R> fn) {
        return FlowKt.mapNotNull(upstream, Lambdas.mapperOrNull(fn));
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
            return upstream.collect((FlowCollector<T>) (v, c) -> collector.emit(new Indexed<>(next[0]++, v), c),
                    continuation);
        }
    }
}
