package dev.coflow.function;

/**
 * A two-argument predicate that may throw checked exceptions.
 *
 * <p>Like its {@code java.util.function} counterpart, but it may throw checked exceptions, so that
 * bodies doing I/O need no try/catch. coflow hands a thrown checked exception to blocking terminals
 * wrapped ({@link java.io.UncheckedIOException} for {@link java.io.IOException}) and to
 * {@code catchError}/{@code onCompletion} unwrapped.
 *
 * {@snippet :
 * ThrowingBiPredicate<String, String> sameIgnoringCase = String::equalsIgnoreCase;
 * }
 *
 * @param <A> the first argument type
 * @param <B> the second argument type
 */
@FunctionalInterface
public interface ThrowingBiPredicate<A, B> {
    /**
     * Runs the function.
     *
     * @param first the first argument
     * @param second the second argument
     * @return whether the arguments match
     * @throws Exception any failure
     */
    boolean test(A first, B second) throws Exception;
}
