package dev.coflow.bench;

import kotlin.coroutines.Continuation;
import kotlin.coroutines.CoroutineContext;
import kotlin.coroutines.EmptyCoroutineContext;
import kotlin.jvm.functions.Function2;
import kotlin.ranges.IntRange;
import kotlinx.coroutines.BuildersKt;
import kotlinx.coroutines.CoroutineScope;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.FlowKt;

/**
 * The few kotlinx calls the anchors share, written once so every anchor pays for them the same way:
 * a blocking {@code runBlocking} entry and a {@code fold}-based sum, both with Java lambdas.
 */
final class Kx {
    private Kx() {}

    /** kotlinx {@code runBlocking(block)} on the calling thread. */
    static <T> T runBlocking(Function2<CoroutineScope, Continuation<? super T>, Object> block) {
        return runBlocking(EmptyCoroutineContext.INSTANCE, block);
    }

    /** kotlinx {@code runBlocking(context, block)}. */
    static <T> T runBlocking(
            CoroutineContext context, Function2<CoroutineScope, Continuation<? super T>, Object> block) {
        try {
            return BuildersKt.runBlocking(context, block);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("benchmark thread interrupted", e);
        }
    }

    /**
     * Erases a continuation's type argument: Kotlin's declaration-site variance does not survive
     * into Java signatures, so passing a block's continuation on sometimes needs this cast.
     */
    @SuppressWarnings("unchecked")
    static <T> Continuation<T> erased(Continuation<?> c) {
        return (Continuation<T>) c;
    }

    /** {@code (from until until).asFlow()}: kotlinx's own compiled {@code flow { for (v in range) emit(v) }}. */
    static Flow<Integer> range(int from, int until) {
        return FlowKt.asFlow(new IntRange(from, until - 1));
    }

    /** {@code flow.map { it * 2 }.filter { it % 3 == 0 }}: the pipeline every flow anchor runs. */
    static Flow<Integer> mapFilter(Flow<Integer> source) {
        Flow<Integer> doubled = FlowKt.map(source, (Integer v, Continuation<? super Integer> c) -> v * 2);
        return FlowKt.filter(doubled, (Integer v, Continuation<? super Boolean> c) -> v % 3 == 0);
    }

    /** {@code flow.fold(0L) { acc, v -> acc + v }} as a suspend call: tail-call it from a block. */
    static Object sum(Flow<Integer> flow, Continuation<? super Long> c) {
        return FlowKt.fold(flow, 0L, (Long acc, Integer v, Continuation<? super Long> c2) -> acc + v, c);
    }
}
