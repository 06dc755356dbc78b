package dev.coflow;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The cursor of {@link AsyncFlow#range}: an {@code Iterator<Integer>} for the kotlinx path, and a
 * plain {@code int} counter the fused loop ({@link Fused}) reads directly, without an interface
 * call per element.
 */
final class RangeCursor implements Iterator<Integer> {
    int next;
    final int end;

    RangeCursor(int from, int end) {
        this.next = from;
        this.end = end;
    }

    @Override
    public boolean hasNext() {
        return next < end;
    }

    @Override
    public Integer next() {
        if (next >= end) {
            throw new NoSuchElementException("range exhausted at " + end);
        }
        return next++;
    }
}
