package dev.coflow;

import dev.coflow.bridge.Coroutines;
import dev.coflow.bridge.internal.Exceptions;
import dev.coflow.function.ThrowingFunction;
import java.util.concurrent.CompletionStage;
import kotlin.Unit;
import kotlin.coroutines.Continuation;
import kotlin.coroutines.EmptyCoroutineContext;
import kotlin.jvm.functions.Function2;
import kotlinx.coroutines.BuildersKt;
import kotlinx.coroutines.CoroutineStart;
import kotlinx.coroutines.Deferred;
import kotlinx.coroutines.channels.BufferOverflow;
import kotlinx.coroutines.channels.ProducerScope;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.FlowCollector;
import kotlinx.coroutines.flow.FlowKt;
import kotlinx.coroutines.future.FutureKt;
import kotlinx.coroutines.sync.Semaphore;
import kotlinx.coroutines.sync.SemaphoreKt;

/**
 * {@link AsyncFlow#mapAsync} and friends: up to {@code concurrency} element transformations at
 * once. kotlinx has no such operator; it is assembled from kotlinx parts so that cancellation,
 * failure and structured concurrency are kotlinx's:
 *
 * <ul>
 * <li><b>Ordered.</b> Per collection, a {@code channelFlow} collects the upstream; for each
 * element it first takes a permit from a semaphore of {@code concurrency} permits, then starts
 * the transformation as a child {@code async} and sends the {@code Deferred} into the channel (so
 * the channel holds the deferreds in upstream order). The consumer side awaits them one by one,
 * in order, and gives the permit back as soon as it has a result in hand, before the downstream
 * works on it. At most {@code concurrency} transformations are therefore started and not yet
 * taken by the consumer: they run at once, and a slow head element holds back at most
 * {@code concurrency - 1} finished results.</li>
 * <li><b>Unordered.</b> kotlinx's {@code flatMapMerge} over one-element inner flows, whose own
 * concurrency limit bounds the running transformations; results are emitted as they finish.</li>
 * </ul>
 *
 * <p>A failing transformation fails its {@code async} (or inner flow), which cancels the
 * producer's scope: every other running transformation is cancelled (their {@code finally}
 * blocks run) and the failure reaches the collector. Cancelling the collection does the same.
 * Blocking transformations run as bridge bodies on their own virtual threads
 * ({@link Coroutines#runSuspendingOnVirtualThread}), never inline on the caller's loop, where one
 * blocking call would stall the others.
 */
final class MapAsync {
    private MapAsync() {}

    /** A blocking Java function as a suspend {@code (T) -> R} running on its own virtual thread. */
    static <T, R> Function2<T, Continuation<? super R>, Object> blocking(ThrowingFunction<? super T, ? extends R> fn) {
        return (v, c) -> Coroutines.runSuspendingOnVirtualThread(() -> fn.apply(v), c);
    }

    /**
     * A function returning a stage as a suspend {@code (T) -> R}: no thread while waiting, and
     * cancellation cancels the stage if it is a {@code CompletableFuture}.
     */
    static <T, R> Function2<T, Continuation<? super R>, Object> staged(
            String operator, ThrowingFunction<? super T, ? extends CompletionStage<? extends R>> fn) {
        return (v, c) -> {
            CompletionStage<? extends R> stage;
            try {
                stage = fn.apply(v);
            } catch (Exception e) {
                throw Exceptions.sneaky(e);
            }
            if (stage == null) {
                throw new NullPointerException(operator + ": the function returned a null stage for " + v);
            }
            return FutureKt.await(stage, c);
        };
    }

    static <T, R> Flow<R> ordered(
            String operator,
            Flow<T> upstream,
            int concurrency,
            Function2<T, Continuation<? super R>, Object> transformation) {
        return nonNullResults(
                operator, (FlowCollector<? super R> collector, Continuation<? super Unit> continuation) -> {
                    Function2<T, Continuation<? super R>, Object> work =
                            Metrics.inFlight(continuation.getContext(), transformation);
                    Semaphore permits = SemaphoreKt.Semaphore(concurrency, 0);
                    Flow<T> admitted = FlowKt.onEach(upstream, (v, c) -> permits.acquire(c));
                    Flow<Deferred<R>> started = FlowKt.channelFlow(
                            (ProducerScope<? super Deferred<R>> scope, Continuation<? super Unit> c) ->
                                    admitted.collect(
                                            (FlowCollector<T>) (v, k) -> scope.send(
                                                    BuildersKt.async(
                                                            scope,
                                                            EmptyCoroutineContext.INSTANCE,
                                                            CoroutineStart.DEFAULT,
                                                            (s, w) -> work.invoke(v, w)),
                                                    k),
                                            c));
                    // the semaphore bounds the deferreds in the channel, so a channel of the same size never fills
                    Flow<Deferred<R>> queued = FlowKt.buffer(started, concurrency, BufferOverflow.SUSPEND);
                    Flow<R> results = FlowKt.map(queued, (d, c) -> d.await(c));
                    Flow<R> released = FlowKt.onEach(results, (r, c) -> {
                        permits.release();
                        return Unit.INSTANCE;
                    });
                    return released.collect(collector, continuation);
                });
    }

    static <T, R> Flow<R> unordered(
            String operator,
            Flow<T> upstream,
            int concurrency,
            Function2<T, Continuation<? super R>, Object> transformation) {
        return nonNullResults(
                operator, (FlowCollector<? super R> collector, Continuation<? super Unit> continuation) -> {
                    Function2<T, Continuation<? super R>, Object> work =
                            Metrics.inFlight(continuation.getContext(), transformation);
                    Flow<R> merged = FlowKt.flatMapMerge(
                            upstream,
                            concurrency,
                            (T v, Continuation<? super Flow<? extends R>> c) -> FlowKt.map(FlowKt.flowOf(v), work));
                    return FlowKt.buffer(merged, concurrency, BufferOverflow.SUSPEND)
                            .collect(collector, continuation);
                });
    }

    private static <R> Flow<R> nonNullResults(String operator, Flow<R> results) {
        return FlowKt.map(results, (R r, Continuation<? super R> c) -> {
            if (r == null) {
                throw Checks.nullElement(
                        operator,
                        "the function returned null (or its stage completed with null)",
                        "return an Optional, or filter first");
            }
            return r;
        });
    }
}
