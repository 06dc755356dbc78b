package dev.coflow.test;

import dev.coflow.bridge.Coroutines;
import dev.coflow.bridge.Suspend;
import kotlin.Unit;
import kotlin.coroutines.Continuation;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.FlowCollector;

/**
 * A minimal Java generator flow for the harness's own tests: the body runs as a bridged coroutine
 * body and emits through the collector's coroutine, as {@code AsyncFlow.generate} will.
 */
final class JavaGenerator<T> implements Flow<T> {
    interface Emitter<T> {
        void emit(T value);
    }

    interface Body<T> {
        void run(Emitter<T> emitter) throws Exception;
    }

    private final Body<T> body;

    private JavaGenerator(Body<T> body) {
        this.body = body;
    }

    static <T> Flow<T> generate(Body<T> body) {
        return new JavaGenerator<>(body);
    }

    @Override
    public Object collect(FlowCollector<? super T> collector, Continuation<? super Unit> continuation) {
        return Coroutines.runSuspending(
                () -> {
                    body.run(value -> Suspend.call(c -> collector.emit(value, c)));
                    return Unit.INSTANCE;
                },
                continuation);
    }
}
