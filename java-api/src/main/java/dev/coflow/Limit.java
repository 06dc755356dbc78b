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

    static <T> Flow<T> takeWhile(Flow<T> upstream, ThrowingPredicate<? super T> predicate) {
        return FlowKt.takeWhile(upstream, Lambdas.predicate(predicate));
    }
}
