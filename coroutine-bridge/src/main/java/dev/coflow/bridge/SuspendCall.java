package dev.coflow.bridge;

import kotlin.coroutines.Continuation;

/**
 * One call of a Kotlin {@code suspend} function, written in Java by passing on the continuation
 * it is given. Used with {@link Suspend#call(SuspendCall)}.
 *
 * <p>A Kotlin {@code suspend fun f(a: A): R} compiles to {@code Object f(A a, Continuation<? super R> c)},
 * which returns either the result or the {@code COROUTINE_SUSPENDED} marker. The lambda must call
 * exactly one such function with {@code c} and return what it returns, for example:
 *
 * {@snippet :
 * Unit u = Suspend.call(c -> DelayKt.delay(1_000, c));
 * String s = Suspend.call(c -> channel.receive(c));
 * }
 *
 * @param <T> the result type of the suspend function
 */
@FunctionalInterface
public interface SuspendCall<T> {
    /**
     * Calls the suspend function.
     *
     * @param continuation the continuation to pass on, unchanged (typed {@code Object} so that it fits
     *     any suspend function's parameter)
     * @return the result, or {@code COROUTINE_SUSPENDED}
     * @throws Exception what the function throws synchronously
     */
    Object invoke(Continuation<Object> continuation) throws Exception;
}
