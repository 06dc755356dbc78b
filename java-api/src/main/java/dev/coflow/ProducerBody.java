package dev.coflow;

/**
 * The body of {@link AsyncFlow#channelFlow} and {@link AsyncFlow#callbackFlow}: ordinary Java that
 * sends elements to a {@link Producer}, possibly from several threads or bodies at once. It runs
 * once per collection on its own virtual thread, may block, and may call
 * {@link dev.coflow.bridge.Suspend} methods.
 *
 * {@snippet :
 * ProducerBody<String> body = producer -> {
 *     producer.launch(() -> producer.send(fetch("a")));
 *     producer.launch(() -> producer.send(fetch("b")));
 * };
 * }
 *
 * <p>kotlinx counterpart: the {@code suspend ProducerScope<T>.() -> Unit} block of {@code channelFlow { }}.
 *
 * @param <T> the element type
 */
@FunctionalInterface
public interface ProducerBody<T> {
    /**
     * Runs the body once for one collection.
     *
     * @param producer where to send elements
     * @throws Exception any failure; it ends the flow with that exception
     */
    void produce(Producer<T> producer) throws Exception;
}
