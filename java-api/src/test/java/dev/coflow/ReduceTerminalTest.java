package dev.coflow;

import static org.junit.jupiter.api.Assertions.*;

import dev.coflow.test.CoflowExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** toList/toSet/collect/toMap/single/reduce/fold/first/count/any/all/none. */
class ReduceTerminalTest {
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    /** 0, 1, 2, ... forever; logs each emit and its finally. */
    private AsyncFlow<Integer> naturals() {
        return AsyncFlow.generate(e -> {
            try {
                for (int i = 0; ; i++) {
                    log.add("emit " + i);
                    e.emit(i);
                }
            } finally {
                log.add("finally");
            }
        });
    }

    private static AsyncFlow<Integer> upTo(int n) {
        return AsyncFlow.generate(e -> {
            for (int i = 0; i < n; i++) {
                e.emit(i);
            }
        });
    }

    @Test
    void collectingTerminals() {
        AsyncFlow<Integer> f = upTo(5);
        assertEquals(List.of(0, 1, 2, 3, 4), f.toList());
        assertEquals(List.of(0, 1), new ArrayList<>(f.map(x -> x % 2).toSet()));
        assertEquals("0-1-2-3-4", f.map(String::valueOf).collect(Collectors.joining("-")));
        assertEquals(
                Map.of(true, List.of(0, 2, 4), false, List.of(1, 3)),
                f.collect(Collectors.partitioningBy(x -> x % 2 == 0)));
        assertEquals(5, f.count());
        assertEquals(Optional.of(0), f.first());
        assertEquals(Optional.empty(), AsyncFlow.empty().first());
    }

    @Test
    void toMapKeepsFirstSeenOrder() {
        Map<Integer, Integer> m = upTo(5).toMap(x -> x, x -> x * 10);
        assertEquals(new LinkedHashMap<>(Map.of(0, 0, 1, 10, 2, 20, 3, 30, 4, 40)), m);
        assertEquals(List.of(0, 1, 2, 3, 4), new ArrayList<>(m.keySet()));
    }

    @Test
    void toMapDuplicateKeyNamesTheKeyAndCancelsUpstream() {
        var e = assertThrows(IllegalStateException.class, () -> naturals().toMap(x -> x % 3, x -> x));
        assertTrue(e.getMessage().contains("Duplicate key 0"), e.getMessage());
        assertTrue(e.getMessage().contains("mergeFn"), e.getMessage());
        assertEquals("finally", log.getLast());
        CoflowExtension.assertNoBodiesRunning(Duration.ZERO);
    }

    @Test
    void toMapWithMerge() {
        Map<String, Integer> counts = AsyncFlow.of("a", "b", "a", "c", "a").toMap(w -> w, w -> 1, Integer::sum);
        assertEquals(Map.of("a", 3, "b", 1, "c", 1), counts);
        assertEquals(List.of("a", "b", "c"), new ArrayList<>(counts.keySet()));
        var npe = assertThrows(NullPointerException.class, () -> AsyncFlow.of(1).toMap(x -> null, x -> x));
        assertTrue(npe.getMessage().contains("keyFn returned null"), npe.getMessage());
        assertThrows(NullPointerException.class, () -> AsyncFlow.of(1).toMap(null, x -> x));
        assertThrows(NullPointerException.class, () -> AsyncFlow.of(1).toMap(x -> x, x -> x, null));
    }

    @Test
    void single() {
        assertEquals(7, AsyncFlow.of(7).single());
        var empty = assertThrows(
                NoSuchElementException.class, () -> AsyncFlow.empty().single());
        assertTrue(empty.getMessage().contains("has 0"), empty.getMessage());
        var two = assertThrows(IllegalArgumentException.class, () -> naturals().single());
        assertTrue(two.getMessage().contains("at least 2"), two.getMessage());
        assertEquals(List.of("emit 0", "emit 1", "finally"), log);
    }

