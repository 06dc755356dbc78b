package dev.coflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** The back-off policy on its own: delays, caps, jitter bounds, attempt counting, validation. */
class BackoffTest {
    private static long ms(Backoff b, long retry) {
        return b.delayFor(retry).toMillis();
    }

    /** A generator whose nextDouble() is always (almost) {@code 0} or (almost) {@code 1}. */
    private static RandomGenerator constant(long bits) {
        return () -> bits;
    }

    @Test
    void exponentialGrowsByTheMultiplierUntilTheCap() {
        Backoff b = Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(1), 10);
        assertEquals(100, ms(b, 0));
        assertEquals(200, ms(b, 1));
        assertEquals(400, ms(b, 2));
        assertEquals(800, ms(b, 3));
        assertEquals(1_000, ms(b, 4));
        assertEquals(1_000, ms(b, 1_000), "huge retry numbers do not overflow");
    }

    @Test
    void fixedIsMultiplierOne() {
        Backoff b = Backoff.fixed(Duration.ofMillis(250), 4);
        assertEquals(250, ms(b, 0));
        assertEquals(250, ms(b, 3));
        assertEquals(4, b.maxAttempts());
    }

    @Test
    void jitterStaysWithinItsFractionAndUnderTheCap() {
        Backoff low = Backoff.fixed(Duration.ofSeconds(1), 3).withJitter(0.2, constant(0));
        assertEquals(800, ms(low, 0), "lowest draw: 1 - jitter");
        Backoff high = Backoff.exponential(Duration.ofSeconds(1), 1.0, Duration.ofSeconds(2), 3)
                .withJitter(0.2, constant(-1L));
        assertEquals(1_200, ms(high, 0), "highest draw: just under 1 + jitter");
        Backoff capped = Backoff.fixed(Duration.ofSeconds(1), 3).withJitter(0.5, constant(-1L));
        assertEquals(1_000, ms(capped, 0), "jitter never exceeds max");
        Backoff random = Backoff.exponential(Duration.ofSeconds(1), 1.0, Duration.ofSeconds(5), 3)
                .withJitter(0.3);
        for (int i = 0; i < 200; i++) {
            long d = ms(random, 0);
            assertTrue(d >= 700 && d <= 1_300, "out of range: " + d);
        }
    }

    @Test
    void seededJitterIsReproducible() {
        Backoff a = Backoff.fixed(Duration.ofSeconds(1), 3).withJitter(0.5, new SplittableRandom(42));
        Backoff b = Backoff.fixed(Duration.ofSeconds(1), 3).withJitter(0.5, new SplittableRandom(42));
        for (int i = 0; i < 5; i++) {
            assertEquals(a.delayFor(i), b.delayFor(i));
        }
    }

    @Test
    void maxAttemptsCountsTheFirstAttempt() {
        Backoff b = Backoff.fixed(Duration.ZERO, 3);
        IOException e = new IOException("x");
        assertTrue(b.shouldRetry(e, 0));
        assertTrue(b.shouldRetry(e, 1));
        assertFalse(b.shouldRetry(e, 2), "third failure is the last attempt");
        assertFalse(Backoff.fixed(Duration.ZERO, 1).shouldRetry(e, 0), "one attempt: never retry");
    }

    @Test
    void retryOnFiltersAndReturnsANewPolicy() {
        Backoff all = Backoff.fixed(Duration.ZERO, 3);
        Backoff ioOnly = all.retryOn(t -> t instanceof IOException);
        assertTrue(ioOnly.shouldRetry(new IOException("x"), 0));
        assertFalse(ioOnly.shouldRetry(new IllegalStateException("x"), 0));
        assertTrue(all.shouldRetry(new IllegalStateException("x"), 0), "immutable: the original still retries all");
    }

    @Test
    void badArgumentsAreRejectedWithMessagesNamingTheFix() {
        Duration s = Duration.ofSeconds(1);
        assertThrows(NullPointerException.class, () -> Backoff.exponential(null, 2, s, 3));
        assertThrows(IllegalArgumentException.class, () -> Backoff.exponential(s.negated(), 2, s, 3));
        IllegalArgumentException m =
                assertThrows(IllegalArgumentException.class, () -> Backoff.exponential(s, 0.5, s, 3));
        assertTrue(m.getMessage().contains("multiplier"), m.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Backoff.exponential(s, Double.NaN, s, 3));
        assertThrows(IllegalArgumentException.class, () -> Backoff.exponential(s, 2, Duration.ofMillis(1), 3));
        IllegalArgumentException a = assertThrows(IllegalArgumentException.class, () -> Backoff.fixed(s, 0));
        assertTrue(a.getMessage().contains("maxAttempts"), a.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Backoff.fixed(s, 3).withJitter(1.5));
        assertThrows(IllegalArgumentException.class, () -> Backoff.fixed(s, 3).withJitter(-0.1));
        assertThrows(NullPointerException.class, () -> Backoff.fixed(s, 3).retryOn(null));
        assertThrows(IllegalArgumentException.class, () -> Backoff.fixed(s, 3).delayFor(-1));
    }

    @Test
    void toStringShowsThePolicy() {
        String s = Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(1), 3)
                .withJitter(0.1)
                .toString();
        assertTrue(s.contains("PT0.1S") && s.contains("maxAttempts=3") && s.contains("jitter=0.1"), s);
    }
}
