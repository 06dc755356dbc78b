package dev.coflow;

import java.util.List;
import kotlinx.coroutines.flow.SharedFlow;

/**
 * A hot flow: its values exist whether or not anyone collects, every subscriber sees the values
 * emitted while it is subscribed, and a new subscriber first receives the replay cache. Read-only
 * view; {@link MutableAsyncSharedFlow} can emit. kotlinx counterpart: {@code SharedFlow<T>}.
 *
 * {@snippet :
 * AsyncSharedFlow<Order> orders = orderEvents().shareIn(scope, SharingStarted.LAZILY, 0);
 * orders.asFlow().filter(Order::isLarge).take(10).forEach(alerts::send);
 * }
 *
 * <p>Collecting {@link #asFlow()} never completes on its own: stop with {@code take},
 * {@code takeWhile}, {@code first} or by cancelling the collector. Elements are non-null.
 * Not for implementation outside coflow; wrap a kotlinx {@code SharedFlow} with {@link #from}.
 *
 * @param <T> the element type
 */
public sealed interface AsyncSharedFlow<T> permits AsyncStateFlow, MutableAsyncSharedFlow, Share.SharedView {
    /**
     * Wraps a kotlinx shared flow; a {@code null} element fails with a {@link NullPointerException}
     * that names the fix.
     *
     * @param flow the kotlinx shared flow
     * @param <T> the element type
     * @return a read-only view
     */
    static <T> AsyncSharedFlow<T> from(SharedFlow<? extends T> flow) {
        return Share.view(flow);
    }

    /**
     * The subscription as an {@code AsyncFlow}: each collection is a new subscriber that receives
     * the replay cache, then every new value; it never completes on its own. kotlinx counterpart:
     * collecting the {@code SharedFlow}.
     *
     * @return a flow that subscribes when collected
     */
    AsyncFlow<T> asFlow();

    /**
     * A snapshot of the values a new subscriber would receive first. kotlinx counterpart:
     * {@code replayCache}.
     *
     * @return an unmodifiable list, oldest first
     */
    List<T> replayCache();

    /**
     * The kotlinx SharedFlow behind this one, for Kotlin code (the same object every time, no copy).
     * kotlinx counterpart: the {@code SharedFlow} itself.
     *
     * {@snippet :
     * SharedFlow<String> forKotlin = events.asKotlin();
     * }
     *
     * @return the kotlinx {@code SharedFlow}
     */
    @SuppressWarnings("deprecation")
    default SharedFlow<T> asKotlin() {
        return kotlinFlow();
    }

    /**
     * The kotlinx SharedFlow behind this one.
     *
     * @return the kotlinx {@code SharedFlow}
     * @deprecated renamed to {@link #asKotlin()}, the one name coflow uses for the kotlinx object
     *     behind any of its types
     */
    @Deprecated(since = "0.2")
    SharedFlow<T> kotlinFlow();
}
