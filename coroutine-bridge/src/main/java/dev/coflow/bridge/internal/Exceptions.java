package dev.coflow.bridge.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;

/**
 * How coflow hands failures to callers of blocking methods. Internal: not part of the API.
 */
public final class Exceptions {
    private Exceptions() {}

    /**
     * Returns {@code t} as an unchecked throwable to rethrow from a blocking call: unchecked
     * exceptions and errors unchanged, {@link IOException} as {@link UncheckedIOException}, any
     * other checked exception as {@link CompletionException}, the original always the cause.
     *
     * @param t the failure
     * @return the exception to throw
     */
    public static RuntimeException unchecked(Throwable t) {
        if (t instanceof RuntimeException re) {
            return re;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t instanceof IOException io) {
            return new UncheckedIOException(io.getMessage(), io);
        }
        return new CompletionException(t);
    }

    /**
     * Throws any throwable without wrapping; the compiler is told it returns.
     *
     * @param t the throwable to throw
     * @param <E> inferred as an unchecked type
     * @return never returns
     * @throws E always {@code t}
     */
    @SuppressWarnings("unchecked")
    public static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
        throw (E) t;
    }
}
