package dev.coflow.function;

/**
 * A runnable that may throw checked exceptions.
 *
 * <p>Like its {@code java.util.function} counterpart, but it may throw checked exceptions, so that
 * bodies doing I/O need no try/catch. coflow hands a thrown checked exception to blocking terminals
 * wrapped ({@link java.io.UncheckedIOException} for {@link java.io.IOException}) and to
 * {@code catchError}/{@code onCompletion} unwrapped.
 *
 * {@snippet :
 * ThrowingRunnable close = connection::close;
 * }
 */
@FunctionalInterface
public interface ThrowingRunnable {
    /**
     * Runs the function.
     *
     * @throws Exception any failure
     */
    void run() throws Exception;
}
