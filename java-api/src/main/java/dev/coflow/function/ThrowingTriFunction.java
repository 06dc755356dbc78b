package dev.coflow.function;

/**
 * A three-argument function that may throw checked exceptions, for combining three flows.
 *
 * <p>Like {@link ThrowingBiFunction}, with a third argument. coflow hands a thrown checked
 * exception to blocking terminals wrapped ({@link java.io.UncheckedIOException} for
 * {@link java.io.IOException}) and to {@code catchError}/{@code onCompletion} unwrapped.
 *
 * {@snippet :
 * ThrowingTriFunction<Integer, Integer, Integer, Integer> sum = (a, b, c) -> a + b + c;
 * }
 *
 * @param <A> the first argument type
 * @param <B> the second argument type
 * @param <C> the third argument type
 * @param <R> the result type
 */
@FunctionalInterface
public interface ThrowingTriFunction<A, B, C, R> {
    /**
     * Runs the function.
     *
     * @param first the first argument
     * @param second the second argument
     * @param third the third argument
     * @return the result
     * @throws Exception any failure
     */
    R apply(A first, B second, C third) throws Exception;
}
