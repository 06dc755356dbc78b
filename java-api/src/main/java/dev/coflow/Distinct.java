package dev.coflow;

import dev.coflow.function.ThrowingBiPredicate;
import dev.coflow.function.ThrowingFunction;
import java.util.Objects;
import kotlin.Unit;
import kotlin.coroutines.Continuation;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.FlowCollector;
import kotlinx.coroutines.flow.FlowKt;

/**
 * Dropping repeated elements (kotlinx {@code operators/Distinct.kt}). Without a lambda it is
 * kotlinx's; with one, a stateful filter per collection, because kotlinx takes plain
 * {@code (T) -> K} / {@code (T, T) -> Boolean} functions there and a coflow lambda may wait.
 * Same rules as kotlinx: the first element always passes; an element passes when its key differs
 * ({@code equals}) from the last passed element's key, or when it is not equivalent to the last
 * passed element.
 */
final class Distinct {
    private static final Object NONE = new Object();

    private Distinct() {}

    static <T> Flow<T> untilChanged(Flow<T> upstream) {
        return FlowKt.distinctUntilChanged(upstream);
    }

    static <T, K> Flow<T> untilChangedBy(Flow<T> upstream, ThrowingFunction<? super T, ? extends K> keyFn) {
        return new PerCollection<>(() -> {
            Object[] last = {NONE};
            return FlowKt.filter(upstream, Lambdas.<T>predicate(v -> {
                K key = keyFn.apply(v);
                if (last[0] == NONE || !Objects.equals(last[0], key)) {
                    last[0] = key;
                    return true;
                }
                return false;
            }));
        });
    }

    @SuppressWarnings("unchecked")
    static <T> Flow<T> untilChanged(Flow<T> upstream, ThrowingBiPredicate<? super T, ? super T> areEquivalent) {
        return new PerCollection<>(() -> {
            Object[] last = {NONE};
            return FlowKt.filter(upstream, Lambdas.<T>predicate(v -> {
                if (last[0] == NONE || !areEquivalent.test((T) last[0], v)) {
                    last[0] = v;
                    return true;
                }
                return false;
            }));
        });
    }

    /** A flow built anew for each collection, so its state starts fresh every time. */
    private record PerCollection<T>(java.util.function.Supplier<Flow<T>> factory) implements Flow<T> {
        @Override
        public Object collect(FlowCollector<? super T> collector, Continuation<? super Unit> continuation) {
            return factory.get().collect(collector, continuation);
        }
    }
}
