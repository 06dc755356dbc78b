package dev.coflow;

import dev.coflow.bridge.Coroutines;
import dev.coflow.bridge.Suspend;
import kotlin.Unit;
import kotlin.coroutines.Continuation;
import kotlinx.coroutines.flow.AbstractFlow;
import kotlinx.coroutines.flow.FlowCollector;

/**
 * The flow behind {@link AsyncFlow#generate}: each collection runs the Java body as a coroutine
 * body (see the bridge's body driver) and every {@code emit} is performed by the collecting
 * coroutine itself, so kotlinx's context and cancellation checks hold.
 */
final class GeneratorFlow<T> extends AbstractFlow<T> {
    private final Generator<T> body;

    GeneratorFlow(Generator<T> body) {
        this.body = body;
    }

    @Override
    public Object collectSafely(FlowCollector<? super T> collector, Continuation<? super Unit> continuation) {
        BodyEmitter<T> emitter = new BodyEmitter<>(collector);
        return Coroutines.runSuspending(() -> {
            emitter.owner = Thread.currentThread();
            try {
                body.generate(emitter);
            } finally {
                emitter.owner = null;
            }
            return Unit.INSTANCE;
        }, continuation);
    }

    /** The emitter of one collection. */
    static final class BodyEmitter<T> implements Emitter<T> {
        private final FlowCollector<? super T> collector;
        volatile Thread owner;

        BodyEmitter(FlowCollector<? super T> collector) {
            this.collector = collector;
        }

        @Override
        public void emit(T value) {
            if (value == null) {
                throw new NullPointerException("AsyncFlow.generate: emit(null) is not allowed; elements are "
                        + "non-null (skip the value or emit an Optional)");
            }
            Thread o = owner;
            if (o != Thread.currentThread()) {
                throw new IllegalStateException(o == null
                        ? "this Emitter's generator body has returned; emit only while the body runs"
                        : "emit was called from thread " + Thread.currentThread().getName()
                                + ", not from the generator body's own thread; an Emitter is not thread-safe. "
                                + "To forward another flow from a body, pull it on the body's thread "
                                + "(try (var it = flow.iterator()) { while (it.hasNext()) emitter.emit(it.next()); }) "
                                + "rather than flow.forEach(emitter::emit); for several producers use a channel flow");
            }
            Suspend.call(c -> collector.emit(value, c));
        }
    }
}
