package dev.coflow;

import kotlinx.coroutines.flow.StateFlow;

/**
 * A hot flow that always has a current value: a subscriber first receives the value at the
 * moment it subscribes, then each later value that differs ({@link Object#equals}) from the one
 * before. A slow subscriber skips intermediate values (conflation): it always catches up to the
 * latest. Read-only view; {@link MutableAsyncStateFlow} can change it. kotlinx counterpart:
 * {@code StateFlow<T>}.
 *
 * {@snippet :
 * AsyncStateFlow<Integer> online = presence.onlineCount();
 * int now = online.value();                                        // read at any time
 * online.asFlow().takeWhile(n -> n > 0).forEach(dashboard::show);  // current value, then changes
 * }
 *
 * <p>Not for implementation outside coflow; wrap a kotlinx {@code StateFlow} with {@link #from}.
 *
 * @param <T> the value type
 */
public sealed interface AsyncStateFlow<T> extends AsyncSharedFlow<T> permits MutableAsyncStateFlow, Share.StateView {
    /**
     * Wraps a kotlinx state flow; a {@code null} value fails with a {@link NullPointerException}
     * that names the fix.
     *
     * @param flow the kotlinx state flow
     * @param <T> the value type
     * @return a read-only view
     */
    static <T> AsyncStateFlow<T> from(StateFlow<? extends T> flow) {
        return Share.view(flow);
    }

    /**
     * The current value. Never blocks. kotlinx counterpart: {@code value}.
     *
     * @return the current value, never null
     */
    T value();

    /**
     * The kotlinx StateFlow behind this one, for Kotlin code (the same object every time, no copy).
     * kotlinx counterpart: the {@code StateFlow} itself.
     *
     * {@snippet :
     * StateFlow<String> forKotlin = events.asKotlin();
     * }
     *
     * @return the kotlinx {@code StateFlow}
     */
    @Override
    @SuppressWarnings("deprecation")
    default StateFlow<T> asKotlin() {
        return kotlinFlow();
    }

    /**
     * The kotlinx StateFlow behind this one.
     *
     * @return the kotlinx {@code StateFlow}
     * @deprecated renamed to {@link #asKotlin()}, the one name coflow uses for the kotlinx object
     *     behind any of its types
     */
    @Deprecated(since = "0.2")
    @Override
    StateFlow<T> kotlinFlow();
}
