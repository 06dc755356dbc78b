package dev.coflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coflow.bridge.Suspend;
import dev.coflow.test.CoflowExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;

/** map, filter, filterNot, mapNotNull, transform, withIndex, scan, onEach (kotlinx Transform.kt / Emitters.kt). */
class TransformOperatorsTest {
    /** After each test, no coroutine body it started may still be running (the harness's leak check). */
    @RegisterExtension
    static final CoflowExtension COFLOW = CoflowExtension.withLeakGrace(Duration.ZERO);

    @Nested
    class Map extends OperatorTestBase {
        protected AsyncFlow<?> apply(AsyncFlow<Integer> up) {
            return up.map(x -> x * 10);
        }

        protected List<?> expected() {
            return List.of(10, 20, 30, 40, 50);
        }

        protected AsyncFlow<?> applyFailing(AsyncFlow<Integer> up, Exception f) {
            return up.map(x -> x == 3 ? fail(f) : x);
        }

        protected List<String> expectedOrder() {
            return oneToOne(10, 20, 30);
        }

        @Test
        void nullResultFailsNamingTheOperator() {
            NullPointerException e = assertThrows(
                    NullPointerException.class,
                    () -> AsyncFlow.of(1).map(x -> null).toList());
            assertTrue(e.getMessage().startsWith("map:"), e.getMessage());
            assertTrue(e.getMessage().contains("mapNotNull"), e.getMessage());
        }
    }

    @Nested
    class Filter extends OperatorTestBase {
        protected AsyncFlow<?> apply(AsyncFlow<Integer> up) {
            return up.filter(x -> x % 2 == 1);
        }

        protected List<?> expected() {
            return List.of(1, 3, 5);
        }

        protected AsyncFlow<?> applyFailing(AsyncFlow<Integer> up, Exception f) {
            return up.filter(x -> x == 3 ? fail(f) : true);
        }

        protected List<String> expectedOrder() {
            return List.of("start", "emit 1", "got 1", "emit 2", "emit 3", "got 3", "finally");
        }
    }

    @Nested
    class FilterNot extends OperatorTestBase {
        protected AsyncFlow<?> apply(AsyncFlow<Integer> up) {
            return up.filterNot(x -> x % 2 == 0);
        }

        protected List<?> expected() {
            return List.of(1, 3, 5);
        }

        protected AsyncFlow<?> applyFailing(AsyncFlow<Integer> up, Exception f) {
            return up.filterNot(x -> x == 3 ? fail(f) : false);
        }

        protected List<String> expectedOrder() {
            return List.of("start", "emit 1", "got 1", "emit 2", "emit 3", "got 3", "finally");
        }
    }

    @Nested
    class MapNotNull extends OperatorTestBase {
        protected AsyncFlow<?> apply(AsyncFlow<Integer> up) {
            return up.mapNotNull(x -> x % 2 == 0 ? null : x * 10);
        }

        protected List<?> expected() {
            return List.of(10, 30, 50);
        }

        protected AsyncFlow<?> applyFailing(AsyncFlow<Integer> up, Exception f) {
            return up.mapNotNull(x -> x == 3 ? fail(f) : x);
        }

        protected List<String> expectedOrder() {
            return List.of("start", "emit 1", "got 10", "emit 2", "emit 3", "got 30", "finally");
        }

        @Test
        void allNullGivesEmptyFlow() {
            assertEquals(List.of(), AsyncFlow.of(1, 2).mapNotNull(x -> null).toList());
        }
    }

    @Nested
    class Transform extends OperatorTestBase {
        protected AsyncFlow<?> apply(AsyncFlow<Integer> up) {
            return up.<Integer>transform((v, out) -> {
                out.emit(v);
                out.emit(-v);
            });
        }

        protected List<?> expected() {
            return List.of(1, -1, 2, -2, 3, -3, 4, -4, 5, -5);
        }

        protected AsyncFlow<?> applyFailing(AsyncFlow<Integer> up, Exception f) {
            return up.<Integer>transform((v, out) -> {
                if (v == 3) {
                    throw f;
                }
                out.emit(v);
            });
        }

        protected List<String> expectedOrder() {
            return List.of(
                    "start", "emit 1", "got 1", "got -1", "emit 2", "got 2", "got -2", "emit 3", "got 3", "got -3",
                    "finally");
        }

        @Test
        void eachEmitWaitsForTheDownstreamBeforeTheBodyGoesOn() {
            List<String> order = new CopyOnWriteArrayList<>();
            AsyncFlow.of(1, 2)
                    .<String>transform((v, out) -> {
                        order.add("before " + v);
                        out.emit("a" + v);
                        order.add("between " + v);
                        out.emit("b" + v);
                    })
                    .forEach(s -> order.add("got " + s));
            assertEquals(
                    List.of("before 1", "got a1", "between 1", "got b1", "before 2", "got a2", "between 2", "got b2"),
                    order);
        }

        @Test
        void earlyExitStopsTheBodyAtItsEmit() {
            List<String> order = new CopyOnWriteArrayList<>();
            List<String> got = AsyncFlow.of(1, 2, 3)
                    .<String>transform((v, out) -> {
                        out.emit("x" + v);
                        order.add("after first emit of " + v);
                        out.emit("y" + v);
                        order.add("after second emit of " + v);
                    })
                    .take(3)
                    .toList();
            assertEquals(List.of("x1", "y1", "x2"), got);
            assertEquals(List.of("after first emit of 1", "after second emit of 1"), order);
        }

