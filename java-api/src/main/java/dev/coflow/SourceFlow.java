package dev.coflow;

import dev.coflow.bridge.internal.Exceptions;
import java.util.Iterator;
import kotlin.ResultKt;
import kotlin.Unit;
import kotlin.coroutines.Continuation;
import kotlin.coroutines.intrinsics.IntrinsicsKt;
import kotlin.coroutines.jvm.internal.ContinuationImpl;
import kotlinx.coroutines.flow.AbstractFlow;
import kotlinx.coroutines.flow.FlowCollector;

/**
 * A source that runs no user code between elements ({@code of}, {@code range},
 * {@code fromIterable}, {@code fromStream}): a hand-written resumable loop, so it costs what a
 * compiled Kotlin {@code flow { for (x in xs) emit(x) }} costs and needs no second thread.
 */
final class SourceFlow<T> extends AbstractFlow<T> {
    /** Produces one iterator per collection; {@link AutoCloseable} iterators are closed at the end. */
    interface Cursors<T> {
        Iterator<? extends T> open() throws Exception;
    }

    private final Cursors<T> cursors;
    private final String operator;

    SourceFlow(String operator, Cursors<T> cursors) {
        this.operator = operator;
        this.cursors = cursors;
    }

    /**
     * A new iterator for one collection (used by this flow and by {@link Fused}'s plain loop). An
     * {@link Iterable} whose {@code iterator()} returns {@code null} fails here with an NPE naming
     * the source, not later with the JVM's "Cannot invoke Iterator.hasNext()".
     */
    Iterator<? extends T> open() throws Exception {
        Iterator<? extends T> it = cursors.open();
        if (it == null) {
            throw new NullPointerException(operator + ": iterator() returned null; an Iterable must return a new "
                    + "Iterator for each collection");
        }
        return it;
    }

    /** The factory's name, used in the null-element message. */
    String operator() {
        return operator;
    }

    /** The NPE for a null element of the source {@code operator}. */
    static NullPointerException nullElement(String operator) {
        return Checks.nullElement(operator, "the source contains null", "filter nulls out first or use Optional");
    }

    /**
     * Closes {@code it} if it is {@link AutoCloseable}. A failure to close is added to
     * {@code primary} as suppressed, or thrown when there is no {@code primary} failure.
     */
    static void close(Iterator<?> it, Throwable primary) {
        if (it instanceof AutoCloseable ac) {
            try {
                ac.close();
            } catch (Throwable e) {
                if (primary == null) {
                    throw Exceptions.sneaky(e);
                }
                primary.addSuppressed(e);
            }
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public Object collectSafely(FlowCollector<? super T> collector, Continuation<? super Unit> continuation) {
        Iterator<? extends T> it = Lambdas.<Iterator<? extends T>>once(this::open, continuation);
        return new Loop<T>((Continuation<Object>) continuation, collector, it, operator).invokeSuspend(Unit.INSTANCE);
    }

    /**
     * If this collection runs on the loop of a blocking coflow call and the caller has been
     * interrupted, cancels the call; the next emit (kotlinx's {@code SafeCollector} checks the Job)
     * then throws {@link java.util.concurrent.CancellationException}.
     */
    private static void checkCallerInterrupt(Continuation<?> c) {
        if (c.getContext().get(kotlin.coroutines.ContinuationInterceptor.Key)
                instanceof dev.coflow.bridge.internal.CallerThreadDispatcher loop) {
            loop.checkInterrupt();
        }
    }

    private static final class Loop<T> extends ContinuationImpl {
        private static final Object SUSPENDED = IntrinsicsKt.getCOROUTINE_SUSPENDED();
        private final FlowCollector<? super T> collector;
        private final Iterator<? extends T> it;
        private final String operator;
        /**
         * A loop whose emits never suspend never returns to the caller's event loop, which is
         * where an interrupt of a blocked caller is noticed; so it asks every 1024 elements.
         */
        private static final int INTERRUPT_CHECK_MASK = 1023;

        private int emitted;

        Loop(
                Continuation<Object> completion,
                FlowCollector<? super T> collector,
                Iterator<? extends T> it,
                String operator) {
            super(completion);
            this.collector = collector;
            this.it = it;
            this.operator = operator;
        }

        @Override
        protected Object invokeSuspend(Object result) {
            try {
                ResultKt.throwOnFailure(result);
                while (it.hasNext()) {
                    T v = it.next();
                    if (v == null) {
                        throw nullElement(operator);
                    }
                    if (collector.emit(v, this) == SUSPENDED) {
                        return SUSPENDED;
                    }
                    if ((++emitted & INTERRUPT_CHECK_MASK) == 0) {
                        checkCallerInterrupt(this);
                    }
                }
            } catch (Throwable t) {
                close(it, t);
                throw Exceptions.sneaky(t);
            }
            close(it, null);
            return Unit.INSTANCE;
        }
    }
}
