package dev.coflow;

import dev.coflow.bridge.Suspend;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import kotlin.jvm.functions.Function1;
import kotlinx.coroutines.CoroutineScope;
import kotlinx.coroutines.channels.BufferOverflow;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.FlowKt;
import kotlinx.coroutines.flow.MutableSharedFlow;
import kotlinx.coroutines.flow.MutableStateFlow;
import kotlinx.coroutines.flow.SharedFlow;
import kotlinx.coroutines.flow.SharedFlowKt;
import kotlinx.coroutines.flow.StateFlow;
import kotlinx.coroutines.flow.StateFlowKt;

/**
 * The hot flows (kotlinx {@code SharedFlow.kt}, {@code StateFlow.kt}, {@code Share.kt}): the
 * factories behind {@link MutableAsyncSharedFlow#create}, {@link MutableAsyncStateFlow#create},
 * {@link AsyncSharedFlow#from}, {@link AsyncStateFlow#from}, {@link AsyncFlow#shareIn} and
 * {@link AsyncFlow#stateIn}, and the four implementations, each a thin view of a kotlinx flow.
 *
 * <p>The public interfaces only declare and delegate here; every implementation shares one base,
 * {@link View}, for subscribing, the replay snapshot and the wrapped flow. Values that come from
 * Kotlin code ("foreign" flows) are checked for null where they are read.
 */
final class Share {
    private static final String NULL_FIX = "use Optional, or a sentinel value, on the Kotlin side";

    private Share() {}

