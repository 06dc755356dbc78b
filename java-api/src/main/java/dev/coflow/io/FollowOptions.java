package dev.coflow.io;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link AsyncFiles#follow(java.nio.file.Path, FollowOptions)} tails a file: immutable, each
 * {@code with...} method returns a copy. Defaults: start at the end (only lines appended after
 * the start), poll every 250 ms, fail 10 s after the file disappeared for good, UTF-8.
 *
 * {@snippet :
 * AsyncFiles.follow(Path.of("app.log"), FollowOptions.defaults()
 *         .fromBeginning()                          // tail -n +1 -F
 *         .withPollInterval(Duration.ofSeconds(1))
 *         .withDeletedGrace(Duration.ofMinutes(1)));
 * }
 *
 * <p>kotlinx counterpart: none; the shell's {@code tail -F}.
 */
public final class FollowOptions {
    private static final FollowOptions DEFAULTS =
            new FollowOptions(false, Duration.ofMillis(250), Duration.ofSeconds(10), StandardCharsets.UTF_8);

    final boolean fromBeginning;
    final Duration pollInterval;
    final Duration deletedGrace;
    final Charset charset;

    private FollowOptions(boolean fromBeginning, Duration pollInterval, Duration deletedGrace, Charset charset) {
        this.fromBeginning = fromBeginning;
        this.pollInterval = pollInterval;
        this.deletedGrace = deletedGrace;
        this.charset = charset;
    }

    /**
     * The defaults.
     *
     * @return start at the end, poll every 250 ms, 10 s grace for a deleted file, UTF-8
     */
    public static FollowOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Emit the lines already in the file first, then the appended ones.
     *
     * @return a copy that starts at byte 0
     */
    public FollowOptions fromBeginning() {
        return new FollowOptions(true, pollInterval, deletedGrace, charset);
    }

    /**
     * How long to wait, on the coroutine's clock, between two looks at the file.
     *
     * @param interval at least 1 ms
     * @return a copy
     * @throws IllegalArgumentException if {@code interval} is shorter than 1 ms
     */
    public FollowOptions withPollInterval(Duration interval) {
        Objects.requireNonNull(interval, "FollowOptions.withPollInterval: interval");
        if (interval.toMillis() < 1) {
            throw new IllegalArgumentException("FollowOptions.withPollInterval: interval must be >= 1 ms, was "
                    + interval + "; e.g. Duration.ofMillis(250)");
        }
        return new FollowOptions(fromBeginning, interval, deletedGrace, charset);
    }

    /**
     * How long the followed file may be missing (deleted, or between a rotation's rename and
     * re-creation) before the flow fails; {@code Duration.ZERO} fails at the first poll that
     * finds it missing.
     *
     * @param grace {@code >= 0}
     * @return a copy
     * @throws IllegalArgumentException if {@code grace} is negative
     */
    public FollowOptions withDeletedGrace(Duration grace) {
        Objects.requireNonNull(grace, "FollowOptions.withDeletedGrace: grace");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("FollowOptions.withDeletedGrace: grace must be >= 0, was " + grace
                    + "; e.g. Duration.ofSeconds(10)");
        }
        return new FollowOptions(fromBeginning, pollInterval, grace, charset);
    }

    /**
     * The file's encoding; malformed input fails the flow ({@link MalformedTextException}).
     *
     * @param charset the charset
     * @return a copy
     */
    public FollowOptions withCharset(Charset charset) {
        Objects.requireNonNull(charset, "FollowOptions.withCharset: charset");
        return new FollowOptions(fromBeginning, pollInterval, deletedGrace, charset);
    }

    @Override
    public String toString() {
        return "FollowOptions[fromBeginning=" + fromBeginning + ", pollInterval=" + pollInterval + ", deletedGrace="
                + deletedGrace + ", charset=" + charset + "]";
    }
}
