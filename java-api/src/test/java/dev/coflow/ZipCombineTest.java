package dev.coflow;

import static dev.coflow.OperatorTestBase.inVirtualTime;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coflow.OperatorTestBase.Timed;
import dev.coflow.bridge.Suspend;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import kotlinx.coroutines.flow.FlowKt;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** zip and combine: battery, timing in virtual time, early end, nulls. */
class ZipCombineTest {

    @Nested
    class ZipBattery extends OperatorTestBase {
        protected AsyncFlow<?> apply(AsyncFlow<Integer> up) {
            return up.zip(AsyncFlow.range(100, 1_000), Integer::sum);
        }

        protected AsyncFlow<?> applyFailing(AsyncFlow<Integer> up, Exception e) {
            return up.zip(AsyncFlow.range(100, 1_000), (a, b) -> a == 3 ? fail(e) : a + b);
        }

        protected List<?> expected() {
            return List.of(101, 103, 105, 107, 109);
        }

        protected List<String> expectedOrder() {
            return null;
        }
    }

    @Nested
    class CombineBattery extends OperatorTestBase {
        protected AsyncFlow<?> apply(AsyncFlow<Integer> up) {
            return up.combine(AsyncFlow.of(100), Integer::sum);
        }

        protected AsyncFlow<?> applyFailing(AsyncFlow<Integer> up, Exception e) {
            return up.combine(AsyncFlow.of(100), (a, b) -> a == 3 ? fail(e) : a + b);
        }

        protected List<?> expected() {
            return List.of(101, 102, 103, 104, 105);
        }

        protected List<String> expectedOrder() {
            return null;
        }
        /** combine may skip intermediate values of a fast side; the latest always arrives. */
        @Override
        protected void assertValues(List<?> actual) {
            assertEquals(105, actual.getLast(), actual::toString);
            assertTrue(expected().containsAll(actual), actual::toString);
        }
    }

    /** Emits {@code values} one every {@code every} ms, logging {@code name finally}. */
    private static <T> AsyncFlow<T> ticking(List<String> log, String name, long every, List<T> values) {
        return AsyncFlow.generate(out -> {
            try {
                for (T v : values) {
                    Suspend.delay(every);
                    out.emit(v);
                }
            } catch (CancellationException e) {
                log.add(name + " cancelled");
                throw e;
            } finally {
                log.add(name + " finally");
            }
        });
    }

    @Test
    void zipPairsByPositionAtThePaceOfTheSlowerSide() {
        List<String> log = new CopyOnWriteArrayList<>();
        Timed<List<String>> t = inVirtualTime(() -> ticking(log, "n", 100, List.of(1, 2, 3))
                .zip(ticking(log, "s", 300, List.of("a", "b", "c")), (n, s) -> n + s)
                .toList());
        assertEquals(List.of("1a", "2b", "3c"), t.value());
        assertEquals(900, t.virtualMillis());
    }

    @Test
    void zipEndsWithTheShorterFlowAndCancelsTheLonger() {
        List<String> log = new CopyOnWriteArrayList<>();
        Timed<List<String>> t = inVirtualTime(() -> ticking(log, "long", 100, List.of(1, 2, 3, 4, 5))
                .zip(ticking(log, "short", 100, List.of("a", "b")), (n, s) -> n + s)
                .toList());
        assertEquals(List.of("1a", "2b"), t.value());
        assertTrue(log.containsAll(List.of("long cancelled", "long finally", "short finally")), log::toString);
    }

    @Test
    void combineEmitsOnEachNewValueWithTheLatestOfTheOther() {
        List<String> log = new CopyOnWriteArrayList<>();
        // numbers at 100, 200, 300; letters at 150, 350
        Timed<List<String>> t = inVirtualTime(() -> ticking(log, "n", 100, List.of(1, 2, 3))
                .combine(
                        AsyncFlow.<String>generate(out -> {
                            Suspend.delay(150);
                            out.emit("a");
                            Suspend.delay(200);
                            out.emit("b");
                        }),
                        (n, s) -> n + s)
                .toList());
        assertEquals(List.of("1a", "2a", "3a", "3b"), t.value());
        assertEquals(350, t.virtualMillis());
    }

    @Test
    void combineFailureOfOneSideCancelsTheOther() {
        List<String> log = new CopyOnWriteArrayList<>();
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> ticking(log, "n", 10, List.of(1, 2, 3))
                        .combine(
                                AsyncFlow.<Integer>generate(out -> {
                                    out.emit(1);
                                    Suspend.delay(15);
                                    throw new IllegalStateException("other side failed");
                                }),
                                Integer::sum)
                        .toList());
        assertEquals("other side failed", e.getMessage());
        assertTrue(log.contains("n finally"), log::toString);
    }

    @Test
    void nullsAreRejectedWithTheOperatorsName() {
        NullPointerException fromFn = assertThrows(
                NullPointerException.class,
                () -> AsyncFlow.of(1).zip(AsyncFlow.of(2), (a, b) -> null).toList());
        assertTrue(fromFn.getMessage().contains("zip"), fromFn.getMessage());
        NullPointerException fromOther = assertThrows(
                NullPointerException.class,
                () -> AsyncFlow.of(1)
                        .combine(FlowKt.flowOf((Object) null), (a, b) -> a)
                        .toList());
        assertTrue(fromOther.getMessage().contains("combine"), fromOther.getMessage());
    }
}
