package dev.coflow;

import java.util.Iterator;

/**
 * An {@link Iterator} over a running collection that must be closed: {@link AsyncFlow#iterator()}.
 * Use it in try-with-resources; closing it before the end cancels the producer, and the producer's
 * {@code finally} blocks have run when {@link #close()} returns. Iterating to the end closes it too.
 *
 * {@snippet :
 * try (CloseableIterator<Book> books = catalogue.iterator()) {
 *     while (books.hasNext()) {
 *         Book b = books.next();
 *         if (b.isOverdue()) {
 *             break;                     // the generator's finally runs in close()
 *         }
 *     }
 * }
 * }
 *
 * <p>kotlinx counterpart: {@code flow.produceIn(scope)} with {@code ReceiveChannel.iterator()} and
 * {@code cancel()}.
 *
 * @param <T> the element type
 */
public interface CloseableIterator<T> extends Iterator<T>, AutoCloseable {
    /**
     * Cancels the producer if it is still running and waits until it has finished (its
     * {@code finally} blocks have run). Idempotent; after it, {@link #hasNext()} returns
     * {@code false}.
     */
    @Override
    void close();
}
