package dev.coflow;

import java.time.Duration;

/**
 * A flow did not finish (or did not produce its next element) within the limit set with
 * {@link AsyncFlow#timeout} or {@link AsyncFlow#timeoutEach}. It is an ordinary failure, not a
 * cancellation: the upstream was cancelled, but {@code catchError}, {@code retry} and the caller
 * see this exception. Unchecked, like every failure inside a flow; it plays the role of
 * {@link java.util.concurrent.TimeoutException}. kotlinx counterpart: the
 * {@code TimeoutCancellationException} of {@code Flow.timeout}, which coflow never lets escape.
 *
 * {@snippet :
 * try {
 *     prices.timeoutEach(Duration.ofSeconds(5)).forEach(this::show);
 * } catch (AsyncFlowTimeoutException e) {
 *     log.warn(e.getMessage());          // "timed out after 5000 ms (timeoutEach(PT5S))"
 * }
 * }
 */
public class AsyncFlowTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The limit, kept for {@link #limit()}; not serialized state worth more than the message. */
    private final transient Duration limit;

    /**
     * Creates the exception for an exceeded limit.
     *
     * @param operator the operator that set the limit, e.g. {@code "timeout"}
     * @param limit the limit
     */
    public AsyncFlowTimeoutException(String operator, Duration limit) {
        super("timed out after " + millis(limit) + " ms (" + operator + "(" + limit + "))");
        this.limit = limit;
    }

    /** Whole milliseconds, saturating for a limit too large for a long (no ArithmeticException). */
    private static long millis(Duration limit) {
        try {
            return limit.toMillis();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * The limit that was exceeded.
     *
     * @return the limit
     */
    public Duration limit() {
        return limit;
    }
}
