package dev.coflow;

import java.time.Duration;
import java.util.Objects;

/**
 * Argument checks of {@link AsyncFlow}'s operators and their messages, in one place. Each failure
 * names the operator and the rejected value, as {@code "timeout: limit must be positive, was PT0S"}.
 */
final class Checks {
    private Checks() {}

    /** {@code limit} of {@code timeout}/{@code timeoutEach}: not null, positive. */
    static void timeoutLimit(String operator, Duration limit) {
        Objects.requireNonNull(limit, "limit");
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException(operator + ": limit must be positive, was " + limit);
        }
    }

    /** {@code concurrency} of {@code flatMapMerge} and {@code mapAsync*}: at least 1. */
    static void concurrency(String operator, int concurrency) {
        if (concurrency < 1) {
            throw new IllegalArgumentException(operator + ": concurrency must be >= 1, was " + concurrency);
        }
    }
}
