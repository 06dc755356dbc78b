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

    /**
     * The exception for a {@code null} where coflow needs an element or a value, with the one
     * message shape every such check uses: {@code "<where>: <what>; AsyncFlow elements are non-null
     * (<fix>)"}, as in {@code "map: the function returned null for 3; AsyncFlow elements are
     * non-null (use mapNotNull to drop elements)"}.
     *
     * @param where the operator or method, as the user wrote it
     * @param what what was null
     * @param fix what to do instead
     */
    static NullPointerException nullElement(String where, String what, String fix) {
        return new NullPointerException(where + ": " + what + "; AsyncFlow elements are non-null (" + fix + ")");
    }

    /**
     * A duration argument that must be positive, as {@code "interval: period must be positive,
     * was PT0S"}; returns it in whole milliseconds (fractions round up, huge values saturate).
     */
    static long positiveMillis(String operator, String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(operator + ": " + name + " must be positive, was " + d);
        }
        return Delay.ceilMillis(d);
    }

    /** A duration argument that may be zero but not negative; in whole milliseconds as above. */
    static long nonNegativeMillis(String operator, String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(operator + ": " + name + " must not be negative, was " + d);
        }
        return Delay.ceilMillis(d);
    }

    /** A count argument that must be at least 1, as {@code "rateLimit: permits must be >= 1, was 0"}. */
    static void atLeastOne(String operator, String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(operator + ": " + name + " must be >= 1, was " + value);
        }
    }

    /** {@code concurrency} of {@code flatMapMerge} and {@code mapAsync*}: at least 1. */
    static void concurrency(String operator, int concurrency) {
        if (concurrency < 1) {
            throw new IllegalArgumentException(operator + ": concurrency must be >= 1, was " + concurrency);
        }
    }

    /** A copy of a list of flows, none null, as {@code "flows[2]"} names the null one. */
    static <T> java.util.List<kotlinx.coroutines.flow.Flow<? extends T>> flows(
            java.util.List<? extends kotlinx.coroutines.flow.Flow<? extends T>> flows) {
        java.util.List<kotlinx.coroutines.flow.Flow<? extends T>> copy = new java.util.ArrayList<>(flows.size());
        for (int i = 0; i < flows.size(); i++) {
            copy.add(Objects.requireNonNull(flows.get(i), "flows[" + i + "]"));
        }
        return copy;
    }
}
