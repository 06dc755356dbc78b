package dev.coflow.bridge;

import dev.coflow.bridge.internal.Exceptions;
import kotlin.Result;
import kotlin.ResultKt;

/** Helpers around {@code kotlin.Result} as seen from Java, and exception rethrowing. */
final class Results {
    private Results() {}

    static Object failure(Throwable t) {
        return ResultKt.createFailure(t);
    }

    /** Returns the value of a raw {@code Result}, or throws its exception unchanged. */
    @SuppressWarnings("unchecked")
    static <T> T valueOrThrow(Object result) {
        if (result instanceof Result.Failure f) {
            throw Exceptions.sneaky(f.exception);
        }
        return (T) result;
    }
}
