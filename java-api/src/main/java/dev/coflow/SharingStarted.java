package dev.coflow;

import java.time.Duration;
import java.util.Objects;

/**
 * When the sharing coroutine of {@link AsyncFlow#stateIn} / {@link AsyncFlow#shareIn} runs the
 * upstream: {@link #EAGERLY}, {@link #LAZILY} or {@link #whileSubscribed(Duration)}. A Java view of
 * kotlinx's {@code SharingStarted}; {@link #kotlin()} returns the kotlinx strategy.
 *
 * {@snippet :
 * AsyncStateFlow<Stats> stats = statsFeed()
 *         .stateIn(scope, SharingStarted.whileSubscribed(Duration.ofSeconds(5)), Stats.EMPTY);
 * }
 */
public final class SharingStarted {
    /**
     * Starts the upstream at once and never stops it (until the scope is cancelled). kotlinx
     * counterpart: {@code SharingStarted.Eagerly}.
     */
    public static final SharingStarted EAGERLY =
            new SharingStarted(kotlinx.coroutines.flow.SharingStarted.Companion.getEagerly(), "EAGERLY");

    /**
     * Starts the upstream when the first subscriber appears and never stops it (until the scope is
     * cancelled). kotlinx counterpart: {@code SharingStarted.Lazily}.
     */
    public static final SharingStarted LAZILY =
            new SharingStarted(kotlinx.coroutines.flow.SharingStarted.Companion.getLazily(), "LAZILY");

    private final kotlinx.coroutines.flow.SharingStarted kotlin;
    private final String name;

    private SharingStarted(kotlinx.coroutines.flow.SharingStarted kotlin, String name) {
        this.kotlin = kotlin;
        this.name = name;
    }

    /**
     * {@link #EAGERLY} as a method, for symmetry with {@link #whileSubscribed()}. kotlinx
     * counterpart: {@code SharingStarted.Eagerly}.
     *
     * {@snippet :
     * AsyncStateFlow<Config> config = updates.stateIn(scope, SharingStarted.eagerly(), Config.DEFAULT);
     * }
     *
     * @return the strategy
     */
    public static SharingStarted eagerly() {
        return EAGERLY;
    }

    /**
     * {@link #LAZILY} as a method, for symmetry with {@link #whileSubscribed()}. kotlinx
     * counterpart: {@code SharingStarted.Lazily}.
     *
     * {@snippet :
     * AsyncSharedFlow<Quote> quotes = feed.shareIn(scope, SharingStarted.lazily(), 1);
     * }
     *
     * @return the strategy
     */
    public static SharingStarted lazily() {
        return LAZILY;
    }

    /**
     * Runs the upstream while there are subscribers: starts it with the first one, stops it at
     * once when the last one leaves, and keeps the replay cache. kotlinx counterpart:
     * {@code SharingStarted.WhileSubscribed()}.
     *
     * @return the strategy
     */
    public static SharingStarted whileSubscribed() {
        return whileSubscribed(Duration.ZERO);
    }

    /**
     * Runs the upstream while there are subscribers, and for {@code stopTimeout} after the last one
     * leaves (a subscriber that comes back within the timeout finds the upstream still running,
     * e.g. across a screen rotation or a page reload). kotlinx counterpart:
     * {@code SharingStarted.WhileSubscribed(stopTimeoutMillis)}.
     *
     * {@snippet :
     * prices.shareIn(scope, SharingStarted.whileSubscribed(Duration.ofSeconds(5)), 1);
     * }
     *
     * @param stopTimeout how long to keep running without subscribers, {@code >= 0}
     * @return the strategy
     * @throws IllegalArgumentException if {@code stopTimeout} is negative
     */
    public static SharingStarted whileSubscribed(Duration stopTimeout) {
        return whileSubscribed(stopTimeout, null);
    }

    /**
     * Like {@link #whileSubscribed(Duration)}, and also clears the replay cache (a state flow goes
     * back to its initial value) {@code replayExpiration} after the upstream stopped. kotlinx
     * counterpart: {@code SharingStarted.WhileSubscribed(stopTimeoutMillis, replayExpirationMillis)}.
     *
     * @param stopTimeout how long to keep running without subscribers, {@code >= 0}
     * @param replayExpiration how long to keep the replay cache after stopping, {@code >= 0}
     * @return the strategy
     * @throws IllegalArgumentException if a duration is negative
     */
    public static SharingStarted whileSubscribed(Duration stopTimeout, Duration replayExpiration) {
        Objects.requireNonNull(stopTimeout, "stopTimeout");
        long stop = millis("stopTimeout", stopTimeout);
        long expire = replayExpiration == null ? Long.MAX_VALUE : millis("replayExpiration", replayExpiration);
        String text =
                "whileSubscribed(" + stopTimeout + (replayExpiration == null ? "" : ", " + replayExpiration) + ")";
        return new SharingStarted(kotlinx.coroutines.flow.SharingStarted.Companion.WhileSubscribed(stop, expire), text);
    }

    /**
     * Wraps a kotlinx strategy (including custom ones).
     *
     * @param strategy the kotlinx strategy
     * @return the Java view
     */
    public static SharingStarted from(kotlinx.coroutines.flow.SharingStarted strategy) {
        Objects.requireNonNull(strategy, "strategy");
        return new SharingStarted(strategy, strategy.toString());
    }

    /**
     * The kotlinx strategy behind this one, for Kotlin code. kotlinx counterpart: the
     * {@code SharingStarted} itself.
     *
     * {@snippet :
     * kotlinx.coroutines.flow.SharingStarted k = SharingStarted.LAZILY.asKotlin();
     * }
     *
     * @return the kotlinx {@code SharingStarted}
     */
    public kotlinx.coroutines.flow.SharingStarted asKotlin() {
        return kotlin;
    }

    /**
     * The kotlinx strategy behind this one.
     *
     * @return the kotlinx {@code SharingStarted}
     * @deprecated renamed to {@link #asKotlin()}, the one name coflow uses for the kotlinx object
     *     behind any of its types
     */
    @Deprecated(since = "0.2")
    public kotlinx.coroutines.flow.SharingStarted kotlin() {
        return kotlin;
    }

    @Override
    public String toString() {
        return "SharingStarted." + name;
    }

    private static long millis(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(
                    name + " must not be negative, was " + d + "; use Duration.ZERO to stop at once");
        }
        try {
            return d.toMillis();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
