package dev.coflow;

import dev.coflow.bridge.Coroutines;
import dev.coflow.bridge.Suspend;
import dev.coflow.bridge.SuspendRunnable;
import dev.coflow.bridge.internal.KotlinxInternals;
import java.lang.invoke.MethodHandle;
import java.util.Objects;
import kotlin.Unit;
import kotlin.coroutines.Continuation;
import kotlin.coroutines.EmptyCoroutineContext;
import kotlinx.coroutines.BuildersKt;
import kotlinx.coroutines.CoroutineStart;
import kotlinx.coroutines.Job;
import kotlinx.coroutines.channels.ProduceKt;
import kotlinx.coroutines.channels.ProducerScope;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.FlowKt;

/**
 * {@link AsyncFlow#channelFlow} and {@link AsyncFlow#callbackFlow} (kotlinx {@code Builders.kt}):
 * the Java body runs inside kotlinx's own {@code channelFlow}/{@code callbackFlow} block, so
 * buffering, fusion with {@code buffer()}, cancellation and the "callbackFlow must call
 * awaitClose" check are kotlinx's.
 *
 * <p>Producer bodies always get their own virtual thread
 * ({@link Coroutines#runSuspendingOnVirtualThread}): they are concurrent with the collector by
 * definition, and one that blocks must never stall the blocking caller's loop that also runs the
 * collector.
 */
final class Channels {
    private Channels() {}

    /** {@code SendChannel.trySend} returns a value class, so Java sees it only under its mangled name. */
    private static final MethodHandle TRY_SEND = KotlinxInternals.Channels.TRY_SEND;

    private static final MethodHandle IS_SUCCESS = KotlinxInternals.Channels.IS_SUCCESS;

    static <T> Flow<T> channelFlow(ProducerBody<T> body) {
        return FlowKt.channelFlow((ProducerScope<? super T> scope, Continuation<? super Unit> continuation) ->
                Coroutines.runSuspendingOnVirtualThread(
                        () -> {
                            body.produce(new ChannelProducer<>(scope, "channelFlow"));
                            return Unit.INSTANCE;
                        },
                        continuation));
    }

    static <T> Flow<T> callbackFlow(ProducerBody<T> body) {
        return FlowKt.callbackFlow((ProducerScope<? super T> scope, Continuation<? super Unit> continuation) ->
                Coroutines.runSuspendingOnVirtualThread(
                        () -> {
                            body.produce(new ChannelProducer<>(scope, "callbackFlow"));
                            return Unit.INSTANCE;
                        },
                        continuation));
    }

    /** The {@link Producer} of one collection, over kotlinx's {@code ProducerScope}. */
    private record ChannelProducer<T>(ProducerScope<? super T> scope, String operator) implements Producer<T> {
        @Override
        public void send(T value) {
            checkNotNull(value);
            try {
                Suspend.call(c -> scope.send(value, c));
            } catch (kotlinx.coroutines.channels.ClosedSendChannelException e) {
                java.util.concurrent.CancellationException ce = new java.util.concurrent.CancellationException(operator
                        + ": send after the flow ended (the body returned or close() was called); send only while the "
                        + "producer body runs");
                ce.initCause(e);
                throw ce;
            }
        }

        @Override
        public boolean trySend(T value) {
            checkNotNull(value);
            try {
                return (boolean) IS_SUCCESS.invokeExact((Object) TRY_SEND.invoke(scope, value));
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(operator + ": trySend failed", t);
            }
        }

        @Override
        public void close() {
            scope.close(null);
        }

        @Override
        public void close(Throwable cause) {
            scope.close(Objects.requireNonNull(cause, "cause"));
        }

        @Override
        public void awaitClose(Runnable onClose) {
            Objects.requireNonNull(onClose, "onClose");
            Suspend.call(c -> ProduceKt.awaitClose(
                    scope,
                    () -> {
                        onClose.run();
                        return Unit.INSTANCE;
                    },
                    c));
        }

        @Override
        public Job launch(SuspendRunnable body) {
            Objects.requireNonNull(body, "body");
            return BuildersKt.launch(
                    scope,
                    EmptyCoroutineContext.INSTANCE,
                    CoroutineStart.DEFAULT,
                    (s, c) -> Coroutines.runSuspendingOnVirtualThread(
                            () -> {
                                body.run();
                                return Unit.INSTANCE;
                            },
                            c));
        }

        @Override
        public boolean isClosedForSend() {
            return scope.isClosedForSend();
        }

        private void checkNotNull(T value) {
            if (value == null) {
                throw Checks.nullElement(operator, "sending null is not allowed", "skip the value or send an Optional");
            }
        }

        @Override
        public String toString() {
            return "Producer[" + operator + "]";
        }
    }
}
