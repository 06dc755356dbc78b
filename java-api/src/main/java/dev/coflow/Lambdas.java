package dev.coflow;

import dev.coflow.bridge.LambdaSite;
import dev.coflow.function.ThrowingBiFunction;
import dev.coflow.function.ThrowingConsumer;
import dev.coflow.function.ThrowingFunction;
import dev.coflow.function.ThrowingPredicate;
import dev.coflow.function.ThrowingSupplier;
import kotlin.Unit;
import kotlin.coroutines.Continuation;
import kotlin.jvm.functions.Function2;
import kotlin.jvm.functions.Function3;
import kotlinx.coroutines.flow.FlowCollector;

/**
 * Adapts coflow's throwing Java lambdas to the suspend function shapes kotlinx's operators take.
 *
 * <p>Every adapter is a {@link LambdaSite}: the lambda runs right where kotlinx calls it, in the
 * collecting coroutine's step, marked on its thread as a coflow-called lambda so that
 * {@code Suspend.delay/await/call}, {@code Suspend.nonCancellable} and blocking terminals inside it
 * are made in that coroutine (cancellable, on its clock). A lambda that never waits costs one
 * thread-local look-up and a few field writes per call. See {@code docs/adr/0002-suspend-like-lambdas.md}.
 */
final class Lambdas {
    private Lambdas() {}

    /** {@code fn} as a {@code suspend (T) -> R} whose null result fails naming {@code operator}. */
    static <T, R> Function2<T, Continuation<? super R>, Object> mapper(
            String operator, ThrowingFunction<? super T, ? extends R> fn) {
        return new Mapper<>(operator, fn, false);
    }

    /** {@code p} as a {@code suspend (T) -> Boolean}. */
    static <T> Function2<T, Continuation<? super Boolean>, Object> predicate(ThrowingPredicate<? super T> p) {
        return new Predicate<>(p);
    }

    /** A downstream collector running a Java action per element (the body of a terminal). */
    static <T> FlowCollector<T> collector(ThrowingConsumer<? super T> action) {
        return new Action<>(action);
    }

    /** {@code action} as a {@code suspend (T) -> Unit}. */
    static <T> Function2<T, Continuation<? super Unit>, Object> action(ThrowingConsumer<? super T> action) {
        return new Action<>(action);
    }

    /**
     * A {@code suspend (R, T) -> R} for {@code scan}/{@code fold}/{@code zip}/{@code combine}; a
     * null result fails with an NPE naming {@code operator}.
     */
    static <R, T, U> Function3<R, T, Continuation<? super U>, Object> accumulator(
            String operator, ThrowingBiFunction<? super R, ? super T, ? extends U> fn) {
        return new Accumulator<>(operator, fn);
    }

    /**
     * Runs {@code supplier} once, in place, as a coflow-called lambda of the step {@code c} (a
     * factory called at the start of a collection: {@code defer}, {@code fromStream}); it may wait.
     */
    @SuppressWarnings("unchecked")
    static <R> R once(ThrowingSupplier<? extends R> supplier, Continuation<?> c) {
        LambdaSite<Void, Void> site = new LambdaSite<>() {
            @Override
            protected Object compute(Void a, Void b) throws Exception {
                return supplier.get();
            }
        };
        return (R) site.call(null, null, c);
    }

    static final class Mapper<T, R> extends LambdaSite<T, Void>
            implements Function2<T, Continuation<? super R>, Object> {
        private final String operator;
        private final ThrowingFunction<? super T, ? extends R> fn;
        private final boolean nullable;

        Mapper(String operator, ThrowingFunction<? super T, ? extends R> fn, boolean nullable) {
            this.operator = operator;
            this.fn = fn;
            this.nullable = nullable;
        }

        @Override
        protected Object compute(T v, Void ignored) throws Exception {
            R r = fn.apply(v);
            if (r == null && !nullable) {
                throw Checks.nullElement(
                        operator, "the function returned null for " + v, "use mapNotNull to drop elements");
            }
            return r;
        }

        @Override
        public Object invoke(T v, Continuation<? super R> c) {
            return call(v, null, c);
        }
    }

    static final class Predicate<T> extends LambdaSite<T, Void>
            implements Function2<T, Continuation<? super Boolean>, Object> {
        private final ThrowingPredicate<? super T> p;

        Predicate(ThrowingPredicate<? super T> p) {
            this.p = p;
        }

        @Override
        protected Object compute(T v, Void ignored) throws Exception {
            return p.test(v);
        }

        @Override
        public Object invoke(T v, Continuation<? super Boolean> c) {
            return call(v, null, c);
        }
    }

    static final class Action<T> extends LambdaSite<T, Void>
            implements FlowCollector<T>, Function2<T, Continuation<? super Unit>, Object> {
        private final ThrowingConsumer<? super T> action;

        Action(ThrowingConsumer<? super T> action) {
            this.action = action;
        }

        @Override
        protected Object compute(T v, Void ignored) throws Exception {
            action.accept(v);
            return Unit.INSTANCE;
        }

        @Override
        public Object emit(T v, Continuation<? super Unit> c) {
            return call(v, null, c);
        }

        @Override
        public Object invoke(T v, Continuation<? super Unit> c) {
            return call(v, null, c);
        }
    }

    private static final class Accumulator<R, T, U> extends LambdaSite<R, T>
            implements Function3<R, T, Continuation<? super U>, Object> {
        private final String operator;
        private final ThrowingBiFunction<? super R, ? super T, ? extends U> fn;

        Accumulator(String operator, ThrowingBiFunction<? super R, ? super T, ? extends U> fn) {
            this.operator = operator;
            this.fn = fn;
        }

        @Override
        protected Object compute(R acc, T v) throws Exception {
            U r = fn.apply(acc, v);
            if (r == null) {
                throw Checks.nullElement(
                        operator,
                        "the function returned null for (" + acc + ", " + v + ")",
                        "return an Optional or a sentinel value");
            }
            return r;
        }

        @Override
        public Object invoke(R acc, T v, Continuation<? super U> c) {
            return call(acc, v, c);
        }
    }
}
