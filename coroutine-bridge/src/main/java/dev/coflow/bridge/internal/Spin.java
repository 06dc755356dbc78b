package dev.coflow.bridge.internal;

/**
 * The one bounded spin of coflow's hand-offs ({@code Fiber}, {@code CallerLoop} and the
 * caller-thread buffer): a side that waits for the other polls for up to
 * {@code -Dcoflow.spinNanos} (default 5 µs) with {@link Thread#onSpinWait()} between polls, then
 * parks or suspends. Bounded by time, not by a count: {@code Thread.onSpinWait()} costs from a few
 * to ~25 ns depending on the CPU, and a spin that outlasts the other side's usual answer (well under
 * a microsecond when it is running) only burns a core that the other side may need.
 * {@code -Dcoflow.spinNanos=0} disables spinning.
 *
 * <p>Not part of coflow's API: public only so that the java-api module can use it.
 */
public final class Spin {
    /** How long a side spins before it parks or suspends; {@code coflow.spinNanos}. */
    public static final long NANOS = Long.getLong("coflow.spinNanos", 5_000L);
    /** Whether spinning is enabled at all ({@link #NANOS} {@code > 0}). */
    public static final boolean ENABLED = NANOS > 0;
    /** The deadline to pass to the first {@link #step}. */
    public static final long NOT_STARTED = Long.MAX_VALUE;
    /** Returned by {@link #step} once the spin is over. */
    public static final long DONE = Long.MIN_VALUE;

    private Spin() {}

    /**
     * One step of a bounded spin: pauses the CPU once and, every 32 steps, checks the clock.
     * Start with {@code i == 0} and {@link #NOT_STARTED}; returns the deadline to pass to the
     * next step, or {@link #DONE} once {@link #NANOS} are spent (at once when spinning is off).
     *
     * @param i the number of steps taken so far
     * @param deadline what the previous step returned, or {@link #NOT_STARTED}
     * @return the deadline for the next step, or {@link #DONE}
     */
    public static long step(int i, long deadline) {
        if (!ENABLED) {
            return DONE;
        }
        Thread.onSpinWait();
        if ((i & 31) != 0) {
            return deadline;
        }
        long now = System.nanoTime();
        if (deadline == NOT_STARTED) {
            return now + NANOS;
        }
        return now - deadline > 0 ? DONE : deadline;
    }

    /**
     * The deadline of a spin that starts now, for {@link #spunOut}.
     *
     * @return {@code System.nanoTime()} plus the spin budget
     */
    public static long deadline() {
        return System.nanoTime() + NANOS;
    }

    /**
     * The variant with a clock check per poll, for polls that are themselves costly: true when
     * the spin should end (spinning is off, or poll {@code i > 0} is past {@code deadline}), else
     * pauses {@code pauses} times before the next poll and returns false.
     *
     * @param i the number of polls made so far
     * @param deadline from {@link #deadline()}
     * @param pauses CPU pauses before the next poll
     * @return true when the caller should stop spinning and park
     */
    public static boolean spunOut(int i, long deadline, int pauses) {
        if (!ENABLED || i > 0 && System.nanoTime() - deadline > 0) {
            return true;
        }
        for (int k = 0; k < pauses; k++) {
            Thread.onSpinWait();
        }
        return false;
    }
}
