package dev.coflow.function;

/**
 * A predicate that may throw checked exceptions.
 *
 * <p>Like its {@code java.util.function} counterpart, but it may throw checked exceptions, so that
 * bodies doing I/O need no try/catch. coflow hands a thrown checked exception to blocking terminals
 * wrapped ({@link java.io.UncheckedIOException} for {@link java.io.IOException}) and to
 * {@code catchError}/{@code onCompletion} unwrapped.
 *
 * {@snippet :
 * ThrowingPredicate<Path> big = p -> Files.size(p) > 1_000;
 * }
 *
 * @param <T> the argument type
 */
@FunctionalInterface
public interface ThrowingPredicate<T> {
    /**
     * Runs the function.
     *
     * @param value the argument
     * @return whether it matches
     * @throws Exception any failure
     */
    boolean test(T value) throws Exception;
}
