package dev.coflow;

import dev.coflow.function.ThrowingPredicate;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.FlowKt;

/**
 * Operators that cut a flow short or skip its head (kotlinx {@code operators/Limit.kt}). The ones
 * that stop early ({@code take}, {@code takeWhile}) cancel the upstream, so a generator's
 * {@code finally} runs before the terminal returns.
 */
final class Limit {
    private Limit() {}

    static <T> Flow<T> drop(Flow<T> upstream, int n) {
        return n == 0 ? upstream : FlowKt.drop(upstream, n);
    }

    static <T> Flow<T> dropWhile(Flow<T> upstream, ThrowingPredicate<? super T> predicate) {
        return FlowKt.dropWhile(upstream, Lambdas.predicate(predicate));
    }

    /** {@code takeLast}: the last {@code n} elements, emitted once the upstream has completed. */
    static <T> Flow<T> takeLast(Flow<T> upstream, int n) {
        return new kotlinx.coroutines.flow.AbstractFlow<T>() {
            @Override
            public Object collectSafely(
                    kotlinx.coroutines.flow.FlowCollector<? super T> collector,
                    kotlin.coroutines.Continuation<? super kotlin.Unit> continuation) {
                java.util.ArrayDeque<T> last = new java.util.ArrayDeque<>(Math.min(n, 1024));
                return dev.coflow.bridge.Coroutines.runSuspending(
                        () -> {
                            dev.coflow.bridge.Suspend.call(c -> upstream.collect(
                                    (T v, kotlin.coroutines.Continuation<? super kotlin.Unit> k) -> {
                                        if (last.size() == n) {
                                            last.pollFirst();
                                        }
                                        last.addLast(v);
                                        return kotlin.Unit.INSTANCE;
                                    },
                                    c));
                            for (T v : last) {
                                dev.coflow.bridge.Suspend.call(c -> collector.emit(v, c));
                            }
                            return kotlin.Unit.INSTANCE;
                        },
                        continuation);
            }
        };
    }

    /** {@code ignoreElements}: collects the upstream for its completion or failure only. */
    static <T> Flow<T> ignoreElements(Flow<T> upstream) {
        return (collector, continuation) -> upstream.collect((v, c) -> kotlin.Unit.INSTANCE, continuation);
    }

    static <T> Flow<T> takeWhile(Flow<T> upstream, ThrowingPredicate<? super T> predicate) {
        return FlowKt.takeWhile(upstream, Lambdas.predicate(predicate));
    }
}
