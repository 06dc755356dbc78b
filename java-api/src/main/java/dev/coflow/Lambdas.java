package dev.coflow;

import dev.coflow.bridge.internal.Exceptions;
import dev.coflow.function.ThrowingBiFunction;
import dev.coflow.function.ThrowingBiPredicate;
import dev.coflow.function.ThrowingConsumer;
import dev.coflow.function.ThrowingFunction;
import dev.coflow.function.ThrowingPredicate;
import kotlin.Unit;
import kotlin.coroutines.Continuation;
import kotlin.jvm.functions.Function1;
import kotlin.jvm.functions.Function2;
import kotlin.jvm.functions.Function3;

/**
 * Adapts coflow's throwing Java lambdas to the non-suspending Kotlin function shapes kotlinx's
 * operators take, so the operators run at native kotlinx speed.
 */
final class Lambdas {
    private Lambdas() {}

    static <T, R> Function2<T, Continuation<? super R>, Object> mapper(String operator, ThrowingFunction<? super T, ? extends R> fn) {
        return (v, c) -> {
            R r;
            try {
                r = fn.apply(v);
            } catch (Exception e) {
                throw Exceptions.sneaky(e);
            }
            if (r == null) {
                throw new NullPointerException(operator + ": the function returned null for " + v
                        + "; AsyncFlow elements are non-null (use mapNotNull to drop elements)");
            }
            return r;
        };
    }

    static <T> Function2<T, Continuation<? super Boolean>, Object> predicate(ThrowingPredicate<? super T> p) {
        return (v, c) -> {
            try {
                return p.test(v);
            } catch (Exception e) {
                throw Exceptions.sneaky(e);
            }
        };
    }

    /** A downstream collector running a plain Java action per element (the body of a terminal). */
    static <T> kotlinx.coroutines.flow.FlowCollector<T> collector(ThrowingConsumer<? super T> action) {
        return (v, c) -> accept(action, v);
    }

    static <T> Function2<T, Continuation<? super Unit>, Object> action(ThrowingConsumer<? super T> action) {
        return (v, c) -> accept(action, v);
    }

    /** Runs {@code action} on {@code v}, rethrowing its exception unwrapped; returns {@code Unit}. */
    private static <T> Object accept(ThrowingConsumer<? super T> action, T v) {
        try {
            action.accept(v);
        } catch (Exception e) {
            throw Exceptions.sneaky(e);
        }
        return Unit.INSTANCE;
    }

    /** Like {@link #mapper}, but a null result is passed on (kotlinx {@code mapNotNull} then drops it). */
    static <T, R> Function2<T, Continuation<? super R>, Object> mapperOrNull(ThrowingFunction<? super T, ? extends R> fn) {
        return (v, c) -> {
            try {
                return fn.apply(v);
            } catch (Exception e) {
                throw Exceptions.sneaky(e);
            }
        };
    }

    /** A plain (non-suspending) Kotlin {@code (T) -> K}. */
    static <T, K> Function1<T, K> function(ThrowingFunction<? super T, ? extends K> fn) {
        return v -> {
            try {
                return fn.apply(v);
            } catch (Exception e) {
                throw Exceptions.sneaky(e);
            }
        };
    }

    /** A plain (non-suspending) Kotlin {@code (A, B) -> Boolean}. */
    static <A, B> Function2<A, B, Boolean> biPredicate(ThrowingBiPredicate<? super A, ? super B> p) {
        return (a, b) -> {
            try {
                return p.test(a, b);
            } catch (Exception e) {
                throw Exceptions.sneaky(e);
            }
        };
    }

    /**
     * A suspend {@code (R, T) -> R} that never suspends, for {@code scan}/{@code fold}; a null
     * result fails with an NPE naming {@code operator}.
     */
    static <R, T> Function3<R, T, Continuation<? super R>, Object> accumulator(String operator,
            ThrowingBiFunction<? super R, ? super T, ? extends R> fn) {
        return (acc, v, c) -> {
            R r;
            try {
                r = fn.apply(acc, v);
            } catch (Exception e) {
                throw Exceptions.sneaky(e);
            }
            if (r == null) {
                throw new NullPointerException(operator + ": the function returned null for (" + acc + ", " + v
                        + "); AsyncFlow elements are non-null (return an Optional or a sentinel value)");
            }
            return r;
        };
    }
}
