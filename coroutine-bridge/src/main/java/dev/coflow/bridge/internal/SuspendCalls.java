package dev.coflow.bridge.internal;

import dev.coflow.bridge.SuspendCall;
import kotlin.coroutines.Continuation;

/**
 * The one way coflow runs a {@link SuspendCall} as a kotlin suspend lambda body.
 *
 * <p>Not part of coflow's API: public only so that the java-api module can use it.
 */
public final class SuspendCalls {
    private SuspendCalls() {}

    /**
     * Invokes {@code call} with the continuation {@code c}, rethrowing a checked exception as it
     * is (sneakily), so that a {@code SuspendCall} can serve where kotlin expects a suspend lambda.
     *
     * @param call the call
     * @param c the continuation it resumes
     * @return the call's result or {@code COROUTINE_SUSPENDED}
     */
    @SuppressWarnings("unchecked")
    public static Object invoke(SuspendCall<?> call, Continuation<?> c) {
        try {
            return call.invoke((Continuation<Object>) c);
        } catch (Exception e) {
            throw Exceptions.sneaky(e);
        }
    }
}
