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
 * the combining function is a plain Java function whose result must not be null.
 */
final class Zip {
    private Zip() {}

    static <A, B, R> Flow<R> zip(Flow<A> first, Flow<? extends B> second,
            ThrowingBiFunction<? super A, ? super B, ? extends R> fn) {
        return FlowKt.zip(first, Merge.<B>nonNull(second, "zip"), combiner("zip", fn));
    }

    static <A, B, R> Flow<R> combine(Flow<A> first, Flow<? extends B> second,
            ThrowingBiFunction<? super A, ? super B, ? extends R> fn) {
        return FlowKt.combine(first, Merge.<B>nonNull(second, "combine"), combiner("combine", fn));
    }

    private static <A, B, R> Function3<A, B, Continuation<? super R>, Object> combiner(String operator,
            ThrowingBiFunction<? super A, ? super B, ? extends R> fn) {
        return (a, b, c) -> {
            R r;
            try {
                r = fn.apply(a, b);
            } catch (Exception e) {
                throw Exceptions.sneaky(e);
            }
            if (r == null) {
                throw new NullPointerException(operator + ": the function returned null for (" + a + ", " + b
                        + "); AsyncFlow elements are non-null (return an Optional or a sentinel value)");
            }
            return r;
        };
    }
}
