package dev.coflow;

import static dev.coflow.TransformOperatorsTest.assertNpe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** take, takeWhile, drop, dropWhile (kotlinx Limit.kt). */
class LimitOperatorsTest {

    @Nested
    class Take extends OperatorTestBase {
        protected AsyncFlow<?> apply(AsyncFlow<Integer> up) {
            return up.take(10);
        }

        protected List<?> expected() {
            return List.of(1, 2, 3, 4, 5);
        }

        protected List<String> expectedOrder() {
            return oneToOne(1, 2, 3);
        }

        @Test
        void stopsTheGeneratorRightAfterTheLastWantedElement() {
            assertEquals(List.of(1, 2), infiniteUpstream().take(2).toList());
            assertEquals(List.of("start", "emit 1", "emit 2", "cancelled", "finally"), log);
        }

        @Test
        void zeroNeverStartsTheUpstream() {
            assertEquals(List.of(), upstream(3).take(0).toList());
            assertEquals(List.of(), log);
        }
    }

    @Nested
    class TakeWhile extends OperatorTestBase {
        protected AsyncFlow<?> apply(AsyncFlow<Integer> up) {
            return up.takeWhile(x -> x < 100);
        }

        protected List<?> expected() {
            return List.of(1, 2, 3, 4, 5);
        }

        protected AsyncFlow<?> applyFailing(AsyncFlow<Integer> up, Exception f) {
            return up.takeWhile(x -> x == 3 ? fail(f) : true);
        }

        protected List<String> expectedOrder() {
            return oneToOne(1, 2, 3);
        }

        @Test
        void firstMismatchEndsTheFlowAndCancelsTheUpstream() {
            assertEquals(List.of(1, 2), infiniteUpstream().takeWhile(x -> x < 3).toList());
            assertEquals(List.of("start", "emit 1", "emit 2", "emit 3", "cancelled", "finally"), log);
        }
    }

    @Nested
    class Drop extends OperatorTestBase {
        protected AsyncFlow<?> apply(AsyncFlow<Integer> up) {
            return up.drop(2);
        }

        protected List<?> expected() {
            return List.of(3, 4, 5);
        }

        protected List<String> expectedOrder() {
            return List.of("start", "emit 1", "emit 2", "emit 3", "got 3", "finally");
        }

        @Test
        void moreThanThereAreGivesEmpty() {
            assertEquals(List.of(), upstream(3).drop(5).toList());
        }
    }

    @Nested
    class DropWhile extends OperatorTestBase {
        protected AsyncFlow<?> apply(AsyncFlow<Integer> up) {
            return up.dropWhile(x -> x < 3);
        }

        protected List<?> expected() {
            return List.of(3, 4, 5);
        }

        protected AsyncFlow<?> applyFailing(AsyncFlow<Integer> up, Exception f) {
            return up.dropWhile(x -> x == 3 ? fail(f) : true);
        }

        protected List<String> expectedOrder() {
            return List.of("start", "emit 1", "emit 2", "emit 3", "got 3", "finally");
        }

        @Test
        void predicateIsNotCalledAfterTheFirstMismatch() {
            int[] calls = {0};
            assertEquals(
                    List.of(2, 3, 1),
                    AsyncFlow.of(1, 2, 3, 1)
                            .dropWhile(x -> {
                                calls[0]++;
                                return x % 2 == 1;
                            })
                            .toList());
            assertEquals(2, calls[0]);
        }
    }

    @Test
    void negativeCountsAreRejectedWithTheFix() {
        AsyncFlow<Integer> f = AsyncFlow.of(1);
        IllegalArgumentException take = assertThrows(IllegalArgumentException.class, () -> f.take(-1));
        assertTrue(take.getMessage().contains("take: n must be >= 0, was -1"), take.getMessage());
        IllegalArgumentException drop = assertThrows(IllegalArgumentException.class, () -> f.drop(-2));
        assertTrue(drop.getMessage().contains("drop: n must be >= 0, was -2"), drop.getMessage());
    }

    @Test
    void dropZeroIsTheSameFlow() {
        AsyncFlow<Integer> f = AsyncFlow.of(1, 2);
        assertSame(f.asFlow(), f.drop(0).asFlow());
    }

    @Test
    void nullLambdasAreRejectedNamingTheArgument() {
        AsyncFlow<Integer> f = AsyncFlow.of(1);
        assertNpe("predicate", () -> f.takeWhile(null));
        assertNpe("predicate", () -> f.dropWhile(null));
    }
}
