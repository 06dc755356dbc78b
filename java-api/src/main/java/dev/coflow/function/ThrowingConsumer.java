package dev.coflow.function;

/**
 * A consumer that may throw checked exceptions.
 *
 * <p>Like its {@code java.util.function} counterpart, but it may throw checked exceptions, so that
 * bodies doing I/O need no try/catch. coflow hands a thrown checked exception to blocking terminals
 * wrapped ({@link java.io.UncheckedIOException} for {@link java.io.IOException}) and to
 * {@code catchError}/{@code onCompletion} unwrapped.
 *
 * {@snippet :
 * ThrowingConsumer<String> write = line -> writer.write(line);
 * }
 *
 * @param <T> the argument type
 */
@FunctionalInterface
public interface ThrowingConsumer<T> {
    /**
     * Runs the function.
     *
     * @param value the argument
     * @throws Exception any failure
     */
    void accept(T value) throws Exception;
}
