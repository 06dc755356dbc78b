package dev.coflow.kafka;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link KafkaFlows#consume consuming flow} buffers, commits and gives partitions back.
 * Immutable: each method returns a changed copy.
 *
 * {@snippet :
 * ConsumeOptions options = ConsumeOptions.defaults()
 *         .maxBuffered(1_000)                            // records between poll and downstream
 *         .commitEvery(500, Duration.ofSeconds(1))       // whichever comes first
 *         .revocationTimeout(Duration.ofSeconds(10));
 * }
 *
 * <p>kotlinx counterpart: none; Reactor Kafka's {@code ReceiverOptions} ({@code commitBatchSize},
 * {@code commitInterval}) is the nearest.
 *
 * @param maxBuffered records buffered between the consumer and the downstream before it pauses
 * @param commitBatchSize finished records that trigger a commit
 * @param commitInterval the longest time a finished record waits for its commit
 * @param revocationTimeout how long a revocation waits for in-flight records of revoked partitions
 * @param atMostOnce whether offsets are committed before records are emitted
 * @param listener the observer of assignments, pauses and commits
 */
public record ConsumeOptions(
        int maxBuffered,
        int commitBatchSize,
        Duration commitInterval,
        Duration revocationTimeout,
        boolean atMostOnce,
        ConsumerListener listener) {

    private static final ConsumerListener NONE = new ConsumerListener() {};

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if a count is not positive or a duration is negative
     * @throws NullPointerException if a duration or the listener is null
     */
    public ConsumeOptions {
        if (maxBuffered < 1) {
            throw new IllegalArgumentException("maxBuffered must be at least 1, was " + maxBuffered
                    + "; it bounds the records held between poll and the downstream");
        }
        if (commitBatchSize < 1) {
            throw new IllegalArgumentException("commitBatchSize must be at least 1, was " + commitBatchSize
                    + "; use 1 to commit after every record");
        }
        Objects.requireNonNull(commitInterval, "commitInterval");
        Objects.requireNonNull(revocationTimeout, "revocationTimeout");
        Objects.requireNonNull(listener, "listener");
        if (commitInterval.isNegative() || commitInterval.isZero()) {
            throw new IllegalArgumentException("commitInterval must be positive, was " + commitInterval);
        }
        if (revocationTimeout.isNegative()) {
            throw new IllegalArgumentException("revocationTimeout must not be negative, was " + revocationTimeout
                    + "; use Duration.ZERO to give revoked partitions back at once");
        }
    }

    /**
     * At-least-once, 2000 buffered records (four polls of the default {@code max.poll.records}), a commit every 100 finished records or every second,
     * 30 seconds for a revocation, no listener.
     *
     * @return the defaults
     */
    public static ConsumeOptions defaults() {
        return new ConsumeOptions(2000, 100, Duration.ofSeconds(1), Duration.ofSeconds(30), false, NONE);
    }

    /**
     * The bound of the buffer between the consumer and the downstream: when it is reached the
     * consumer pauses its partitions; it resumes them when the buffer is half empty. Memory stays
     * below {@code maxBuffered + max.poll.records} records whatever the lag. Keep it a few times
     * {@code max.poll.records}: a bound of one poll pauses and resumes after every poll (a quarter
     * of the throughput in this module's throughput test).
     *
     * @param records at least 1
     * @return a copy with the new bound
     */
    public ConsumeOptions maxBuffered(int records) {
        return new ConsumeOptions(records, commitBatchSize, commitInterval, revocationTimeout, atMostOnce, listener);
    }

    /**
     * Commits after {@code records} finished records or after {@code interval}, whichever comes
     * first (checked between polls, at least every 100 ms).
     *
     * @param records at least 1
     * @param interval positive
     * @return a copy with the new batching
     */
    public ConsumeOptions commitEvery(int records, Duration interval) {
        return new ConsumeOptions(maxBuffered, records, interval, revocationTimeout, atMostOnce, listener);
    }

    /**
     * How long a revocation waits for the in-flight records of the revoked partitions to finish
     * before it commits what is finished and gives the partitions back (the rest is redelivered to
     * the next owner). Keep it below {@code max.poll.interval.ms}.
     *
     * @param timeout not negative
     * @return a copy with the new timeout
     */
    public ConsumeOptions revocationTimeout(Duration timeout) {
        return new ConsumeOptions(maxBuffered, commitBatchSize, commitInterval, timeout, atMostOnce, listener);
    }

    /**
     * At-most-once: the offsets of each polled batch are committed before its records are
     * emitted, so a crash or a revocation loses them instead of redelivering them.
     *
     * @return a copy in at-most-once mode
     */
    public ConsumeOptions deliverAtMostOnce() {
        return new ConsumeOptions(maxBuffered, commitBatchSize, commitInterval, revocationTimeout, true, listener);
    }

    /**
     * The observer of assignments, pauses and commits.
     *
     * @param listener not null
     * @return a copy with the listener
     */
    public ConsumeOptions listener(ConsumerListener listener) {
        return new ConsumeOptions(
                maxBuffered, commitBatchSize, commitInterval, revocationTimeout, atMostOnce, listener);
    }
}
