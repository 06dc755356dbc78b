package dev.coflow;

import kotlinx.coroutines.channels.BufferOverflow;
import kotlinx.coroutines.flow.MutableSharedFlow;

/**
 * A shared flow that Java code emits into: an event bus whose subscribers are flows. With the
 * default {@link BufferOverflow#SUSPEND} policy a slow subscriber makes {@link #emit} wait (it never
 * loses values); with {@code DROP_OLDEST}/{@code DROP_LATEST} emitting never waits. Values emitted
 * while nobody is subscribed only go to the replay cache. Thread-safe. kotlinx counterpart:
 * {@code MutableSharedFlow<T>}.
 *
 * {@snippet :
 * MutableAsyncSharedFlow<String> events = MutableAsyncSharedFlow.create(0, 64, BufferOverflow.DROP_OLDEST);
 * events.tryEmit("user logged in");               // never waits, from any thread
 * AsyncSharedFlow<String> readOnly = events.asReadOnly();
 * }
 *
 * @param <T> the element type
 */
public sealed interface MutableAsyncSharedFlow<T> extends AsyncSharedFlow<T>
        permits MutableAsyncStateFlow, Share.MutableShared {
    /**
     * A shared flow without replay or buffer: {@link #emit} waits until every subscriber has
     * received the value. kotlinx counterpart: {@code MutableSharedFlow()}.
     *
     * @param <T> the element type
     * @return a new shared flow
     */
    static <T> MutableAsyncSharedFlow<T> create() {
        return create(0, 0, BufferOverflow.SUSPEND);
    }

    /**
     * A shared flow that replays the last {@code replay} values to new subscribers. kotlinx
     * counterpart: {@code MutableSharedFlow(replay)}.
     *
     * @param replay how many values a new subscriber receives first, {@code >= 0}
     * @param <T> the element type
     * @return a new shared flow
     */
    static <T> MutableAsyncSharedFlow<T> create(int replay) {
        return create(replay, 0, BufferOverflow.SUSPEND);
    }

    /**
     * A shared flow with a replay cache, extra buffer room for slow subscribers, and a policy for
     * when that buffer is full. kotlinx counterpart:
     * {@code MutableSharedFlow(replay, extraBufferCapacity, onBufferOverflow)}.
     *
     * @param replay how many values a new subscriber receives first, {@code >= 0}
     * @param extraBufferCapacity room beyond {@code replay} before {@code onBufferOverflow} applies, {@code >= 0}
     * @param onBufferOverflow {@code SUSPEND} (emit waits), {@code DROP_OLDEST} or {@code DROP_LATEST}
     * @param <T> the element type
     * @return a new shared flow
     * @throws IllegalArgumentException if a size is negative, or a drop policy has no buffer to drop from
     */
    static <T> MutableAsyncSharedFlow<T> create(int replay, int extraBufferCapacity, BufferOverflow onBufferOverflow) {
        return Share.mutableShared(replay, extraBufferCapacity, onBufferOverflow);
    }

    /**
     * Emits a value to every current subscriber. May wait (suspend-like: inside a coroutine body
     * it suspends, from plain Java it blocks) while a {@code SUSPEND} buffer is full. kotlinx
     * counterpart: {@code emit}.
     *
     * @param value the value, not null
     * @throws java.util.concurrent.CancellationException if the calling coroutine is cancelled while waiting
     */
    void emit(T value);

    /**
     * Emits a value if that needs no waiting; never blocks. kotlinx counterpart: {@code tryEmit}.
     *
     * @param value the value, not null
     * @return {@code false} if a {@code SUSPEND} buffer is full (the value was not emitted)
     */
    boolean tryEmit(T value);

    /**
     * The number of active subscribers, as a state flow (read {@code .value()}, or collect it to
     * react to the first subscriber). kotlinx counterpart: {@code subscriptionCount}.
     *
     * @return the subscriber count
     */
    AsyncStateFlow<Integer> subscriptionCount();

    /**
     * Clears the replay cache; values already buffered for slow subscribers are still delivered.
     * Not supported by a state flow. kotlinx counterpart: {@code resetReplayCache}.
     *
     * @throws UnsupportedOperationException on a {@link MutableAsyncStateFlow}
     */
    void resetReplayCache();

    /**
     * A read-only view of this flow, to hand out without letting others emit. kotlinx
     * counterpart: {@code asSharedFlow()}.
     *
     * @return the read-only view
     */
    AsyncSharedFlow<T> asReadOnly();

    /**
     * The kotlinx MutableSharedFlow behind this one, for Kotlin code (the same object every time, no copy).
     * kotlinx counterpart: the {@code MutableSharedFlow} itself.
     *
     * {@snippet :
     * MutableSharedFlow<String> forKotlin = events.asKotlin();
     * }
     *
     * @return the kotlinx {@code MutableSharedFlow}
     */
    @Override
    @SuppressWarnings("deprecation")
    default MutableSharedFlow<T> asKotlin() {
        return kotlinFlow();
    }

    /**
     * The kotlinx MutableSharedFlow behind this one.
     *
     * @return the kotlinx {@code MutableSharedFlow}
     * @deprecated renamed to {@link #asKotlin()}, the one name coflow uses for the kotlinx object
     *     behind any of its types
     */
    @Deprecated(since = "0.2")
    @Override
    MutableSharedFlow<T> kotlinFlow();
}
