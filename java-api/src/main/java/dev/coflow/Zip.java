package dev.coflow;

import dev.coflow.function.ThrowingBiFunction;
import java.util.Collections;
import java.util.List;
import kotlin.coroutines.Continuation;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.FlowKt;

/**
 * Combining two flows (kotlinx {@code operators/Zip.kt}): {@code zip} pairs elements by position,
 * {@code combine} pairs each new element with the latest of the other side. Both are kotlinx's;
 * the combining function is a coflow-called lambda (it may wait) whose result must not be null.
 */
final class Zip {
    private Zip() {}

    static <A, B, R> Flow<R> zip(
            Flow<A> first, Flow<? extends B> second, ThrowingBiFunction<? super A, ? super B, ? extends R> fn) {
        return FlowKt.zip(first, Merge.<B>nonNull(second, "zip"), Lambdas.<A, B, R>accumulator("zip", fn));
    }

    /** Two elements travelling together through the first stage of a three-way zip or combine. */
    private record Pair<A, B>(A first, B second) {}

    static <A, B, C, R> Flow<R> zip(
            Flow<A> first,
            Flow<? extends B> second,
            Flow<? extends C> third,
            dev.coflow.function.ThrowingTriFunction<? super A, ? super B, ? super C, ? extends R> fn) {
        Flow<Pair<A, B>> pairs = FlowKt.zip(
                first, Merge.<B>nonNull(second, "zip"), Lambdas.<A, B, Pair<A, B>>accumulator("zip", Pair::new));
        return FlowKt.zip(
                pairs,
                Merge.<C>nonNull(third, "zip"),
                Lambdas.<Pair<A, B>, C, R>accumulator("zip", (p, c) -> fn.apply(p.first(), p.second(), c)));
    }

    static <A, B, C, R> Flow<R> combine(
            Flow<A> first,
            Flow<? extends B> second,
            Flow<? extends C> third,
            dev.coflow.function.ThrowingTriFunction<? super A, ? super B, ? super C, ? extends R> fn) {
        Flow<Pair<A, B>> pairs = FlowKt.combine(
                first,
                Merge.<B>nonNull(second, "combine"),
                Lambdas.<A, B, Pair<A, B>>accumulator("combine", Pair::new));
        return FlowKt.combine(
                pairs,
                Merge.<C>nonNull(third, "combine"),
                Lambdas.<Pair<A, B>, C, R>accumulator("combine", (p, c) -> fn.apply(p.first(), p.second(), c)));
    }

    /**
     * {@code combine(List)}: the latest element of every flow, as a read-only list in the flows'
     * order, each time any of them emits (once all have emitted); built as a chain of two-way
     * combines, since kotlinx's n-way {@code combine} is reified-inline and not callable from Java.
     */
    static <T> Flow<List<T>> combineAll(List<? extends Flow<? extends T>> flows) {
        if (flows.isEmpty()) {
            return FlowKt.emptyFlow();
        }
        Flow<List<T>> acc = FlowKt.map(
                Merge.<T>nonNull(flows.get(0), "combine"), (T v, Continuation<? super List<T>> c) -> List.of(v));
        for (int i = 1; i < flows.size(); i++) {
            acc = FlowKt.combine(
                    acc,
                    Merge.<T>nonNull(flows.get(i), "combine"),
                    (List<T> l, T v, Continuation<? super List<T>> c) -> {
                        List<T> next = new java.util.ArrayList<>(l.size() + 1);
                        next.addAll(l);
                        next.add(v);
                        return Collections.unmodifiableList(next);
                    });
        }
        return acc;
    }

    static <A, B, R> Flow<R> combine(
            Flow<A> first, Flow<? extends B> second, ThrowingBiFunction<? super A, ? super B, ? extends R> fn) {
        return FlowKt.combine(first, Merge.<B>nonNull(second, "combine"), Lambdas.<A, B, R>accumulator("combine", fn));
    }
}
