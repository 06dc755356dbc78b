package dev.coflow.bridge;

/**
 * A {@link SuspendBody} without a result: ordinary Java code that may call suspend-like methods.
 *
 * {@snippet :
 * SuspendRunnable cleanup = () -> connection.close();
 * Suspend.nonCancellable(cleanup);
 * }
 *
 * <p>kotlinx counterpart: a {@code suspend () -> Unit} lambda.
 */
@FunctionalInterface
public interface SuspendRunnable {
    /**
     * Runs the body.
     *
     * @throws Exception any failure
     */
    void run() throws Exception;
}
