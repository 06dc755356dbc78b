package dev.coflow;

import java.util.Iterator;
import java.util.stream.Stream;

/** Iterates a {@link Stream} and closes it; used by {@link AsyncFlow#fromStream}. */
final class ClosingIterator<T> implements Iterator<T>, AutoCloseable {
    private final Stream<? extends T> stream;
    private final Iterator<? extends T> it;

    ClosingIterator(Stream<? extends T> stream) {
        this.stream = stream;
        this.it = stream.iterator();
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
