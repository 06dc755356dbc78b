package dev.coflow;

import static dev.coflow.OperatorTestBase.inVirtualTime;
import static dev.coflow.OperatorTestBase.onDefault;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coflow.OperatorTestBase.Timed;
import dev.coflow.bridge.Coroutines;
import dev.coflow.bridge.Suspend;
import dev.coflow.test.CoflowExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * concat, startWith, interleave, takeLast, ignoreElements, defaultIfEmpty, switchIfEmpty,
 * sliding, zip and combine of three, combine of a list, and SharingStarted's factory methods:
 * values, errors, cancellation (the upstream's finally runs once) and ordering.
 */
class LongTailOperatorsTest {
    private final List<String> log = new CopyOnWriteArrayList<>();

    /** After each test, no coroutine body it started may still be running (the harness's leak check). */
    @RegisterExtension
    static final CoflowExtension COFLOW = CoflowExtension.withLeakGrace(Duration.ZERO);

    /** 1..n, logging "finally name" when it ends however it ends. */
    private AsyncFlow<Integer> source(String name, int n) {
        return AsyncFlow.generate(out -> {
            try {
                for (int i = 1; i <= n; i++) {
                    out.emit(i);
                }
            } finally {
                log.add("finally " + name);
            }
        });
    }

    private static <T> AsyncFlow<T> failing(String message) {
        return AsyncFlow.generate(out -> {
            throw new IllegalStateException(message);
        });
    }

    @Nested
    class Concat {
        @Test
        void collectsEachFlowInTurn() throws Exception {
            AsyncFlow<Integer> f = AsyncFlow.concat(source("a", 2), AsyncFlow.of(10), source("b", 1));
            assertEquals(List.of(1, 2, 10, 1), f.toList());
            assertEquals(List.of("finally a", "finally b"), log);
            assertEquals(List.of(1, 2, 10, 1), onDefault(f));
            assertEquals(List.of(1, 2, 10, 1), Coroutines.run(scope -> f.toList()));
        }

        @Test
        void theNextFlowStartsOnlyAfterThePreviousCompleted() {
            Timed<List<String>> t = inVirtualTime(() -> {
                List<String> got = new ArrayList<>();
                long start = Suspend.clockMillis();
                AsyncFlow.concat(AsyncFlow.timer(Duration.ofMillis(100)), AsyncFlow.timer(Duration.ofMillis(100)))
                        .forEach(v -> got.add(v + "@" + (Suspend.clockMillis() - start)));
                return got;
            });
            assertEquals(List.of("0@100", "0@200"), t.value());
        }

        @Test
        void takeStopsBeforeTheLaterFlowsStart() {
            assertEquals(
                    List.of(1, 2),
                    AsyncFlow.concat(source("a", 5), source("b", 5)).take(2).toList());
            assertEquals(List.of("finally a"), log, "b never started");
        }

        @Test
        void aFailureEndsTheConcatenation() {
            IllegalStateException e = assertThrows(
                    IllegalStateException.class,
                    () -> AsyncFlow.concat(source("a", 1), failing("boom"), source("b", 1))
                            .toList());
            assertEquals("boom", e.getMessage());
            assertEquals(List.of("finally a"), log);
        }

        @Test
        void emptyAndBadInput() {
            assertEquals(List.of(), AsyncFlow.concat(List.of()).toList());
            NullPointerException e =
                    assertThrows(NullPointerException.class, () -> AsyncFlow.concat(AsyncFlow.of(1), null));
            assertEquals("flows[1]", e.getMessage());
        }

        @Test
        void startWithPutsValuesFirst() {
            assertEquals(List.of(0, -1, 1, 2), source("a", 2).startWith(0, -1).toList());
            assertThrows(NullPointerException.class, () -> source("a", 1).startWith((Integer) null));
        }
    }

    @Nested
    class Interleave {
        @Test
        void alternatesThenDrainsTheLongerSide() throws Exception {
            assertEquals(
                    List.of(1, 1, 2, 2, 3, 4),
                    source("a", 4).interleave(source("b", 2)).toList());
            assertEquals(
                    List.of(1, 1, 2, 2, 3, 4),
                    source("a", 2).interleave(source("b", 4)).toList());
            assertEquals(List.of(1, 10, 2, 3), onDefault(AsyncFlow.of(1, 2, 3).interleave(AsyncFlow.of(10))));
        }

        @Test
        void aFailureOfEitherSideFailsTheFlowAndCancelsTheOther() {
            IllegalStateException e = assertThrows(
                    IllegalStateException.class,
                    () -> AsyncFlow.interval(Duration.ofMillis(1))
                            .map(Long::intValue)
                            .interleave(failing("boom"))
                            .toList());
            assertEquals("boom", e.getMessage());
        }

        @Test
        void takeCancelsBothSides() {
            assertEquals(
                    List.of(1, 1, 2),
                    source("a", 100).interleave(source("b", 100)).take(3).toList());
            assertEquals(2, log.size(), log::toString);
            assertTrue(log.contains("finally a") && log.contains("finally b"), log::toString);
        }
    }

    @Nested
    class TakeLastAndIgnore {
        @Test
        void takeLastKeepsTheTail() {
            assertEquals(List.of(8, 9, 10), source("a", 10).takeLast(3).toList());
            assertEquals(List.of(1, 2), source("a", 2).takeLast(3).toList());
            assertEquals(List.of(), source("a", 5).takeLast(0).toList());
            assertEquals(
                    "takeLast: n must be >= 0, was -1",
                    assertThrows(
                                    IllegalArgumentException.class,
                                    () -> source("a", 1).takeLast(-1))
                            .getMessage());
        }

        @Test
        void takeLastEmitsNothingWhenTheUpstreamFails() {
            List<Integer> got = new ArrayList<>();
            AsyncFlow<Integer> f = AsyncFlow.concat(source("a", 3), failing("boom"));
            assertThrows(IllegalStateException.class, () -> f.takeLast(2).forEach(got::add));
            assertEquals(List.of(), got);
        }

        @Test
        void ignoreElementsRunsTheUpstreamForItsEnd() {
            List<Integer> seen = new ArrayList<>();
            assertEquals(
                    List.of(), source("a", 3).onEach(seen::add).ignoreElements().toList());
            assertEquals(List.of(1, 2, 3), seen);
            assertEquals(
                    "boom",
                    assertThrows(
                                    IllegalStateException.class,
                                    () -> LongTailOperatorsTest.<Integer>failing("boom")
                                            .ignoreElements()
                                            .toList())
                            .getMessage());
        }
    }

    @Nested
    class WhenEmpty {
        @Test
        void defaultIfEmpty() {
            assertEquals(
                    List.of(7), AsyncFlow.<Integer>empty().defaultIfEmpty(7).toList());
            assertEquals(List.of(1, 2), source("a", 2).defaultIfEmpty(7).toList());
            assertThrows(NullPointerException.class, () -> AsyncFlow.of(1).defaultIfEmpty(null));
        }

        @Test
        void switchIfEmptyCollectsTheFallbackOnlyWhenNeeded() {
            assertEquals(
                    List.of(1, 2),
                    AsyncFlow.<Integer>empty()
                            .switchIfEmpty(source("fallback", 2))
                            .toList());
            assertEquals(List.of("finally fallback"), log);
            log.clear();
            assertEquals(
                    List.of(1),
                    source("a", 1).switchIfEmpty(source("fallback", 2)).toList());
            assertEquals(List.of("finally a"), log, "the fallback never started");
        }

        @Test
        void aFailureIsNotEmptiness() {
            assertThrows(
                    IllegalStateException.class,
                    () -> LongTailOperatorsTest.<Integer>failing("boom")
                            .defaultIfEmpty(7)
                            .toList());
        }
    }

    @Nested
    class Sliding {
        @Test
        void overlappingDisjointAndSkippingWindows() {
            assertEquals(
                    List.of(List.of(1, 2, 3), List.of(2, 3, 4), List.of(3, 4, 5)),
                    source("a", 5).sliding(3, 1).toList());
            assertEquals(
                    List.of(List.of(1, 2), List.of(3, 4)),
                    source("a", 5).sliding(2, 2).toList());
            assertEquals(
                    List.of(List.of(1, 2), List.of(5, 6)),
                    source("a", 7).sliding(2, 4).toList());
            assertEquals(List.of(), source("a", 2).sliding(3, 1).toList());
        }

        @Test
        void windowsAreReadOnlyCopies() {
            List<List<Integer>> w = source("a", 3).sliding(2, 1).toList();
            assertThrows(UnsupportedOperationException.class, () -> w.get(0).add(9));
            assertEquals(List.of(List.of(1, 2), List.of(2, 3)), w);
        }

        @Test
        void argumentsAreChecked() {
            assertEquals(
                    "sliding: step must be >= 1, was 0",
                    assertThrows(
                                    IllegalArgumentException.class,
                                    () -> AsyncFlow.of(1).sliding(2, 0))
                            .getMessage());
        }
    }

    @Nested
    class ThreeAndMore {
        @Test
        void zipOfThreeEndsWithTheShortest() {
            assertEquals(
                    List.of("1a10", "2b20"),
                    source("n", 5)
                            .zip(AsyncFlow.of("a", "b"), AsyncFlow.of(10, 20, 30), (n, s, t) -> n + s + t)
                            .toList());
            assertTrue(log.contains("finally n"), log::toString);
        }

        @Test
        void zipOfThreeMayWaitInItsFunction() {
            Timed<List<Integer>> t = inVirtualTime(() -> AsyncFlow.of(1, 2)
                    .zip(AsyncFlow.of(10, 20), AsyncFlow.of(100, 200), (a, b, c) -> {
                        Suspend.delay(50);
                        return a + b + c;
                    })
                    .toList());
            assertEquals(List.of(111, 222), t.value());
            assertEquals(100, t.virtualMillis());
        }

        @Test
        void combineOfThreeUsesTheLatestOfEach() {
            Timed<List<String>> t = inVirtualTime(() -> {
                AsyncFlow<String> a = AsyncFlow.of("a1", "a2").delayEach(Duration.ofMillis(100));
                AsyncFlow<String> b = AsyncFlow.of("b1").delayEach(Duration.ofMillis(150));
                AsyncFlow<String> c = AsyncFlow.of("c1", "c2").delayEach(Duration.ofMillis(120));
                return a.combine(b, c, (x, y, z) -> x + y + z).toList();
            });
            // a1@100 c1@120 b1@150 -> a1b1c1; a2@200 -> a2b1c1; c2@240 -> a2b1c2
            assertEquals(List.of("a1b1c1", "a2b1c1", "a2b1c2"), t.value());
        }

        @Test
        void combineOfAListGivesTheLatestOfEveryFlowInOrder() {
            Timed<List<List<String>>> t = inVirtualTime(() -> AsyncFlow.combine(List.of(
                            AsyncFlow.of("x1", "x2").delayEach(Duration.ofMillis(100)),
                            AsyncFlow.of("y1").delayEach(Duration.ofMillis(150)),
                            AsyncFlow.of("z1").delayEach(Duration.ofMillis(10))))
                    .toList());
            assertEquals(List.of(List.of("x1", "y1", "z1"), List.of("x2", "y1", "z1")), t.value());
            assertEquals(
                    List.of(), AsyncFlow.combine(List.<AsyncFlow<Integer>>of()).toList());
            assertEquals(
                    List.of(List.of(1), List.of(2)),
                    AsyncFlow.combine(List.of(AsyncFlow.of(1, 2))).toList());
        }

        @Test
        void aFailureInAnyInputFailsTheCombination() {
            assertEquals(
                    "boom",
                    assertThrows(
                                    IllegalStateException.class,
                                    () -> AsyncFlow.combine(List.of(
                                                    source("a", 3), LongTailOperatorsTest.<Integer>failing("boom")))
                                            .toList())
                            .getMessage());
        }
    }

    @Test
    void sharingStartedFactoryMethodsAreTheConstants() {
        assertSame(SharingStarted.EAGERLY, SharingStarted.eagerly());
        assertSame(SharingStarted.LAZILY, SharingStarted.lazily());
    }
}