    @Test
    void reduceAndFold() {
        assertEquals(Optional.of(10), AsyncFlow.range(1, 5).reduce(Integer::sum));
        assertEquals(Optional.empty(), AsyncFlow.<Integer>empty().reduce(Integer::sum));
        assertEquals(Optional.of("abc"), AsyncFlow.of("a", "b", "c").reduce(String::concat));
        assertEquals("a;b;", AsyncFlow.of("a", "b").fold("", (acc, s) -> acc + s + ";"));
        assertEquals(42, AsyncFlow.<Integer>empty().fold(42, Integer::sum));
        assertEquals(15L, upTo(6).fold(0L, (acc, v) -> acc + v));
        var npe = assertThrows(
                NullPointerException.class, () -> AsyncFlow.of(1, 2).reduce((a, b) -> null));
        assertTrue(npe.getMessage().startsWith("reduce:"), npe.getMessage());
        assertThrows(NullPointerException.class, () -> AsyncFlow.of(1).fold(null, (a, b) -> a));
    }

    @Test
    void anyAllNoneShortCircuitAndCancelUpstream() {
        assertTrue(naturals().any(x -> x == 3));
        assertEquals(List.of("emit 0", "emit 1", "emit 2", "emit 3", "finally"), log);
        log.clear();
        assertFalse(naturals().all(x -> x < 2));
        assertEquals(List.of("emit 0", "emit 1", "emit 2", "finally"), log);
        log.clear();
        assertFalse(naturals().none(x -> x == 1));
        assertEquals(List.of("emit 0", "emit 1", "finally"), log);
        CoflowExtension.assertNoBodiesRunning(Duration.ZERO);

        assertFalse(upTo(5).any(x -> x > 10));
        assertTrue(upTo(5).all(x -> x < 10));
        assertTrue(upTo(5).none(x -> x > 10));
        assertFalse(AsyncFlow.empty().any(x -> true));
        assertTrue(AsyncFlow.empty().all(x -> false));
        assertTrue(AsyncFlow.empty().none(x -> true));
    }

    @Test
    void errorInLambdaReachesCallerAndCancelsUpstream() {
        var e = assertThrows(
                IllegalStateException.class,
                () -> naturals().any(x -> {
                    if (x == 2) {
                        throw new IllegalStateException("bad element " + x);
                    }
                    return false;
                }));
        assertEquals("bad element 2", e.getMessage());
        assertEquals("finally", log.getLast());
        AtomicInteger seen = new AtomicInteger();
        var f = assertThrows(
                ArithmeticException.class,
                () -> naturals().fold(0, (a, v) -> {
                    seen.incrementAndGet();
                    return v == 4 ? a / 0 : a + v;
                }));
        assertNotNull(f.getMessage());
        assertEquals(5, seen.get());
    }

    @Test
    void nullArgumentsAreNamed() {
        AsyncFlow<Integer> f = AsyncFlow.of(1);
        assertEquals(
                "predicate",
                assertThrows(NullPointerException.class, () -> f.any(null)).getMessage());
        assertEquals(
                "predicate",
                assertThrows(NullPointerException.class, () -> f.all(null)).getMessage());
        assertEquals(
                "predicate",
                assertThrows(NullPointerException.class, () -> f.none(null)).getMessage());
        assertEquals(
                "fn",
                assertThrows(NullPointerException.class, () -> f.reduce(null)).getMessage());
        assertEquals(
                "fn",
                assertThrows(NullPointerException.class, () -> f.fold(0, null)).getMessage());
        assertEquals(
                "initial",
                assertThrows(NullPointerException.class, () -> f.fold(null, (a, b) -> a))
                        .getMessage());
        assertEquals(
                "keyFn",
                assertThrows(NullPointerException.class, () -> f.toMap(null, x -> x))
                        .getMessage());
        assertEquals(
                "valueFn",
                assertThrows(NullPointerException.class, () -> f.toMap(x -> x, null))
                        .getMessage());
    }

    @Test
    void upstreamErrorPassesThroughEveryTerminal() {
        AsyncFlow<Integer> failing = AsyncFlow.generate(e -> {
            e.emit(1);
            throw new IllegalStateException("upstream broke");
        });
        for (Runnable r : List.<Runnable>of(
                failing::toList,
                failing::single,
                () -> failing.reduce(Integer::sum),
                () -> failing.fold(0, Integer::sum),
                () -> failing.toMap(x -> x, x -> x),
                () -> failing.all(x -> true),
                failing::count)) {
            var e = assertThrows(IllegalStateException.class, r::run);
            assertEquals("upstream broke", e.getMessage());
        }
        assertEquals(Set.of(), AsyncFlow.empty().toSet());
    }
}
