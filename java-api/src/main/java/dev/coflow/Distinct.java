package dev.coflow;

import dev.coflow.function.ThrowingBiPredicate;
import dev.coflow.function.ThrowingFunction;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.FlowKt;

/** Dropping repeated elements (kotlinx {@code operators/Distinct.kt}), delegated to kotlinx. */
final class Distinct {
    private Distinct() {}

    static <T> Flow<T> untilChanged(Flow<T> upstream) {
        return FlowKt.distinctUntilChanged(upstream);
    }

    static <T, K> Flow<T> untilChangedBy(Flow<T> upstream, ThrowingFunction<? super T, ? extends K> keyFn) {
        return FlowKt.distinctUntilChangedBy(upstream, Lambdas.function(keyFn));
    }

    static <T> Flow<T> untilChanged(Flow<T> upstream, ThrowingBiPredicate<? super T, ? super T> areEquivalent) {
        return FlowKt.distinctUntilChanged(upstream, Lambdas.biPredicate(areEquivalent));
    }
}
