package dev.coflow;

import dev.coflow.bridge.internal.CallerThreadDispatcher;
import kotlin.Unit;
import kotlin.coroutines.Continuation;
import kotlin.coroutines.ContinuationInterceptor;
import kotlin.coroutines.CoroutineContext;
import kotlinx.coroutines.Dispatchers;
import kotlinx.coroutines.channels.BufferOverflow;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.FlowCollector;
import kotlinx.coroutines.flow.FlowKt;

/**
 * The context operators (kotlinx {@code operators/Context.kt}): {@code buffer}, {@code conflate}
 * and {@code flowOn}. A buffer is kotlinx's channel buffer plus one coflow rule, see
 * {@link Buffered}.
 */
final class Context {
    private Context() {}

    static <T> Flow<T> buffer(Flow<T> upstream, int capacity, BufferOverflow overflow) {
        Flow<T> source = unwrap(upstream);
        return new Buffered<>(FlowKt.buffer(source, capacity, overflow), source, capacity, overflow);
    }

    static <T> Flow<T> conflate(Flow<T> upstream) {
        return new Buffered<>(FlowKt.conflate(unwrap(upstream)), null, 0, BufferOverflow.DROP_OLDEST);
    }

    /** {@code flowOn} after a buffer fuses with it; the explicit context then decides. */
    static <T> Flow<T> flowOn(Flow<T> upstream, CoroutineContext context) {
        return FlowKt.flowOn(unwrap(upstream), context);
    }

    private static <T> Flow<T> unwrap(Flow<T> flow) {
        return flow instanceof Buffered<T> b ? b.buffered : flow;
    }

    /**
     * {@code buffer}/{@code conflate}: kotlinx's channel buffer, plus one coflow rule. When the flow
     * is collected by a blocking coflow terminal, the consumer's code occupies the calling thread, so
     * a producer left on that thread could only run while the consumer waits: a blocking consumer
     * would never overlap with it (docs/semantics.md §2). There the producer is moved to
     * {@code Dispatchers.Default} (for a suspending buffer over an unfused upstream by
     * {@link CallerBuffer}, a ring drained in batches; otherwise kotlinx {@code flowOn}, fused into
     * the same channel), where a
     * generator body runs on its own virtual thread without a handoff per element. Anywhere else
     * (a Kotlin collector, a test dispatcher with virtual time) it is exactly kotlinx's buffer.
     *
     * <p>The kotlinx flow stays reachable in {@link #buffered}, so consecutive buffers and a later
     * {@code flowOn} fuse as in kotlinx.
     */
    static final class Buffered<T> implements Flow<T> {
        final Flow<T> buffered;
        private final Flow<T> offCaller;
        /** The upstream of a {@code buffer} that {@link CallerBuffer} may run on a caller loop, else null. */
        private final Flow<T> ring;

        private final int capacity;
        /** The upstream and overflow of a {@code buffer} (null for {@code conflate}), for metrics. */
        private final Flow<T> source;

        private final BufferOverflow overflow;

        private Buffered(Flow<T> buffered, Flow<T> upstream, int capacity, BufferOverflow overflow) {
            this.buffered = buffered;
            this.source = upstream;
            this.overflow = overflow;
            this.ring = upstream != null && CallerBuffer.accepts(upstream, capacity, overflow) ? upstream : null;
            this.capacity = capacity;
            this.offCaller = FlowKt.flowOn(buffered, Dispatchers.getDefault());
        }

        @Override
        public Object collect(FlowCollector<? super T> collector, Continuation<? super Unit> continuation) {
            Object interceptor = continuation.getContext().get(ContinuationInterceptor.Key);
            if (continuation.getContext().get(Metrics.Listening.KEY) != null) {
                Flow<T> metered = Metrics.bufferFill(
                        continuation.getContext(),
                        source,
                        capacity,
                        overflow,
                        interceptor instanceof CallerThreadDispatcher);
                if (metered != null) {
                    return metered.collect(collector, continuation);
                }
            }
            if (interceptor instanceof CallerThreadDispatcher) {
                return ring != null
                        ? CallerBuffer.collect(ring, capacity, collector, continuation)
                        : offCaller.collect(collector, continuation);
            }
            return buffered.collect(collector, continuation);
        }
    }
}
