package dev.coflow;

import java.util.function.UnaryOperator;
import kotlinx.coroutines.flow.MutableStateFlow;

/**
 * A state flow that Java code updates: an observable, thread-safe variable. Setting a value that
 * equals the current one does nothing; subscribers see the latest value, skipping intermediate
 * ones if they are slow (conflation). Never waits. kotlinx counterpart: {@code MutableStateFlow<T>}.
 *
 * {@snippet :
 * MutableAsyncStateFlow<Integer> counter = MutableAsyncStateFlow.create(0);
 * counter.update(n -> n + 1);                       // atomic read-modify-write
 * AsyncStateFlow<Integer> readOnly = counter.asReadOnly();
 * readOnly.asFlow().forEach(System.out::println);   // 1, then each change
 * }
 *
 * @param <T> the value type
 */
public sealed interface MutableAsyncStateFlow<T> extends AsyncStateFlow<T>, MutableAsyncSharedFlow<T>
        permits Share.MutableState {
    /**
     * A state flow with an initial value. kotlinx counterpart: {@code MutableStateFlow(value)}.
     *
     * @param initial the first value, not null
     * @param <T> the value type
     * @return a new state flow
     */
    static <T> MutableAsyncStateFlow<T> create(T initial) {
        return Share.mutableState(initial);
    }

    /**
     * Sets the value; subscribers are notified if it differs from the current one. Never waits.
     * kotlinx counterpart: {@code value = x}.
     *
     * @param value the new value, not null
     */
    void set(T value);

    /**
     * Sets the value to {@code update} if the current value equals {@code expect}. kotlinx
     * counterpart: {@code compareAndSet}.
     *
     * @param expect the expected current value, not null
     * @param update the new value, not null
     * @return whether the value was set
     */
    boolean compareAndSet(T expect, T update);

    /**
     * Atomically replaces the value with {@code fn(current)}; {@code fn} may be called more than
     * once under contention, so it must be free of side effects. kotlinx counterpart: {@code update}.
     *
     * @param fn computes the new value, must not return null
     */
    void update(UnaryOperator<T> fn);

    /**
     * Like {@link #update}, returning the new value. kotlinx counterpart: {@code updateAndGet}.
     *
     * @param fn computes the new value, must not return null
     * @return the new value
     */
    T updateAndGet(UnaryOperator<T> fn);

    /**
     * A read-only view of this flow. kotlinx counterpart: {@code asStateFlow()}.
     *
     * @return the read-only view
     */
    @Override
    AsyncStateFlow<T> asReadOnly();

    /**
     * The kotlinx MutableStateFlow behind this one, for Kotlin code (the same object every time, no copy).
     * kotlinx counterpart: the {@code MutableStateFlow} itself.
     *
     * {@snippet :
     * MutableStateFlow<String> forKotlin = events.asKotlin();
     * }
     *
     * @return the kotlinx {@code MutableStateFlow}
     */
    @Override
    @SuppressWarnings("deprecation")
    default MutableStateFlow<T> asKotlin() {
        return kotlinFlow();
    }

    /**
     * The kotlinx MutableStateFlow behind this one.
     *
     * @return the kotlinx {@code MutableStateFlow}
     * @deprecated renamed to {@link #asKotlin()}, the one name coflow uses for the kotlinx object
     *     behind any of its types
     */
    @Deprecated(since = "0.2")
    @Override
    MutableStateFlow<T> kotlinFlow();
}
