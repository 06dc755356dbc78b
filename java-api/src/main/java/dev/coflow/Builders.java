package dev.coflow;

import dev.coflow.function.ThrowingSupplier;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import kotlin.Unit;
import kotlin.coroutines.Continuation;
import kotlinx.coroutines.flow.AbstractFlow;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.FlowCollector;

/**
 * The flows behind {@link AsyncFlow}'s builders (kotlinx {@code flow/Builders.kt}) that are not a
 * plain source loop: {@code generate}, {@code defer}, and the cursor of {@code range}. The
 * element sources ({@code of}, {@code range}, {@code fromIterable}, {@code fromStream}) share one
 * resumable loop, {@link SourceFlow}.
 */
final class Builders {
    private Builders() {}

    /**
     * The flow behind {@link AsyncFlow#generate}: each collection runs the Java body as a coroutine
     * body (see the bridge's body driver) and every {@code emit} is performed by the collecting
     * coroutine itself, so kotlinx's context and cancellation checks hold.
     */
    static final class Generate<T> extends AbstractFlow<T> {
        private final Generator<T> body;

        Generate(Generator<T> body) {
            this.body = body;
        }

        @Override
        public Object collectSafely(FlowCollector<? super T> collector, Continuation<? super Unit> continuation) {
            return Emitters.runBody("AsyncFlow.generate", collector, body, continuation);
        }
    }

    /** {@link AsyncFlow#defer}: asks the supplier for a new flow at each collection. */
    static final class Defer<T> implements Flow<T> {
        private final ThrowingSupplier<? extends Flow<? extends T>> supplier;

        Defer(ThrowingSupplier<? extends Flow<? extends T>> supplier) {
            this.supplier = supplier;
        }

        @Override
        public Object collect(FlowCollector<? super T> collector, Continuation<? super Unit> continuation) {
            Flow<? extends T> f = Objects.requireNonNull(
                    Lambdas.<Flow<? extends T>>once(supplier, continuation), "AsyncFlow.defer: supplier returned null");
            return AsyncFlow.from(f).collect(collector, continuation);
        }
    }

    /**
     * The cursor of {@link AsyncFlow#range}: an {@code Iterator<Integer>} over {@code [next, end)},
     * read by the source loop and by the fused loop ({@link Fused}) like any other cursor.
     */
    static final class Range implements Iterator<Integer> {
        private int next;
        private final int end;

        Range(int from, int end) {
            this.next = from;
            this.end = end;
        }

        @Override
        public boolean hasNext() {
            return next < end;
        }

        @Override
        public Integer next() {
            if (next >= end) {
                throw new NoSuchElementException("range exhausted at " + end);
            }
            return next++;
        }
    }
}
