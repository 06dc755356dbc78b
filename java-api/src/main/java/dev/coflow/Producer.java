package dev.coflow;

import dev.coflow.bridge.SuspendRunnable;
import kotlinx.coroutines.Job;

/**
 * Where the body of {@link AsyncFlow#channelFlow} or {@link AsyncFlow#callbackFlow} sends its
 * elements: a channel between any number of producers and the flow's collector. Unlike an
 * {@link Emitter}, a {@code Producer} is thread-safe: the body, bodies it {@link #launch launches},
 * and listener callbacks on foreign threads may all send to it. kotlinx counterpart:
 * {@code ProducerScope<T>}.
 *
 * {@snippet :
 * AsyncFlow<Event> events = AsyncFlow.callbackFlow(producer -> {
 *     Listener listener = event -> producer.trySend(event);   // called on the library's thread
 *     bus.register(listener);
 *     producer.awaitClose(() -> bus.unregister(listener));     // runs on completion and cancellation
 * });
 * }
 *
 * @param <T> the element type
 */
public interface Producer<T> {
    /**
     * Sends one element, waiting while the channel's buffer is full. Inside a coroutine body (the
     * producer body, a launched body) it suspends that body's coroutine; on any other thread it
     * blocks that thread. kotlinx counterpart: {@code send}.
     *
     * @param value the element, not null
     * @throws NullPointerException if {@code value} is null
     * @throws java.util.concurrent.CancellationException if the collector went away or the channel
     *     was closed (let it propagate from a body)
     */
    void send(T value);

    /**
     * Sends one element if that is possible right now, without waiting: the right call from a
     * listener callback, which must not block. kotlinx counterpart: {@code trySend(value).isSuccess}.
     *
     * @param value the element, not null
     * @return {@code false} if the buffer is full or the channel is closed (the element is dropped)
     * @throws NullPointerException if {@code value} is null
     */
    boolean trySend(T value);

    /**
     * Says that no more elements will be sent: the flow completes once the buffered elements are
     * delivered and the producer bodies have returned. Further sends fail. kotlinx counterpart:
     * {@code close()}.
     */
    void close();

    /**
     * Ends the flow with a failure, after the elements already buffered: the way a callback API's
     * {@code onError} reaches the collector. kotlinx counterpart: {@code close(cause)}.
     *
     * {@snippet :
     * client.subscribe(producer::trySend, error -> producer.close(error));
     * }
     *
     * @param cause the failure the collector sees, not null
     */
    void close(Throwable cause);

    /**
     * Waits until the channel is closed ({@link #close} or the collector going away), then runs
     * {@code onClose}: the place to unregister a listener. Call it last in the body of
     * {@link AsyncFlow#callbackFlow}, from the body itself. kotlinx counterpart:
     * {@code awaitClose { onClose() }}.
     *
     * @param onClose the cleanup, run exactly once, in the producer's coroutine
     * @throws java.util.concurrent.CancellationException after running {@code onClose}, if the
     *     collector went away
     * @throws IllegalStateException if called from a launched body instead of the producer body
     */
    void awaitClose(Runnable onClose);

    /**
     * Starts another producer body that runs concurrently with this one (on its own virtual
     * thread, so it may block) and typically sends to this producer. The flow completes only
     * after every launched body has returned; a failing body fails the flow and cancels the
     * others. kotlinx counterpart: {@code launch { }} inside {@code channelFlow}.
     *
     * @param body the producer body
     * @return the body's job, to join or cancel it
     */
    Job launch(SuspendRunnable body);

    /**
     * Whether sending is no longer possible (closed, or the collector went away).
     *
     * @return {@code true} once closed
     */
    boolean isClosedForSend();
}
