package dev.coflow;

import java.util.Objects;

/**
 * An element together with its zero-based position in the flow, produced by
 * {@link AsyncFlow#withIndex()}. kotlinx counterpart: {@code IndexedValue}.
 *
 * {@snippet :
 * AsyncFlow.of("a", "b").withIndex()
 *         .forEach(e -> System.out.println(e.index() + ": " + e.value()));   // 0: a, 1: b
 * }
 *
 * @param index the position, starting at 0
 * @param value the element, never null
 * @param <T> the element type
 */
public record Indexed<T>(long index, T value) {
    /**
     * Creates an indexed element.
     *
     * @param index the position, {@code >= 0}
     * @param value the element, not null
     */
    public Indexed {
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0, was " + index);
        }
        Objects.requireNonNull(value, "value");
    }
}
