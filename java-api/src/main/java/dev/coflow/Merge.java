package dev.coflow;

import dev.coflow.bridge.Coroutines;
import dev.coflow.bridge.Suspend;
import dev.coflow.function.ThrowingFunction;
import java.util.ArrayList;
import java.util.List;
import kotlin.Unit;
import kotlin.coroutines.Continuation;
import kotlin.jvm.functions.Function2;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.FlowKt;

/**
 * Flattening and merging (kotlinx {@code operators/Merge.kt}): every operator is kotlinx's own; the
 * user's function that returns the inner flow is a coflow-called lambda (it may wait), and each
 * inner flow is checked for null elements.
 */
final class Merge {
    private Merge() {}

    static <T, R> Flow<R> flatMapConcat(Flow<T> upstream, ThrowingFunction<? super T, ? extends Flow<? extends R>> fn) {
        return FlowKt.flatMapConcat(upstream, inner("flatMapConcat", fn));
    }

    static <T, R> Flow<R> flatMapMerge(
            Flow<T> upstream, int concurrency, ThrowingFunction<? super T, ? extends Flow<? extends R>> fn) {
        return FlowKt.flatMapMerge(upstream, concurrency, inner("flatMapMerge", fn));
    }

    static <T, R> Flow<R> flatMapLatest(Flow<T> upstream, ThrowingFunction<? super T, ? extends Flow<? extends R>> fn) {
        return FlowKt.flatMapLatest(upstream, inner("flatMapLatest", fn));
    }

    static <T> Flow<T> merge(List<? extends Flow<? extends T>> flows) {
        List<Flow<T>> checked = new ArrayList<>(flows.size());
        for (Flow<? extends T> f : flows) {
            checked.add(nonNull(f, "merge"));
        }
        return FlowKt.merge(checked);
    }

    /** {@code concat}: each flow collected in turn, the next one only after the previous completed. */
    static <T> Flow<T> concat(List<? extends Flow<? extends T>> flows) {
        List<Flow<T>> checked = new ArrayList<>(flows.size());
        for (Flow<? extends T> f : flows) {
            checked.add(nonNull(f, "concat"));
        }
        return FlowKt.flattenConcat(FlowKt.asFlow(checked));
    }

    /**
     * {@code interleave}: one element of {@code first}, one of {@code second}, and so on; once one
     * side completes, the rest of the other. Both sides run in their own coroutines, each at most
     * one element ahead; a failure of either fails the flow and cancels the other.
     */
    static <T> Flow<T> interleave(Flow<T> first, Flow<? extends T> second) {
        Flow<T> other = nonNull(second, "interleave");
        return (collector, continuation) -> kotlinx.coroutines.CoroutineScopeKt.coroutineScope(
                (kotlinx.coroutines.CoroutineScope scope, Continuation<? super Unit> c) -> {
                    List<kotlinx.coroutines.channels.ReceiveChannel<T>> sides = List.of(
                            FlowKt.produceIn(
                                    FlowKt.buffer(first, 0, kotlinx.coroutines.channels.BufferOverflow.SUSPEND), scope),
                            FlowKt.produceIn(
                                    FlowKt.buffer(other, 0, kotlinx.coroutines.channels.BufferOverflow.SUSPEND),
                                    scope));
                    return Coroutines.runSuspending(
                            () -> {
                                boolean[] open = {true, true};
                                int i = 0;
                                while (open[0] || open[1]) {
                                    if (open[i]) {
                                        kotlinx.coroutines.channels.ReceiveChannel<T> side = sides.get(i);
                                        try {
                                            T v = Suspend.call(side::receive);
                                            Suspend.call(k -> collector.emit(v, k));
                                        } catch (kotlinx.coroutines.channels.ClosedReceiveChannelException e) {
                                            open[i] = false;
                                        }
                                    }
                                    i = 1 - i;
                                }
                                return Unit.INSTANCE;
                            },
                            c);
                },
                continuation);
    }

    /** The default number of inner flows {@code flatMapMerge} collects at once (kotlinx's, 16). */
    static int defaultConcurrency() {
        return FlowKt.getDEFAULT_CONCURRENCY();
    }

    /** A flow whose null elements fail with a message naming {@code operator}. */
    @SuppressWarnings("unchecked")
    static <T> Flow<T> nonNull(Flow<? extends T> flow, String operator) {
        return flow instanceof AsyncFlow<?> af ? (Flow<T>) af : new NonNullFlow<>(flow, operator);
    }

    private static <T, R> Function2<T, Continuation<? super Flow<? extends R>>, Object> inner(
            String operator, ThrowingFunction<? super T, ? extends Flow<? extends R>> fn) {
        return Lambdas.mapper(operator, v -> {
            Flow<? extends R> f = fn.apply(v);
            if (f == null) {
                throw new NullPointerException(operator + ": the function returned null for " + v
                        + "; return AsyncFlow.empty() for no elements");
            }
            return nonNull(f, operator);
        });
    }
}
