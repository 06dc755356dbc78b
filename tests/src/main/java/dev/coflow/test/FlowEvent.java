package dev.coflow.test;

import java.util.Objects;

/**
 * One thing a flow did, as seen by a {@link FlowTester}: an item, its completion, or its failure.
 * Returned by {@link FlowTester#cancelAndConsumeRemainingEvents()}; use pattern matching to inspect.
 *
 * {@snippet :
 * for (FlowEvent<Integer> e : t.cancelAndConsumeRemainingEvents()) {
 *     if (e instanceof FlowEvent.Item<Integer>(Integer v)) sum += v;
 * }
 * }
 *
 * <p>Turbine counterpart: {@code Event<T>} ({@code Item}, {@code Complete}, {@code Error}).
 *
 * @param <T> the element type
 */
public sealed interface FlowEvent<T> {

    /**
     * The flow emitted {@code value}.
     *
     * @param value the emitted value (may be {@code null} for Kotlin flows of nullable type)
     * @param <T> the element type
     */
    record Item<T>(T value) implements FlowEvent<T> {
        @Override
        public String toString() {
            return "Item(" + value + ")";
        }
    }

    /**
     * The flow completed normally.
     *
     * @param <T> the element type
     */
    record Complete<T>() implements FlowEvent<T> {
        @Override
        public String toString() {
            return "Complete";
        }
    }

    /**
     * The flow failed with {@code error}.
     *
     * @param error the exception that ended the flow, not null
     * @param <T> the element type
     */
    record Error<T>(Throwable error) implements FlowEvent<T> {
        /**
         * Creates the event.
         *
         * @param error the exception, not null
         */
        public Error {
            Objects.requireNonNull(error, "error");
        }

        @Override
        public String toString() {
            return "Error(" + error + ")";
        }
    }
}
