package dev.coflow;

import java.util.concurrent.Flow.Publisher;
import kotlin.coroutines.CoroutineContext;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.jdk9.ReactiveFlowKt;

/**
 * {@code java.util.concurrent.Flow.Publisher} both ways, through kotlinx-coroutines-jdk9 (its
 * {@code ReactiveFlow.kt}), which follows the Reactive Streams rules: demand-driven, cancellation
 * with {@code Subscription.cancel()}, no element without a request.
 */
final class Publishers {
    private Publishers() {}

    @SuppressWarnings("unchecked")
    static <T> Flow<T> asFlow(Publisher<? extends T> publisher) {
        // kotlinx requests in batches of its default buffer size; a following buffer(n) fuses into it.
        return ReactiveFlowKt.asFlow((Publisher<T>) publisher);
    }

    static <T> Publisher<T> asPublisher(Flow<T> flow, CoroutineContext context) {
        return ReactiveFlowKt.asPublisher(flow, context);
    }
}
