package dev.coflow.function;

/**
 * A two-argument function that may throw checked exceptions.
 *
 * <p>Like its {@code java.util.function} counterpart, but it may throw checked exceptions, so that
 * bodies doing I/O need no try/catch. coflow hands a thrown checked exception to blocking terminals
 * wrapped ({@link java.io.UncheckedIOException} for {@link java.io.IOException}) and to
 * {@code catchError}/{@code onCompletion} unwrapped.
 *
 * {@snippet :
 * ThrowingBiFunction<Integer, Integer, Integer> add = Integer::sum;
 * }
 *
 * @param <A> the first argument type
 * @param <B> the second argument type
 * @param <R> the result type
 */
@FunctionalInterface
public interface ThrowingBiFunction<A, B, R> {
    /**
     * Runs the function.
     *
     * @param first the first argument
     * @param second the second argument
     * @return the result
     * @throws Exception any failure
     */
    R apply(A first, B second) throws Exception;
}
