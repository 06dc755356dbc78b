package dev.coflow;

import dev.coflow.function.ThrowingBiFunction;
import dev.coflow.function.ThrowingConsumer;
import dev.coflow.function.ThrowingFunction;
import dev.coflow.function.ThrowingPredicate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.FlowKt;

/**
 * The terminals that fold a flow into one value ({@code toMap}, {@code single}, {@code reduce},
 * {@code fold}, {@code any}/{@code all}/{@code none}); kotlinx counterpart: {@code Reduce.kt} and
 * {@code Collect.kt}. Each runs one blocking collection through {@link Collect#block}; the
 * per-element steps ({@code singleStep}, {@code reduceStep}, {@code foldStep}) are also what
 * {@link Fused}'s plain loop runs, so both paths check and fail alike.
 */
final class Reduce {
    private Reduce() {}

    static <T, K, V> Map<K, V> toMap(
            Flow<T> flow,
            ThrowingFunction<? super T, ? extends K> keyFn,
            ThrowingFunction<? super T, ? extends V> valueFn,
            ThrowingBiFunction<? super V, ? super V, ? extends V> mergeFn) {
        Map<K, V> map = new LinkedHashMap<>();
        Collect.block(c -> flow.collect(
                Lambdas.<T>collector(v -> {
                    K key = Objects.requireNonNull(
                            keyFn.apply(v), () -> "toMap: keyFn returned null for " + v + "; keys must be non-null");
                    V value = Objects.requireNonNull(
                            valueFn.apply(v),
                            () -> "toMap: valueFn returned null for " + v + "; values must be non-null (use Optional)");
                    V old = map.putIfAbsent(key, value);
                    if (old != null) {
                        if (mergeFn == null) {
                            throw new IllegalStateException("Duplicate key " + key + " (attempted merging values " + old
                                    + " and " + value + "); use toMap(keyFn, valueFn, mergeFn) to merge them");
                        }
                        map.put(
                                key,
                                Objects.requireNonNull(
                                        mergeFn.apply(old, value),
                                        () -> "toMap: mergeFn returned null for key " + key
                                                + "; values must be non-null"));
                    }
                }),
                c));
        return map;
    }

    static <T> T single(Flow<T> flow) {
        Object[] found = new Object[1];
        Collect.block(c -> flow.collect(Lambdas.<T>collector(singleStep(found)), c));
        return singleResult(found);
    }

    /** The per-element step of {@code single}, shared with {@link Fused#single}: fails at a second element. */
    static <T> ThrowingConsumer<T> singleStep(Object[] found) {
        return v -> {
            if (found[0] != null) {
                throw new IllegalArgumentException("single: expected exactly 1 element but the flow has at least 2 "
                        + "(the rest was cancelled); use first() or take(1) to get the first one");
            }
            found[0] = v;
        };
    }

    /** The result of {@code single} once the collection has ended; fails if it saw no element. */
    static <T> T singleResult(Object[] found) {
        if (found[0] == null) {
            throw new NoSuchElementException(
                    "single: expected exactly 1 element but the flow has 0; " + "use first() to get an Optional");
        }
        @SuppressWarnings("unchecked")
        T v = (T) found[0];
        return v;
    }

    static <T> Optional<T> reduce(Flow<T> flow, ThrowingBiFunction<? super T, ? super T, ? extends T> fn) {
        Object[] acc = new Object[1];
        Collect.block(c -> flow.collect(Lambdas.<T>collector(reduceStep(acc, fn)), c));
        @SuppressWarnings("unchecked")
        T result = (T) acc[0];
        return Optional.ofNullable(result);
    }

    /** The per-element step of {@code reduce} into {@code acc[0]}, shared with {@link Fused#reduce}. */
    static <T> ThrowingConsumer<T> reduceStep(Object[] acc, ThrowingBiFunction<? super T, ? super T, ? extends T> fn) {
        return v -> {
            @SuppressWarnings("unchecked")
            T a = (T) acc[0];
            acc[0] = a == null
                    ? v
                    : Objects.requireNonNull(
                            fn.apply(a, v),
                            () -> "reduce: the function returned null for (" + a + ", " + v
                                    + "); results must be non-null");
        };
    }

    static <T, R> R fold(Flow<T> flow, R initial, ThrowingBiFunction<? super R, ? super T, ? extends R> fn) {
        Object[] acc = {initial};
        Collect.block(c -> flow.collect(Lambdas.<T>collector(foldStep(acc, fn)), c));
        @SuppressWarnings("unchecked")
        R result = (R) acc[0];
        return result;
    }

    /** The per-element step of {@code fold} into {@code acc[0]}, shared with {@link Fused#fold}. */
    static <T, R> ThrowingConsumer<T> foldStep(Object[] acc, ThrowingBiFunction<? super R, ? super T, ? extends R> fn) {
        return v -> {
            @SuppressWarnings("unchecked")
            R a = (R) acc[0];
            acc[0] = Objects.requireNonNull(
                    fn.apply(a, v),
                    () -> "fold: the function returned null for (" + a + ", " + v + "); results must be non-null");
        };
    }

    /** Whether some element matches; stops (and cancels the upstream) at the first match. */
    static <T> boolean any(Flow<T> flow, ThrowingPredicate<? super T> predicate) {
        Object hit = Collect.block(c -> FlowKt.firstOrNull(flow, Lambdas.predicate(predicate), c));
        return hit != null;
    }
}
