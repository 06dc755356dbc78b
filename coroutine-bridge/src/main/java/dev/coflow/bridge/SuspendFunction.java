package dev.coflow.bridge;

/**
 * A Java function of one argument that may block or call suspend-like methods; exposed to Kotlin
 * as a {@code suspend (A) -> R} by {@link Coroutines#asSuspendFunction(SuspendFunction)}.
 *
 * {@snippet :
 * SuspendFunction<String, Integer> length = s -> { Suspend.delay(10); return s.length(); };
 * }
 *
 * @param <A> the argument type
 * @param <R> the result type
 */
@FunctionalInterface
public interface SuspendFunction<A, R> {
    /**
     * Applies the function.
     *
     * @param argument the argument
     * @return the result
     * @throws Exception any failure
     */
    R apply(A argument) throws Exception;
}
