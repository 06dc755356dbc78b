package dev.coflow;

import dev.coflow.bridge.internal.Exceptions;
import dev.coflow.function.ThrowingBiFunction;
import kotlin.coroutines.Continuation;
import kotlin.jvm.functions.Function3;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.FlowKt;

/**
 * Combining two flows (kotlinx {@code operators/Zip.kt}): {@code zip} pairs elements by position,
 * {@code combine} pairs each new element with the latest of the other side. Both are kotlinx's;
 * the combining function is a coflow-called lambda (it may wait) whose result must not be null.
 */
final class Zip {
    private Zip() {}

    static <A, B, R> Flow<R> zip(Flow<A> first, Flow<? extends B> second,
            ThrowingBiFunction<? super A, ? super B, ? extends R> fn) {
        return FlowKt.zip(first, Merge.<B>nonNull(second, "zip"), Lambdas.<A, B, R>accumulator("zip", fn));
    }

    static <A, B, R> Flow<R> combine(Flow<A> first, Flow<? extends B> second,
            ThrowingBiFunction<? super A, ? super B, ? extends R> fn) {
        return FlowKt.combine(first, Merge.<B>nonNull(second, "combine"), Lambdas.<A, B, R>accumulator("combine", fn));
    }
}
