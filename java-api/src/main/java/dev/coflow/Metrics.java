package dev.coflow;

import dev.coflow.bridge.internal.CoroutineClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import kotlin.Unit;
import kotlin.coroutines.AbstractCoroutineContextElement;
import kotlin.coroutines.Continuation;
import kotlin.coroutines.CoroutineContext;
import kotlin.coroutines.intrinsics.IntrinsicsKt;
import kotlin.jvm.functions.Function2;
import kotlinx.coroutines.channels.BufferOverflow;
import kotlinx.coroutines.channels.Channel;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.FlowCollector;
import kotlinx.coroutines.flow.FlowKt;

/**
 * {@link AsyncFlow#metrics} (coflow only): the stage's own events, plus a context element that
 * carries the listener to the upstream, where {@code mapAsync*} ({@link #inFlight}) and
 * {@code buffer} ({@link #bufferFill}) look it up once per collection and report their gauges.
 */
final class Metrics {
    private Metrics() {}

    /** The listener of the nearest downstream {@code metrics} stage, in the upstream's context. */
    static final class Listening extends AbstractCoroutineContextElement {
        static final CoroutineContext.Key<Listening> KEY = new CoroutineContext.Key<>() {};
        final String stage;
        final FlowMetrics listener;

        Listening(String stage, FlowMetrics listener) {
            super(KEY);
            this.stage = stage;
            this.listener = listener;
        }
    }

    static <T> Flow<T> metrics(Flow<T> upstream, String stage, FlowMetrics listener) {
        Flow<T> withElement = FlowKt.flowOn(upstream, new Listening(stage, listener));
        return (collector, continuation) -> {
            long start = CoroutineClock.millis(continuation.getContext());
            listener.collectionStarted(stage);
            Flow<T> counted = FlowKt.onEach(withElement, (T v, Continuation<? super Unit> c) -> {
                listener.element(stage);
                return Unit.INSTANCE;
            });
            Flow<T> ended = FlowKt.onCompletion(
                    counted, (FlowCollector<? super T> col, Throwable cause, Continuation<? super Unit> c) -> {
                        long took = CoroutineClock.millis(c.getContext()) - start;
                        listener.collectionEnded(stage, Duration.ofMillis(took), cause);
                        return Unit.INSTANCE;
                    });
            return ended.collect(collector, continuation);
        };
    }

    /** {@code work} reporting the number of running calls to the listener in {@code context}, if any. */
    static <T, R> Function2<T, Continuation<? super R>, Object> inFlight(
            CoroutineContext context, Function2<T, Continuation<? super R>, Object> work) {
        Listening e = context.get(Listening.KEY);
        if (e == null) {
            return work;
        }
        AtomicInteger running = new AtomicInteger();
        return (v, c) -> {
            e.listener.inFlight(e.stage, running.incrementAndGet());
            Object r;
            try {
                r = work.invoke(v, new Continuation<R>() {
                    @Override
                    public CoroutineContext getContext() {
                        return c.getContext();
                    }

                    @Override
                    @SuppressWarnings("unchecked")
                    public void resumeWith(Object result) {
                        e.listener.inFlight(e.stage, running.decrementAndGet());
                        ((Continuation<Object>) c).resumeWith(result);
                    }
                });
            } catch (Throwable t) {
                e.listener.inFlight(e.stage, running.decrementAndGet());
                throw t;
            }
            if (r != IntrinsicsKt.getCOROUTINE_SUSPENDED()) {
                e.listener.inFlight(e.stage, running.decrementAndGet());
            }
            return r;
        };
    }

    /**
     * {@code buffered} (kotlinx's buffer over {@code source}) with its fill reported to the listener
     * in {@code context}, or {@code null} when there is none or the buffer drops elements.
     */
    static <T> Flow<T> bufferFill(
            CoroutineContext context, Flow<T> source, int capacity, BufferOverflow overflow, boolean offCaller) {
        Listening e = context.get(Listening.KEY);
        if (e == null || overflow != BufferOverflow.SUSPEND || source == null) {
            return null;
        }
        int reported = capacity == Channel.UNLIMITED
                ? Integer.MAX_VALUE
                : capacity == Channel.BUFFERED
                        ? Integer.getInteger("kotlinx.coroutines.channels.defaultBuffer", 64)
                        : capacity;
        AtomicInteger waiting = new AtomicInteger();
        Flow<T> produced = FlowKt.onEach(source, (T v, Continuation<? super Unit> c) -> {
            e.listener.bufferFill(e.stage, waiting.incrementAndGet(), reported);
            return Unit.INSTANCE;
        });
        Flow<T> buffered = FlowKt.buffer(produced, capacity, overflow);
        if (offCaller) {
            buffered = FlowKt.flowOn(buffered, kotlinx.coroutines.Dispatchers.getDefault());
        }
        return FlowKt.onEach(buffered, (T v, Continuation<? super Unit> c) -> {
            e.listener.bufferFill(e.stage, waiting.decrementAndGet(), reported);
            return Unit.INSTANCE;
        });
    }
}
