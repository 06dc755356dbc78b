package dev.coflow;

import java.util.Objects;
import java.util.function.Consumer;
import kotlin.Unit;
import kotlin.coroutines.Continuation;
import kotlin.coroutines.CoroutineContext;
import kotlin.coroutines.EmptyCoroutineContext;
import kotlinx.coroutines.channels.BufferOverflow;
import kotlinx.coroutines.channels.Channel;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.FlowCollector;
import kotlinx.coroutines.flow.FlowKt;
import kotlinx.coroutines.flow.internal.FusibleFlow;

/**
 * Reactive Streams both ways, for both interfaces: {@code java.util.concurrent.Flow.Publisher}
 * (the JDK's) and {@code org.reactivestreams.Publisher} (Reactor's, RxJava's, R2DBC's). The
 * semantics are those of kotlinx's {@code ReactiveFlow.kt} / {@code kotlinx.coroutines.reactive},
 * with the rules kotlinx's adapter misses kept as well; every rule of the Reactive Streams TCK
 * 1.0.4 is verified by {@code PublishersTckTest} and {@code PublishersSubscriberTckTest}.
 *
 * <ul>
 *   <li>Flow to publisher: each subscriber gets its own emission coroutine that collects the flow,
 *       see {@link PublishersEmission};</li>
 *   <li>publisher to flow: each collection subscribes a {@link PublishersSubscriber} and hands
 *       its elements on as the collector takes them.</li>
 * </ul>
 *
 * <p>The rules, the demand model and the conversion table are in {@code docs/reactive-streams.md}.
 */
final class Publishers {
    private Publishers() {}

    static <T> Flow<T> asFlow(java.util.concurrent.Flow.Publisher<? extends T> publisher) {
        return new PublisherFlow<>(s -> publisher.subscribe(s), PublishersSubscriber.DEFAULT_BATCH);
    }

    static <T> Flow<T> asFlow(org.reactivestreams.Publisher<? extends T> publisher) {
        return new PublisherFlow<>(s -> publisher.subscribe(s), PublishersSubscriber.DEFAULT_BATCH);
    }

    static <T> java.util.concurrent.Flow.Publisher<T> asPublisher(Flow<T> flow, CoroutineContext context) {
        return new JdkPublisher<>(flow, context);
    }

    static <T> org.reactivestreams.Publisher<T> asReactiveStreams(Flow<T> flow, CoroutineContext context) {
        return new ReactivePublisher<>(flow, context);
    }

    /**
     * A cold flow over a publisher: each collection subscribes a new subscriber. A directly
     * following suspending {@code buffer(n)} fuses into it and sets the request batch to {@code n}
     * (as kotlinx's {@code asFlow} does); any other buffer, {@code conflate} or {@code flowOn}
     * applies to it as to any flow.
     *
     * @param <T> the element type
     */
    private static final class PublisherFlow<T> implements Flow<T>, FusibleFlow<T> {
        /** kotlinx's marker for "no channel needed" (internal {@code Channel.OPTIONAL_CHANNEL}). */
        private static final int OPTIONAL_CHANNEL = -3;

        private final Consumer<? super PublishersSubscriber<T>> subscribe;
        private final int batch;

        PublisherFlow(Consumer<? super PublishersSubscriber<T>> subscribe, int batch) {
            this.subscribe = subscribe;
            this.batch = batch;
        }

        @Override
        public Object collect(FlowCollector<? super T> collector, Continuation<? super Unit> continuation) {
            return new PublishersSubscriber<T>(batch).consume(subscribe, collector, continuation);
        }

        @Override
        public Flow<T> fuse(CoroutineContext context, int capacity, BufferOverflow onBufferOverflow) {
            if (context == EmptyCoroutineContext.INSTANCE
                    && onBufferOverflow == BufferOverflow.SUSPEND
                    && capacity != Channel.UNLIMITED
                    && capacity != OPTIONAL_CHANNEL) {
                int b = capacity == Channel.BUFFERED ? PublishersSubscriber.DEFAULT_BATCH : Math.max(1, capacity);
                return new PublisherFlow<>(subscribe, b);
            }
            Flow<T> plain = this::collect; // not fusible: the operators below apply as to any flow
            Flow<T> f = context == EmptyCoroutineContext.INSTANCE ? plain : FlowKt.flowOn(plain, context);
            return capacity == OPTIONAL_CHANNEL ? f : FlowKt.buffer(f, capacity, onBufferOverflow);
        }
    }

    /** {@code toPublisher()}: a subscription of {@link PublishersEmission} per subscriber. */
    private record JdkPublisher<T>(Flow<T> flow, CoroutineContext context)
            implements java.util.concurrent.Flow.Publisher<T> {
        @Override
        public void subscribe(java.util.concurrent.Flow.Subscriber<? super T> subscriber) {
            PublishersEmission.subscribe(flow, context, subscriber);
        }
    }

    /** {@code toReactiveStreams()}: the same, for an {@code org.reactivestreams.Subscriber}. */
    private record ReactivePublisher<T>(Flow<T> flow, CoroutineContext context)
            implements org.reactivestreams.Publisher<T> {
        @Override
        public void subscribe(org.reactivestreams.Subscriber<? super T> subscriber) {
            Objects.requireNonNull(subscriber, "subscriber (Reactive Streams §1.9: subscribe(null) must throw)");
            PublishersEmission.subscribe(flow, context, new JdkView<>(subscriber));
        }
    }

    /**
     * An {@code org.reactivestreams.Subscriber} seen as a JDK one; its {@code onSubscribe} gets
     * the emission itself, which is a subscription of both kinds.
     */
    private record JdkView<T>(org.reactivestreams.Subscriber<? super T> s)
            implements java.util.concurrent.Flow.Subscriber<T> {
        @Override
        public void onSubscribe(java.util.concurrent.Flow.Subscription subscription) {
            s.onSubscribe((org.reactivestreams.Subscription) subscription);
        }

        @Override
        public void onNext(T item) {
            s.onNext(item);
        }

        @Override
        public void onError(Throwable throwable) {
            s.onError(throwable);
        }

        @Override
        public void onComplete() {
            s.onComplete();
        }
    }
}
