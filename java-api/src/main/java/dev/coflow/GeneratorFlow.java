package dev.coflow;

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
        return Emitters.runBody("AsyncFlow.generate", collector, body, continuation);
    }
}
