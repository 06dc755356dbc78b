package dev.coflow;

import dev.coflow.function.ThrowingConsumer;
import dev.coflow.function.ThrowingFunction;
import dev.coflow.function.ThrowingPredicate;

/**
 * The synchronous stages {@link Fused} can run as one plain loop: each wraps its downstream
 * {@link Sink} into the sink its upstream pushes into. They mirror, element for element, what the
 * kotlinx operators built by {@link AsyncFlow} do with the same lambdas (same calls, same order,
 * same null checks and messages, same early stop).
 */
final class FusedStages {
    private FusedStages() {}

    /** Receives one element; returns {@code false} to stop the source (take, takeWhile, first). */
    @FunctionalInterface
    interface Sink {
        boolean accept(Object v) throws Exception;
    }

    /** One stage: builds a fresh sink (with fresh per-collection state) in front of {@code down}. */
    @FunctionalInterface
    interface Stage {
        Sink wrap(Sink down);
    }

    @SuppressWarnings("unchecked")
    static Stage map(ThrowingFunction<?, ?> fn) {
        ThrowingFunction<Object, ?> f = (ThrowingFunction<Object, ?>) fn;
        return down -> v -> {
            Object r = f.apply(v);
            if (r == null) {
                // same message as Lambdas.mapper("map", fn)
                throw Checks.nullElement(
                        "map", "the function returned null for " + v, "use mapNotNull to drop elements");
            }
            return down.accept(r);
        };
    }

    @SuppressWarnings("unchecked")
    static Stage mapNotNull(ThrowingFunction<?, ?> fn) {
        ThrowingFunction<Object, ?> f = (ThrowingFunction<Object, ?>) fn;
        return down -> v -> {
            Object r = f.apply(v);
            return r == null || down.accept(r);
        };
    }

    @SuppressWarnings("unchecked")
    static Stage filter(ThrowingPredicate<?> predicate, boolean keepMatches) {
        ThrowingPredicate<Object> p = (ThrowingPredicate<Object>) predicate;
        return keepMatches ? down -> v -> !p.test(v) || down.accept(v) : down -> v -> p.test(v) || down.accept(v);
    }

    @SuppressWarnings("unchecked")
    static Stage onEach(ThrowingConsumer<?> action) {
        ThrowingConsumer<Object> a = (ThrowingConsumer<Object>) action;
        return down -> v -> {
            a.accept(v);
            return down.accept(v);
        };
    }

    /** The first {@code n > 0} elements: the n-th is passed on, then the source stops. */
    static Stage take(int n) {
        return down -> new Sink() {
            private int passed;

            @Override
            public boolean accept(Object v) throws Exception {
                boolean more = down.accept(v);
                return ++passed < n && more;
            }
        };
    }

    static Stage drop(int n) {
        return down -> new Sink() {
            private int skipped;

            @Override
            public boolean accept(Object v) throws Exception {
                if (skipped < n) {
                    skipped++;
                    return true;
                }
                return down.accept(v);
            }
        };
    }

    @SuppressWarnings("unchecked")
    static Stage takeWhile(ThrowingPredicate<?> predicate) {
        ThrowingPredicate<Object> p = (ThrowingPredicate<Object>) predicate;
        return down -> v -> p.test(v) && down.accept(v);
    }

    @SuppressWarnings("unchecked")
    static Stage dropWhile(ThrowingPredicate<?> predicate) {
        ThrowingPredicate<Object> p = (ThrowingPredicate<Object>) predicate;
        return down -> new Sink() {
            private boolean dropping = true;

            @Override
            public boolean accept(Object v) throws Exception {
                if (dropping) {
                    if (p.test(v)) {
                        return true;
                    }
                    dropping = false;
                }
                return down.accept(v);
            }
        };
    }
}
