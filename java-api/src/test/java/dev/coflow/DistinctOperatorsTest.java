package dev.coflow;

import static dev.coflow.TransformOperatorsTest.assertNpe;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** distinctUntilChanged and its variants (kotlinx Distinct.kt). */
class DistinctOperatorsTest {

    @Nested
    class ByEquals extends OperatorTestBase {
        protected AsyncFlow<?> apply(AsyncFlow<Integer> up) {
            return up.distinctUntilChanged();
        }

        protected List<?> expected() {
            return List.of(1, 2, 3, 4, 5);
        }

        protected List<String> expectedOrder() {
            return oneToOne(1, 2, 3);
        }

        @Test
        void dropsOnlyConsecutiveRepeats() {
            assertEquals(
                    List.of(1, 2, 1, 3),
                    AsyncFlow.of(1, 1, 2, 2, 2, 1, 3, 3).distinctUntilChanged().toList());
        }
    }

    @Nested
    class ByKey extends OperatorTestBase {
        protected AsyncFlow<?> apply(AsyncFlow<Integer> up) {
            return up.distinctUntilChangedBy(x -> x);
        }

        protected List<?> expected() {
            return List.of(1, 2, 3, 4, 5);
        }

        protected AsyncFlow<?> applyFailing(AsyncFlow<Integer> up, Exception f) {
            return up.distinctUntilChangedBy(x -> x == 3 ? fail(f) : x);
        }

        protected List<String> expectedOrder() {
            return oneToOne(1, 2, 3);
        }

        @Test
        void comparesKeys() {
            assertEquals(
                    List.of(1, 2, 4),
                    AsyncFlow.of(1, 2, 3, 4, 5)
                            .distinctUntilChangedBy(x -> x / 2)
                            .toList());
        }

        @Test
        void nullKeysCompareEqualToEachOther() {
            assertEquals(
                    List.of("a", "c"),
                    AsyncFlow.of("a", "b", "c")
                            .distinctUntilChangedBy(s -> s.equals("c") ? "c" : null)
                            .toList());
        }
    }

    @Nested
    class ByEquivalence extends OperatorTestBase {
        protected AsyncFlow<?> apply(AsyncFlow<Integer> up) {
            return up.distinctUntilChanged((a, b) -> a.equals(b));
        }

        protected List<?> expected() {
            return List.of(1, 2, 3, 4, 5);
        }

        protected AsyncFlow<?> applyFailing(AsyncFlow<Integer> up, Exception f) {
            return up.distinctUntilChanged((a, b) -> b == 3 ? fail(f) : false);
        }

        protected List<String> expectedOrder() {
            return oneToOne(1, 2, 3);
        }

        @Test
        void comparesWithTheLastElementPassedOn() {
            assertEquals(
                    List.of("a", "b"),
                    AsyncFlow.of("a", "A", "b", "B")
                            .distinctUntilChanged(String::equalsIgnoreCase)
                            .toList());
            // the reference is the last element passed on, not the last one seen
            assertEquals(
                    List.of(1, 3, 5),
                    AsyncFlow.of(1, 2, 3, 4, 5)
                            .distinctUntilChanged((prev, next) -> next - prev < 2)
                            .toList());
        }
    }

    @Test
    void nullLambdasAreRejectedNamingTheArgument() {
        AsyncFlow<Integer> f = AsyncFlow.of(1);
        assertNpe("keyFn", () -> f.distinctUntilChangedBy(null));
        assertNpe("areEquivalent", () -> f.distinctUntilChanged(null));
    }
}
