package dev.coflow;

import kotlin.Unit;
import kotlin.coroutines.Continuation;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.FlowCollector;

/**
 * Wraps a foreign kotlinx flow so that a {@code null} element fails at once with a message that
 * names the source and the fix, instead of surfacing later as a puzzling NPE in user code.
 */
final class NonNullFlow<T> implements Flow<T> {
    private final Flow<? extends T> upstream;
    private final String operator;

    NonNullFlow(Flow<? extends T> upstream, String operator) {
        this.upstream = upstream;
        this.operator = operator;
    }

    @Override
    public Object collect(FlowCollector<? super T> collector, Continuation<? super Unit> continuation) {
        return upstream.collect(
                (FlowCollector<T>) (value, c) -> {
                    if (value == null) {
                        throw Checks.nullElement(
                                operator,
                                "the wrapped flow emitted null",
                                "map nulls away on the Kotlin side with filterNotNull(), or emit Optional");
                    }
                    return collector.emit(value, c);
                },
                continuation);
    }
}
