package dev.coflow;

import static dev.coflow.OperatorTestBase.inVirtualTime;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coflow.OperatorTestBase.Timed;
import dev.coflow.bridge.Suspend;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import kotlinx.coroutines.flow.FlowKt;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** flatMapConcat, flatMapMerge, flatMapLatest and merge: battery, timing, bounds, failure. */
class MergeTest {

    @Nested
    class FlatMapConcat extends OperatorTestBase {
        protected AsyncFlow<?> apply(AsyncFlow<Integer> up) {
            return up.flatMapConcat(i -> AsyncFlow.of(i, -i));
        }

        protected AsyncFlow<?> applyFailing(AsyncFlow<Integer> up, Exception e) {
            return up.flatMapConcat(i -> i == 3 ? fail(e) : AsyncFlow.of(i));
        }

        protected List<?> expected() {
            return List.of(1, -1, 2, -2, 3, -3, 4, -4, 5, -5);
        }

        protected List<String> expectedOrder() {
            return List.of(
                    "start", "emit 1", "got 1", "got -1", "emit 2", "got 2", "got -2", "emit 3", "got 3", "got -3",
                    "finally");
        }
    }

    @Nested
    class FlatMapMerge extends OperatorTestBase {
        protected AsyncFlow<?> apply(AsyncFlow<Integer> up) {
            return up.flatMapMerge(2, i -> AsyncFlow.of(i * 10));
        }

        protected AsyncFlow<?> applyFailing(AsyncFlow<Integer> up, Exception e) {
            return up.flatMapMerge(2, i -> i == 3 ? fail(e) : AsyncFlow.of(i));
        }

        protected List<?> expected() {
            return List.of(10, 20, 30, 40, 50);
        }

        protected List<String> expectedOrder() {
            return null;
        }

        @Override
        protected void assertValues(List<?> actual) {
            List<Integer> sorted =
                    new ArrayList<>(actual.stream().map(Integer.class::cast).toList());
            sorted.sort(null);
            assertEquals(expected(), sorted);
        }
    }

    @Nested
    class FlatMapLatest extends OperatorTestBase {
        protected AsyncFlow<?> apply(AsyncFlow<Integer> up) {
            return up.flatMapLatest(i -> AsyncFlow.of(i * 10));
        }

        protected AsyncFlow<?> applyFailing(AsyncFlow<Integer> up, Exception e) {
            return up.flatMapLatest(i -> i == 3 ? fail(e) : AsyncFlow.of(i));
        }

        protected List<?> expected() {
            return List.of(10, 20, 30, 40, 50);
        }

        protected List<String> expectedOrder() {
            return null;
        }
        /** An inner flow may be cancelled by the next element before it emits; the last always arrives. */
        @Override
        protected void assertValues(List<?> actual) {
            assertEquals(50, actual.getLast(), actual::toString);
            assertTrue(expected().containsAll(actual), actual::toString);
        }
    }

    @Test
    void flatMapConcatRunsInnerFlowsOneAfterAnother() {
        Timed<List<String>> t = inVirtualTime(() -> AsyncFlow.of(1, 2)
                .flatMapConcat(i -> AsyncFlow.<String>generate(out -> {
                    Suspend.delay(100);
                    out.emit(i + "a");
                    Suspend.delay(100);
                    out.emit(i + "b");
                }))
                .toList());
        assertEquals(List.of("1a", "1b", "2a", "2b"), t.value());
        assertEquals(400, t.virtualMillis());
    }

    @Test
    void flatMapMergeCollectsAtMostConcurrencyInnerFlowsAtOnce() {
        AtomicInteger now = new AtomicInteger();
        AtomicInteger max = new AtomicInteger();
        Timed<List<Integer>> t = inVirtualTime(() -> AsyncFlow.range(0, 12)
                .flatMapMerge(
                        3,
                        i -> AsyncFlow.<Integer>generate(out -> {
                            max.accumulateAndGet(now.incrementAndGet(), Math::max);
                            try {
                                Suspend.delay(100);
                                out.emit(i);
                            } finally {
                                now.decrementAndGet();
                            }
                        }))
                .toList());
        assertEquals(12, t.value().size());
        assertEquals(3, max.get());
        assertEquals(400, t.virtualMillis(), "12 inner flows of 100 ms, 3 at a time");
    }

    @Test
    void flatMapLatestCancelsThePreviousInnerFlow() {
        List<String> log = new CopyOnWriteArrayList<>();
        // upstream at 0 and 100; each inner flow emits at once, then again 150 ms later
        Timed<List<String>> t = inVirtualTime(() -> AsyncFlow.<Integer>generate(out -> {
                    out.emit(1);
                    Suspend.delay(100);
                    out.emit(2);
                })
                .flatMapLatest(i -> AsyncFlow.<String>generate(out -> {
                    try {
                        out.emit(i + "a");
                        Suspend.delay(150);
                        out.emit(i + "b");
                    } catch (CancellationException e) {
                        log.add(i + " cancelled");
                        throw e;
                    }
                }))
                .toList());
        assertEquals(List.of("1a", "2a", "2b"), t.value());
        assertEquals(List.of("1 cancelled"), log);
        assertEquals(250, t.virtualMillis());
    }

    @Test
    void mergeInterleavesByTime() {
        Timed<List<String>> t = inVirtualTime(() -> AsyncFlow.merge(
                        AsyncFlow.<String>generate(out -> {
                            Suspend.delay(100);
                            out.emit("a1");
                            Suspend.delay(200);
                            out.emit("a2");
                        }),
                        AsyncFlow.<String>generate(out -> {
                            Suspend.delay(200);
                            out.emit("b1");
                        }))
                .toList());
        assertEquals(List.of("a1", "b1", "a2"), t.value());
        assertEquals(300, t.virtualMillis());
    }

    @Test
    void mergeFailureCancelsTheOtherFlows() {
        List<String> log = new CopyOnWriteArrayList<>();
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> AsyncFlow.merge(
                                AsyncFlow.<Integer>generate(out -> {
                                    try {
                                        for (int i = 0; ; i++) {
                                            Suspend.delay(10);
                                            out.emit(i);
                                        }
                                    } finally {
                                        log.add("endless finally");
                                    }
                                }),
                                AsyncFlow.<Integer>generate(out -> {
                                    Suspend.delay(25);
                                    throw new IllegalStateException("merge side failed");
                                }))
                        .toList());
        assertEquals("merge side failed", e.getMessage());
        assertEquals(List.of("endless finally"), log);
    }

    @Test
    void mergeAcceptsKotlinFlowsAndRejectsTheirNulls() {
        assertEquals(
                List.of(1, 2),
                AsyncFlow.merge(List.of(FlowKt.flowOf(1), AsyncFlow.of(2))).toList().stream()
                        .sorted()
                        .toList());
        NullPointerException e = assertThrows(
                NullPointerException.class,
                () -> AsyncFlow.merge(FlowKt.flowOf((Integer) null)).toList());
        assertTrue(e.getMessage().contains("merge"), e.getMessage());
    }

    @Test
    void argumentsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> AsyncFlow.of(1).flatMapMerge(0, i -> AsyncFlow.of(i)));
        NullPointerException e = assertThrows(
                NullPointerException.class,
                () -> AsyncFlow.of(1).flatMapConcat(i -> null).toList());
        assertTrue(e.getMessage().contains("flatMapConcat"), e.getMessage());
        assertEquals(
                List.of(1, 2),
                AsyncFlow.of(1, 2).flatMapMerge(i -> AsyncFlow.of(i)).toList().stream()
                        .sorted()
                        .toList());
    }
}
