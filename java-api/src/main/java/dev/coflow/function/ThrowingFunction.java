package dev.coflow.function;

/**
 * A function that may throw checked exceptions.
 *
 * <p>Like its {@code java.util.function} counterpart, but it may throw checked exceptions, so that
 * bodies doing I/O need no try/catch. coflow hands a thrown checked exception to blocking terminals
 * wrapped ({@link java.io.UncheckedIOException} for {@link java.io.IOException}) and to
 * {@code catchError}/{@code onCompletion} unwrapped.
 *
 * {@snippet :
 * ThrowingFunction<Path, String> read = Files::readString;
 * }
 *
 * @param <T> the argument type
 * @param <R> the result type
 */
@FunctionalInterface
public interface ThrowingFunction<T, R> {
    /**
     * Runs the function.
     *
     * @param value the argument
     * @return the result
     * @throws Exception any failure
     */
    R apply(T value) throws Exception;
}