    // region factories ----------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    static <T> AsyncSharedFlow<T> view(SharedFlow<? extends T> flow) {
        Objects.requireNonNull(flow, "flow");
        return new SharedView<>((SharedFlow<T>) flow, true);
    }

    @SuppressWarnings("unchecked")
    static <T> AsyncStateFlow<T> view(StateFlow<? extends T> flow) {
        Objects.requireNonNull(flow, "flow");
        return new StateView<>((StateFlow<T>) flow, true);
    }

    static <T> MutableAsyncSharedFlow<T> mutableShared(
            int replay, int extraBufferCapacity, BufferOverflow onBufferOverflow) {
        Objects.requireNonNull(onBufferOverflow, "onBufferOverflow");
        if (replay < 0) {
            throw new IllegalArgumentException("replay must be >= 0, was " + replay);
        }
        if (extraBufferCapacity < 0) {
            throw new IllegalArgumentException("extraBufferCapacity must be >= 0, was " + extraBufferCapacity);
        }
        if (onBufferOverflow != BufferOverflow.SUSPEND && replay == 0 && extraBufferCapacity == 0) {
            throw new IllegalArgumentException("onBufferOverflow " + onBufferOverflow + " needs a buffer to drop from: "
                    + "use replay > 0 or extraBufferCapacity > 0, or BufferOverflow.SUSPEND");
        }
        return new MutableShared<>(SharedFlowKt.MutableSharedFlow(replay, extraBufferCapacity, onBufferOverflow));
    }

    static <T> MutableAsyncStateFlow<T> mutableState(T initial) {
        Objects.requireNonNull(initial, "initial");
        return new MutableState<>(StateFlowKt.MutableStateFlow(initial));
    }

    static <T> AsyncStateFlow<T> stateIn(Flow<T> upstream, CoroutineScope scope, SharingStarted started, T initial) {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(initial, "initial");
        return new StateView<>(FlowKt.stateIn(upstream, scope, started.asKotlin(), initial), false);
    }

    static <T> AsyncSharedFlow<T> shareIn(Flow<T> upstream, CoroutineScope scope, SharingStarted started, int replay) {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(started, "started");
        if (replay < 0) {
            throw new IllegalArgumentException("shareIn: replay must be >= 0, was " + replay + "; use 0 for no replay");
        }
        return new SharedView<>(FlowKt.shareIn(upstream, scope, started.asKotlin(), replay), false);
    }

    // endregion
    // region implementations ----------------------------------------------------------------------

    /**
     * What every hot-flow view shares: subscribing as an {@code AsyncFlow}, the replay snapshot and
     * the wrapped kotlinx flow. Each subclass implements its public interface.
     *
     * @param <T> the element type
     * @param <F> the wrapped kotlinx flow type, returned by {@link #asKotlin()}
     */
    abstract static class View<T, F extends SharedFlow<T>> {
        final F flow;
        private final boolean foreign;

        /** {@code foreign}: the flow may hold nulls (it came from Kotlin code), so check each element. */
        View(F flow, boolean foreign) {
            this.flow = flow;
            this.foreign = foreign;
        }

        /**
         * A collection of the flow as an {@code AsyncFlow}. Own flows are wrapped directly, so that
         * kotlinx still sees a {@code SharedFlow} and fuses {@code buffer}/{@code flowOn} into it.
         */
        public AsyncFlow<T> asFlow() {
            return foreign ? AsyncFlow.from(flow) : AsyncFlow.wrap(flow);
        }

        public List<T> replayCache() {
            List<T> cache = flow.getReplayCache();
            for (T v : cache) {
                if (v == null) {
                    throw Checks.nullElement("replayCache", "the shared flow holds null", NULL_FIX);
                }
            }
            return List.copyOf(cache);
        }

        public F asKotlin() {
            return flow;
        }

        @SuppressWarnings("deprecation")
        public F kotlinFlow() {
            return flow;
        }

        /** The state flow's value, checked when it came from Kotlin code. */
        static <T> T value(StateFlow<T> flow) {
            T v = flow.getValue();
            if (v == null) {
                throw Checks.nullElement("value", "the state flow holds null", NULL_FIX);
            }
            return v;
        }
    }

    /** A read-only {@link AsyncSharedFlow} over a kotlinx {@code SharedFlow}. */
    static final class SharedView<T> extends View<T, SharedFlow<T>> implements AsyncSharedFlow<T> {
        SharedView(SharedFlow<T> flow, boolean foreign) {
            super(flow, foreign);
        }

        @Override
        public String toString() {
            return "AsyncSharedFlow[replayCache=" + flow.getReplayCache() + "]";
        }
    }

    /** A read-only {@link AsyncStateFlow} over a kotlinx {@code StateFlow}. */
    static final class StateView<T> extends View<T, StateFlow<T>> implements AsyncStateFlow<T> {
        StateView(StateFlow<T> flow, boolean foreign) {
            super(flow, foreign);
        }

        @Override
        public T value() {
            return value(flow);
        }

        @Override
        public String toString() {
            return "AsyncStateFlow[value=" + flow.getValue() + "]";
        }
    }

    /** {@link MutableAsyncSharedFlow} over a kotlinx {@code MutableSharedFlow}. */
    static final class MutableShared<T> extends View<T, MutableSharedFlow<T>> implements MutableAsyncSharedFlow<T> {
        MutableShared(MutableSharedFlow<T> flow) {
            super(flow, false);
        }

        @Override
        public void emit(T value) {
            Share.emit(flow, value);
        }

        @Override
        public boolean tryEmit(T value) {
            return flow.tryEmit(checkValue("tryEmit", value));
        }

        @Override
        public AsyncStateFlow<Integer> subscriptionCount() {
            return new StateView<>(flow.getSubscriptionCount(), false);
        }

        @Override
        public void resetReplayCache() {
            flow.resetReplayCache();
        }

        @Override
        public AsyncSharedFlow<T> asReadOnly() {
            return new SharedView<>(FlowKt.asSharedFlow(flow), false);
        }

        @Override
        public String toString() {
            return "MutableAsyncSharedFlow[replayCache=" + flow.getReplayCache() + "]";
        }
    }

    /** {@link MutableAsyncStateFlow} over a kotlinx {@code MutableStateFlow}. */
    static final class MutableState<T> extends View<T, MutableStateFlow<T>> implements MutableAsyncStateFlow<T> {
        MutableState(MutableStateFlow<T> flow) {
            super(flow, false);
        }

        @Override
        public T value() {
            return flow.getValue();
        }

        @Override
        public void set(T value) {
            flow.setValue(checkValue("set", value));
        }

        @Override
        public boolean compareAndSet(T expect, T update) {
            return flow.compareAndSet(
                    checkValue("compareAndSet(expect)", expect), checkValue("compareAndSet(update)", update));
        }

        @Override
        public void update(UnaryOperator<T> fn) {
            StateFlowKt.update(flow, checked(fn));
        }

        @Override
        public T updateAndGet(UnaryOperator<T> fn) {
            return StateFlowKt.updateAndGet(flow, checked(fn));
        }

        @Override
        public void emit(T value) {
            set(value);
        }

        @Override
        public boolean tryEmit(T value) {
            set(value);
            return true;
        }

        @Override
        public AsyncStateFlow<Integer> subscriptionCount() {
            return new StateView<>(flow.getSubscriptionCount(), false);
        }

        @Override
        public void resetReplayCache() {
            throw new UnsupportedOperationException(
                    "resetReplayCache: a state flow always has a value; set a new one instead");
        }

        @Override
        public AsyncStateFlow<T> asReadOnly() {
            return new StateView<>(FlowKt.asStateFlow(flow), false);
        }

        /** A state flow's replay cache is its value; no copy of kotlinx's list is needed. */
        @Override
        public List<T> replayCache() {
            return List.of(flow.getValue());
        }

        @Override
        public String toString() {
            return "MutableAsyncStateFlow[value=" + flow.getValue() + "]";
        }

        private static <T> Function1<T, T> checked(UnaryOperator<T> fn) {
            Objects.requireNonNull(fn, "fn");
            return v -> checkValue("update", fn.apply(v));
        }
    }

    // endregion
    // region shared rules -------------------------------------------------------------------------

    static <T> T checkValue(String operation, T value) {
        if (value == null) {
            throw Checks.nullElement(operation, "value must not be null", "use Optional for \"no value\"");
        }
        return value;
    }

    /** kotlinx's own {@code emit} tries without suspending first; doing it here also saves a hand-off. */
    static <T> void emit(MutableSharedFlow<T> flow, T value) {
        checkValue("emit", value);
        if (!flow.tryEmit(value)) {
            Suspend.call(c -> flow.emit(value, c));
        }
    }

    // endregion
}
