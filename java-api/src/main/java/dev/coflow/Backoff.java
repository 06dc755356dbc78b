package dev.coflow;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * An exponential back-off policy for {@link AsyncFlow#retry(Backoff)}: how many attempts, how long
 * to wait before each retry, with optional jitter, and which failures are worth retrying. Immutable;
 * the {@code with...}/{@code retryOn} methods return a new policy. Waiting happens on the
 * collector's coroutine clock, so it is virtual time under a kotlinx test dispatcher. Neither
 * Kotlin's {@code retry} nor {@code retryWhen} offers this ready-made.
 *
 * {@snippet :
 * Backoff backoff = Backoff.exponential(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30), 3)
 *         .withJitter(0.1)
 *         .retryOn(e -> e instanceof IOException);
 * List<Row> rows = fetchRows().retry(backoff).toList();   // waits ~1 s, then ~2 s, then gives up
 * }
 *
 * <p>The wait before retry {@code k} (0 for the first retry) is
 * {@code min(max, initial * multiplier^k)}, then, with jitter {@code j}, scaled by a random factor
 * in {@code [1 - j, 1 + j)} and capped at {@code max} again. {@link java.util.concurrent.CancellationException}s are
 * never retried, whatever {@link #retryOn} says.
 */
public final class Backoff {
    private final Duration initial;
    private final double multiplier;
    private final Duration max;
    private final int maxAttempts;
    private final double jitter;
    private final RandomGenerator random;
    private final Predicate<? super Throwable> retryOn;
    /** Reset the attempt counter after a collection that emitted an element. */
    private final boolean resetAfterElement;
    /** Reset it after a collection that ran this long (ms) before failing; -1: never. */
    private final long resetAfterMillis;

    private Backoff(
            Duration initial,
            double multiplier,
            Duration max,
            int maxAttempts,
            double jitter,
            RandomGenerator random,
            Predicate<? super Throwable> retryOn) {
        this(initial, multiplier, max, maxAttempts, jitter, random, retryOn, false, -1);
    }

    private Backoff(
            Duration initial,
            double multiplier,
            Duration max,
            int maxAttempts,
            double jitter,
            RandomGenerator random,
            Predicate<? super Throwable> retryOn,
            boolean resetAfterElement,
            long resetAfterMillis) {
        this.initial = initial;
        this.multiplier = multiplier;
        this.max = max;
        this.maxAttempts = maxAttempts;
        this.jitter = jitter;
        this.random = random;
        this.retryOn = retryOn;
        this.resetAfterElement = resetAfterElement;
        this.resetAfterMillis = resetAfterMillis;
    }

    /**
     * Exponential back-off without jitter that retries every failure.
     *
     * {@snippet :
     * Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(5), 4);   // waits 100, 200, 400 ms
     * }
     *
     * @param initial the wait before the first retry, not negative
     * @param multiplier growth per retry, {@code >= 1.0} (1.0 gives a fixed delay)
     * @param max the longest wait, {@code >= initial}
     * @param maxAttempts total attempts including the first collection, {@code >= 1}; 3 means up
     *     to 2 retries
     * @return the policy
     * @throws IllegalArgumentException if an argument is out of range
     */
    public static Backoff exponential(Duration initial, double multiplier, Duration max, int maxAttempts) {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative()) {
            throw new IllegalArgumentException("Backoff: initial must not be negative, was " + initial);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("Backoff: multiplier must be a finite number >= 1.0, was " + multiplier
                    + "; use 1.0 for a fixed delay");
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("Backoff: max (" + max + ") must be >= initial (" + initial + ")");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException(
                    "Backoff: maxAttempts counts the first attempt too and must be >= 1, was " + maxAttempts);
        }
        return new Backoff(initial, multiplier, max, maxAttempts, 0.0, null, e -> true);
    }

    /**
     * The same wait before every retry.
     *
     * {@snippet :
     * Backoff.fixed(Duration.ofSeconds(1), 3);   // waits 1 s, 1 s
     * }
     *
     * @param delay the wait, not negative
     * @param maxAttempts total attempts including the first, {@code >= 1}
     * @return the policy
     */
    public static Backoff fixed(Duration delay, int maxAttempts) {
        return exponential(delay, 1.0, delay, maxAttempts);
    }

    /**
     * Adds random jitter of {@code ±jitter} (a fraction of each wait), drawn from
     * {@link ThreadLocalRandom}, so that many clients do not retry in lockstep.
     *
     * @param jitter between 0.0 (none) and 1.0
     * @return a new policy
     */
    public Backoff withJitter(double jitter) {
        return withJitter(jitter, null);
    }

    /**
     * Adds jitter drawn from {@code random}: inject a seeded generator for reproducible waits in
     * tests. The generator is used by whichever thread collects; share a thread-safe one between
     * concurrent collections.
     *
     * {@snippet :
     * Backoff b = Backoff.fixed(Duration.ofSeconds(1), 5).withJitter(0.5, new SplittableRandom(42));
     * }
     *
     * @param jitter between 0.0 (none) and 1.0
     * @param random the source of randomness, or {@code null} for {@link ThreadLocalRandom}
     * @return a new policy
     */
    public Backoff withJitter(double jitter, RandomGenerator random) {
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            throw new IllegalArgumentException(
                    "Backoff: jitter is a fraction of the delay between 0.0 and 1.0, was " + jitter);
        }
        return new Backoff(
                initial, multiplier, max, maxAttempts, jitter, random, retryOn, resetAfterElement, resetAfterMillis);
    }

    /**
     * Retries only failures that match {@code predicate}; others fail the flow at once.
     *
     * {@snippet :
     * backoff.retryOn(e -> e instanceof IOException || e instanceof SQLTransientException);
     * }
     *
     * @param predicate which failures to retry (receives checked exceptions unwrapped)
     * @return a new policy
     */
    public Backoff retryOn(Predicate<? super Throwable> predicate) {
        Objects.requireNonNull(predicate, "predicate");
        return new Backoff(
                initial, multiplier, max, maxAttempts, jitter, random, predicate, resetAfterElement, resetAfterMillis);
    }

    /**
     * A policy for long-lived streams: the attempt counter (and so the wait and the attempt limit)
     * starts again after a collection that emitted at least one element before it failed, so a
     * stream that fails once a day is retried forever with short waits, while one that fails at
     * once keeps backing off to its limit. kotlinx counterpart: none (kotlinx.coroutines#2842:
     * {@code retryWhen}'s attempt never resets); Reactor {@code Retry.backoff(...).transientErrors(true)}.
     *
     * {@snippet :
     * events.retry(Backoff.exponential(Duration.ofSeconds(1), 2.0, Duration.ofMinutes(1), 5).resetAfterElement());
     * }
     *
     * @return a new policy
     */
    public Backoff resetAfterElement() {
        return new Backoff(initial, multiplier, max, maxAttempts, jitter, random, retryOn, true, resetAfterMillis);
    }

    /**
     * A policy for long-lived streams: the attempt counter starts again after a collection that
     * ran for at least {@code quietPeriod} (on the coroutine clock) before it failed, whether or not
     * it emitted. Combines with {@link #resetAfterElement()} (either resets). kotlinx counterpart:
     * none (kotlinx.coroutines#2842).
     *
     * {@snippet :
     * ticks.retry(Backoff.fixed(Duration.ofSeconds(5), 3).resetAfter(Duration.ofMinutes(10)));
     * }
     *
     * @param quietPeriod how long a collection must have run, positive
     * @return a new policy
     * @throws IllegalArgumentException if {@code quietPeriod} is not positive
     */
    public Backoff resetAfter(Duration quietPeriod) {
        long ms = Checks.positiveMillis("Backoff.resetAfter", "quietPeriod", quietPeriod);
        return new Backoff(initial, multiplier, max, maxAttempts, jitter, random, retryOn, resetAfterElement, ms);
    }

    /** Whether this policy ever resets its attempt counter. */
    boolean resetsAttempts() {
        return resetAfterElement || resetAfterMillis >= 0;
    }

    /** Whether a failed collection that {@code emitted} and ran {@code ranMillis} resets the counter. */
    boolean resets(boolean emitted, long ranMillis) {
        return resetAfterElement && emitted || resetAfterMillis >= 0 && ranMillis >= resetAfterMillis;
    }

    /**
     * Total attempts, the first collection included.
     *
     * @return {@code >= 1}
     */
    public int maxAttempts() {
        return maxAttempts;
    }

    /**
     * The wait before retry number {@code retry} (0 for the first retry), jitter included (so two
     * calls may differ when jitter is on).
     *
     * {@snippet :
     * Backoff.exponential(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(3), 5).delayFor(2);   // PT3S (capped)
     * }
     *
     * @param retry {@code >= 0}
     * @return the wait
     */
    public Duration delayFor(long retry) {
        if (retry < 0) {
            throw new IllegalArgumentException("Backoff.delayFor: retry must be >= 0, was " + retry);
        }
        double maxMillis = millis(max);
        double base = Math.min(maxMillis, millis(initial) * Math.pow(multiplier, retry));
        if (jitter > 0.0) {
            RandomGenerator r = random != null ? random : ThreadLocalRandom.current();
            base = Math.min(maxMillis, base * (1.0 - jitter + 2.0 * jitter * r.nextDouble()));
        }
        return Duration.ofMillis(Math.round(base));
    }

    /**
     * Whole milliseconds; a duration too long for a long of them ({@code ChronoUnit.FOREVER}, "no
     * cap") saturates instead of throwing {@link ArithmeticException} at the first retry.
     */
    private static long millis(Duration d) {
        try {
            return d.toMillis();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Whether to retry after failure {@code cause} of attempt {@code retry} (0-based, as kotlinx counts). */
    boolean shouldRetry(Throwable cause, long retry) {
        return retry + 1 < maxAttempts && retryOn.test(cause);
    }

    @Override
    public String toString() {
        return "Backoff[initial=" + initial + ", multiplier=" + multiplier + ", max=" + max + ", maxAttempts="
                + maxAttempts + (jitter > 0 ? ", jitter=" + jitter : "")
                + (resetAfterElement ? ", resetAfterElement" : "")
                + (resetAfterMillis >= 0 ? ", resetAfter=" + Duration.ofMillis(resetAfterMillis) : "") + "]";
    }
}
