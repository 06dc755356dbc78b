package dev.coflow.function;

/**
 * A supplier that may throw checked exceptions.
 *
 * <p>Like its {@code java.util.function} counterpart, but it may throw checked exceptions, so that
 * bodies doing I/O need no try/catch. coflow hands a thrown checked exception to blocking terminals
 * wrapped ({@link java.io.UncheckedIOException} for {@link java.io.IOException}) and to
 * {@code catchError}/{@code onCompletion} unwrapped.
 *
 * {@snippet :
 * ThrowingSupplier<Connection> open = () -> DriverManager.getConnection(url);
 * }
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface ThrowingSupplier<T> {
    /**
     * Runs the function.
     *
     * @return the value
     * @throws Exception any failure
     */
    T get() throws Exception;
}
