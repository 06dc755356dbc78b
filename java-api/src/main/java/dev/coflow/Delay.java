package dev.coflow;

import java.time.Duration;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.FlowKt;

/**
 * Time-based operators (kotlinx {@code operators/Delay.kt}): {@code debounce} and {@code sample},
 * delegated to kotlinx's millisecond overloads so that they wait on the collector's clock (virtual
 * under a test dispatcher).
 */
final class Delay {
    private Delay() {}

    static <T> Flow<T> debounce(Flow<T> upstream, long millis) {
        return FlowKt.debounce(upstream, millis);
    }

    static <T> Flow<T> sample(Flow<T> upstream, long millis) {
        return FlowKt.sample(upstream, millis);
    }

    /**
     * Whole milliseconds, rounding a fractional millisecond up as kotlinx does for its
     * {@code Duration} overloads; huge durations saturate.
     */
    static long ceilMillis(Duration d) {
        try {
            long ms = d.toMillis();
            return d.minusMillis(ms).isZero() ? ms : Math.addExact(ms, 1);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