        @Test
        void emittingNothingDropsTheElement() {
            assertEquals(
                    List.of(2, 4),
                    AsyncFlow.range(1, 5)
                            .<Integer>transform((v, out) -> {
                                if (v % 2 == 0) {
                                    out.emit(v);
                                }
                            })
                            .toList());
        }

        @Test
        void bodyMayWaitInVirtualTime() {
            Timed<List<Integer>> t = inVirtualTime(() -> AsyncFlow.of(1, 2, 3)
                    .<Integer>transform((v, out) -> {
                        Suspend.delay(100);
                        out.emit(v);
                    })
                    .toList());
            assertEquals(List.of(1, 2, 3), t.value());
            assertEquals(300, t.virtualMillis());
        }

        @Test
        void emitNullFailsNamingTheOperator() {
            NullPointerException e = assertThrows(
                    NullPointerException.class,
                    () -> AsyncFlow.of(1)
                            .<Integer>transform((v, out) -> out.emit(null))
                            .toList());
            assertTrue(e.getMessage().startsWith("transform:"), e.getMessage());
        }

        @Test
        void emitterIsUnusableAfterItsCallReturnedOrFromAnotherThread() {
            AtomicReference<Emitter<Integer>> leaked = new AtomicReference<>();
            AsyncFlow.of(1).<Integer>transform((v, out) -> leaked.set(out)).toList();
            IllegalStateException late =
                    assertThrows(IllegalStateException.class, () -> leaked.get().emit(1));
            assertTrue(late.getMessage().contains("has returned"), late.getMessage());

            IllegalStateException other = assertThrows(
                    IllegalStateException.class,
                    () -> AsyncFlow.of(1)
                            .<Integer>transform((v, out) -> {
                                try {
                                    CompletableFuture.runAsync(() -> out.emit(v))
                                            .join();
                                } catch (java.util.concurrent.CompletionException ce) {
                                    throw (Exception) ce.getCause();
                                }
                            })
                            .toList());
            assertTrue(other.getMessage().contains("not thread-safe"), other.getMessage());
        }
    }

    @Nested
    class WithIndex extends OperatorTestBase {
        protected AsyncFlow<?> apply(AsyncFlow<Integer> up) {
            return up.withIndex();
        }

        protected List<?> expected() {
            List<Indexed<Integer>> l = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                l.add(new Indexed<>(i, i + 1));
            }
            return l;
        }

        protected List<String> expectedOrder() {
            return oneToOne(new Indexed<>(0, 1), new Indexed<>(1, 2), new Indexed<>(2, 3));
        }

        @Test
        void everyCollectionCountsFromZero() {
            AsyncFlow<Long> idx = AsyncFlow.of("a", "b").withIndex().map(Indexed::index);
            assertEquals(List.of(0L, 1L), idx.toList());
            assertEquals(List.of(0L, 1L), idx.toList());
        }

        @Test
        void indexedRejectsBadInput() {
            assertThrows(IllegalArgumentException.class, () -> new Indexed<>(-1, "x"));
            NullPointerException e = assertThrows(NullPointerException.class, () -> new Indexed<>(0, null));
            assertEquals("value", e.getMessage());
        }
    }

    @Nested
    class Scan extends OperatorTestBase {
        protected AsyncFlow<?> apply(AsyncFlow<Integer> up) {
            return up.scan(0, Integer::sum);
        }

        protected List<?> expected() {
            return List.of(0, 1, 3, 6, 10, 15);
        }

        protected AsyncFlow<?> applyFailing(AsyncFlow<Integer> up, Exception f) {
            return up.scan(0, (acc, v) -> v == 3 ? fail(f) : acc + v);
        }

        protected List<String> expectedOrder() {
            return List.of("got 0", "start", "emit 1", "got 1", "emit 2", "got 3", "emit 3", "got 6", "finally");
        }

        @Test
        void nullAccumulationFailsNamingTheOperator() {
            NullPointerException e = assertThrows(
                    NullPointerException.class,
                    () -> AsyncFlow.of(1).scan("", (acc, v) -> null).toList());
            assertTrue(e.getMessage().startsWith("scan:"), e.getMessage());
        }

        @Test
        void emptyUpstreamGivesOnlyTheInitialValue() {
            assertEquals(
                    List.of("seed"),
                    AsyncFlow.<Integer>empty().scan("seed", (acc, v) -> acc + v).toList());
        }
    }

    @Nested
    class OnEach extends OperatorTestBase {
        protected AsyncFlow<?> apply(AsyncFlow<Integer> up) {
            return up.onEach(x -> {});
        }

        protected List<?> expected() {
            return List.of(1, 2, 3, 4, 5);
        }

        protected AsyncFlow<?> applyFailing(AsyncFlow<Integer> up, Exception f) {
            return up.onEach(x -> {
                if (x == 3) {
                    throw f;
                }
            });
        }

        protected List<String> expectedOrder() {
            return oneToOne(1, 2, 3);
        }
    }

    @Test
    void nullLambdasAreRejectedNamingTheArgument() {
        AsyncFlow<Integer> f = AsyncFlow.of(1);
        assertNpe("fn", () -> f.map(null));
        assertNpe("predicate", () -> f.filter(null));
        assertNpe("predicate", () -> f.filterNot(null));
        assertNpe("fn", () -> f.mapNotNull(null));
        assertNpe("fn", () -> f.transform(null));
        assertNpe("initial", () -> f.scan(null, (a, b) -> a));
        assertNpe("fn", () -> f.scan(0, null));
        assertNpe("action", () -> f.onEach(null));
    }

    static void assertNpe(String argument, Executable call) {
        NullPointerException e = assertThrows(NullPointerException.class, call);
        assertEquals(argument, e.getMessage());
    }
}
