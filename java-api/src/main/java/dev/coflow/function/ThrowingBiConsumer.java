package dev.coflow.function;

/**
 * A two-argument consumer that may throw checked exceptions.
 *
 * <p>Like its {@code java.util.function} counterpart, but it may throw checked exceptions, so that
 * bodies doing I/O need no try/catch. coflow hands a thrown checked exception to blocking terminals
 * wrapped ({@link java.io.UncheckedIOException} for {@link java.io.IOException}) and to
 * {@code catchError}/{@code onCompletion} unwrapped.
 *
 * {@snippet :
 * ThrowingBiConsumer<String, Writer> write = (line, out) -> out.write(line);
 * }
 *
 * @param <A> the first argument type
 * @param <B> the second argument type
 */
@FunctionalInterface
public interface ThrowingBiConsumer<A, B> {
    /**
     * Runs the function.
     *
     * @param first the first argument
     * @param second the second argument
     * @throws Exception any failure
     */
    void accept(A first, B second) throws Exception;
}
