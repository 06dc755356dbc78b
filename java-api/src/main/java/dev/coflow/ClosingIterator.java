package dev.coflow;

import java.util.Iterator;
import java.util.stream.Stream;

/** Iterates a {@link Stream} and closes it; used by {@link AsyncFlow#fromStream}. */
final class ClosingIterator<T> implements Iterator<T>, AutoCloseable {
    private final Stream<? extends T> stream;
    private final Iterator<? extends T> it;

    ClosingIterator(Stream<? extends T> stream) {
        this.stream = stream;
        this.it = iterate(stream);
    }

    /**
     * The stream's iterator. A stream can be iterated once: a supplier that hands out the same
     * stream again (a field, a captured local) makes the second collection fail, and the JDK's
     * "stream has already been operated upon or closed" does not say which call needs fixing.
     */
    private static <T> Iterator<? extends T> iterate(Stream<? extends T> stream) {
        try {
            return stream.iterator();
        } catch (IllegalStateException e) {
            throw new IllegalStateException(
                    "AsyncFlow.fromStream: the supplier returned a stream that cannot be "
                            + "iterated (" + e.getMessage()
                            + "); a stream is single-use, so the supplier must open a new one "
                            + "for each collection, e.g. () -> list.stream() or () -> Files.lines(path)",
                    e);
        }
    }

    @Override
    public boolean hasNext() {
        return it.hasNext();
    }

    @Override
    public T next() {
        return it.next();
    }

    @Override
    public void close() {
        stream.close();
    }
}
