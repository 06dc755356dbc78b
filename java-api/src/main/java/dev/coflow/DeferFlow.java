package dev.coflow;

import dev.coflow.bridge.internal.Exceptions;
import dev.coflow.function.ThrowingSupplier;
import java.util.Objects;
import kotlin.Unit;
import kotlin.coroutines.Continuation;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.FlowCollector;

/** {@link AsyncFlow#defer}: asks the supplier for a new flow at each collection. */
final class DeferFlow<T> implements Flow<T> {
    private final ThrowingSupplier<? extends Flow<? extends T>> supplier;

    DeferFlow(ThrowingSupplier<? extends Flow<? extends T>> supplier) {
        this.supplier = supplier;
    }

    @Override
    public Object collect(FlowCollector<? super T> collector, Continuation<? super Unit> continuation) {
        Flow<? extends T> f = Objects.requireNonNull(Lambdas.<Flow<? extends T>>once(supplier, continuation),
                "AsyncFlow.defer: supplier returned null");
        return AsyncFlow.from(f).collect(collector, continuation);
    }
}
