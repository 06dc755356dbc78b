package dev.coflow.bridge.internal;

import java.util.concurrent.CancellationException;

/**
 * The one mapping of a thread interrupt to coroutine cancellation: every
 * {@link CancellationException} coflow makes for an interrupt reads
 * {@code "<where>: the thread <name> was interrupted"}. What happens to the interrupt flag stays
 * with each caller (a body clears it, a blocking call sets it again); only
 * {@link #restoring} sets it itself.
 *
 * <p>Not part of coflow's API: public only so that the java-api module can use it.
 */
public final class Interrupts {
    private Interrupts() {}

    /**
     * The cancellation for an interrupt of the current thread.
     *
     * @param where what was interrupted (a blocking call, a coroutine body, ...)
     * @param cause the interrupt's exception, or {@code null}
     * @return the exception, not thrown
     */
    public static CancellationException cancellation(String where, Throwable cause) {
        return cancellation(where, Thread.currentThread(), cause);
    }

    /**
     * The cancellation for an interrupt of {@code thread}.
     *
     * @param where what was interrupted
     * @param thread the interrupted thread
     * @param cause the interrupt's exception, or {@code null}
     * @return the exception, not thrown
     */
    public static CancellationException cancellation(String where, Thread thread, Throwable cause) {
        CancellationException ce = new CancellationException(message(where, thread));
        if (cause != null) {
            ce.initCause(cause);
        }
        return ce;
    }

    /**
     * For a blocking wait that threw {@link InterruptedException}: sets the current thread's
     * interrupt flag again (Java convention) and returns the cancellation, {@code e} as its cause.
     *
     * @param where what was interrupted
     * @param e the interrupt
     * @return the exception, not thrown
     */
    public static CancellationException restoring(String where, InterruptedException e) {
        Thread.currentThread().interrupt();
        return cancellation(where, e);
    }

    /**
     * The message shape: {@code "<where>: the thread <name> was interrupted"}.
     *
     * @param where what was interrupted
     * @param thread the interrupted thread
     * @return the message
     */
    public static String message(String where, Thread thread) {
        return where + ": the thread " + thread.getName() + " was interrupted";
    }
}
