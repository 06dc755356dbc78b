package dev.coflow;

import java.util.Objects;
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
public sealed interface AsyncStateFlow<T> extends AsyncSharedFlow<T> permits MutableAsyncStateFlow, StateFlowView {
    /**
     * Wraps a kotlinx state flow; a {@code null} value fails with a {@link NullPointerException}
     * that names the fix.
     *
     * @param flow the kotlinx state flow
     * @param <T> the value type
     * @return a read-only view
     */
    @SuppressWarnings("unchecked")
    static <T> AsyncStateFlow<T> from(StateFlow<? extends T> flow) {
        Objects.requireNonNull(flow, "flow");
        return new StateFlowView<>((StateFlow<T>) flow, true);
    }

    /**
     * The current value. Never blocks. kotlinx counterpart: {@code value}.
     *
     * @return the current value, never null
     */
    T value();

    /**
     * The kotlinx state flow behind this view, for Kotlin code.
     *
     * @return the kotlinx {@code StateFlow}
     */
    @Override
    StateFlow<T> kotlinFlow();
}
