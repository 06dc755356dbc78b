package dev.coflow;

import dev.coflow.bridge.Suspend;
import java.util.List;
import java.util.Objects;
import kotlinx.coroutines.flow.MutableSharedFlow;
import kotlinx.coroutines.flow.SharedFlow;
import kotlinx.coroutines.flow.StateFlow;

/**
 * What the hot-flow views share (kotlinx {@code SharedFlow.kt}/{@code StateFlow.kt}): subscribing
 * as an {@code AsyncFlow}, null checks on values that came from Kotlin code, and the suspend-like
 * {@code emit}.
 */
final class HotFlows {
    private static final String NULL_FIX = "; AsyncFlow elements are non-null (use Optional, or a sentinel value, "
            + "on the Kotlin side)";

    private HotFlows() {}

    /**
     * A collection of {@code flow} as an {@code AsyncFlow}. Own flows are wrapped directly, so that
     * kotlinx still sees a {@code SharedFlow} and fuses {@code buffer}/{@code flowOn} into it.
     */
    static <T> AsyncFlow<T> subscription(SharedFlow<T> flow, boolean foreign) {
        return foreign ? AsyncFlow.from(flow) : AsyncFlow.wrap(flow);
    }

    static <T> List<T> snapshot(SharedFlow<T> flow) {
        List<T> cache = flow.getReplayCache();
        for (T v : cache) {
            Objects.requireNonNull(v, () -> "replayCache: the shared flow holds null" + NULL_FIX);
        }
        return List.copyOf(cache);
    }

    static <T> T value(StateFlow<T> flow) {
        return Objects.requireNonNull(flow.getValue(), () -> "value: the state flow holds null" + NULL_FIX);
    }

    static <T> T checkValue(String operation, T value) {
        return Objects.requireNonNull(value, () -> operation + ": value must not be null; hot flows hold non-null "
                + "values (use Optional for \"no value\")");
    }

    /** kotlinx's own {@code emit} tries without suspending first; doing it here also saves a hand-off. */
    static <T> void emit(MutableSharedFlow<T> flow, T value) {
        checkValue("emit", value);
        if (!flow.tryEmit(value)) {
            Suspend.call(c -> flow.emit(value, c));
        }
    }
}
