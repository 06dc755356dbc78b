package dev.coflow;

import static dev.coflow.OperatorTestBase.inVirtualTime;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coflow.OperatorTestBase.Timed;
import dev.coflow.bridge.Suspend;
import dev.coflow.test.CoflowExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** groupBy: keys, order within a group, per-group cancellation, completion, failure, the group bound. */
class GroupByTest {
    /** After each test, no coroutine body it started may still be running (the harness's leak check). */
    @RegisterExtension
    static final CoflowExtension COFLOW = CoflowExtension.withLeakGrace(Duration.ZERO);

    private final List<String> log = new CopyOnWriteArrayList<>();

    private AsyncFlow<Integer> source(int n) {
        return AsyncFlow.generate(out -> {
            try {
                for (int i = 0; i < n; i++) {
                    out.emit(i);
                }
            } finally {
                log.add("finally");
            }
        });
    }

    /** key -> elements, collected with one concurrent collector per group. */
    private static Map<Integer, List<Integer>> byKey(AsyncFlow<GroupedFlow<Integer, Integer>> groups) {
        Map<Integer, List<Integer>> out = new TreeMap<>();
        groups.flatMapMerge(64, g -> g.flow().map(v -> Map.entry(g.key(), v)))
                .forEach(e ->
                        out.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return out;
    }

    @Test
    void eachGroupGetsItsElementsInOrder() {
        Map<Integer, List<Integer>> got = byKey(source(10).groupBy(v -> v % 3));
        assertEquals(Map.of(0, List.of(0, 3, 6, 9), 1, List.of(1, 4, 7), 2, List.of(2, 5, 8)), got);
        assertEquals(List.of("finally"), log);
    }

    @Test
    void groupsArriveInTheOrderOfTheirFirstElement() {
        List<String> keys = AsyncFlow.of("b1", "a1", "b2", "c1")
                .groupBy(s -> s.substring(0, 1))
                .map(GroupedFlow::key)
                .toList(); // the groups' few elements wait in their buffers
        assertEquals(List.of("b", "a", "c"), keys);
    }

    @Test
    void theKeyFunctionMayWaitAndGroupsWorkInVirtualTime() {
        Timed<Map<Integer, List<Integer>>> t =
                inVirtualTime(() -> byKey(AsyncFlow.range(0, 4).groupBy(v -> {
                    Suspend.delay(100);
                    return v % 2;
                })));
        assertEquals(Map.of(0, List.of(0, 2), 1, List.of(1, 3)), t.value());
        assertEquals(400, t.virtualMillis());
    }

    @Test
    void cancellingOneGroupClosesOnlyThatGroupAndALaterElementOpensANewOne() {
        List<String> got = new CopyOnWriteArrayList<>();
        AsyncFlow.of(1, 2, 11, 3, 12, 13)
                .groupBy(v -> v / 10)
                .flatMapMerge(
                        8,
                        g -> g.key() == 0
                                ? g.flow().take(1).map(v -> "0:" + v) // the first group of key 0 stops after one
                                : g.flow().map(v -> g.key() + ":" + v))
                .forEach(got::add);
        List<String> zeros = got.stream().filter(s -> s.startsWith("0:")).toList();
        List<String> ones = got.stream().filter(s -> s.startsWith("1:")).toList();
        assertEquals(List.of("1:11", "1:12", "1:13"), ones, "key 1 is unaffected");
        assertTrue(zeros.get(0).equals("0:1") && zeros.size() >= 1 && zeros.size() <= 3, zeros::toString);
    }

    @Test
    void anUpstreamFailureFailsEveryGroupAndTheFlow() {
        List<String> groupEnds = new CopyOnWriteArrayList<>();
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> AsyncFlow.<Integer>generate(out -> {
                            out.emit(1);
                            out.emit(2);
                            throw new IllegalStateException("boom");
                        })
                        .groupBy(v -> v)
                        .flatMapMerge(8, g -> g.flow().onCompletion(t -> groupEnds.add(g.key() + " " + t)))
                        .toList());
        assertEquals("boom", e.getMessage());
        // a group whose collector had started sees the failure (or, once flatMapMerge is cancelled by
        // the failure of the flow of groups, a cancellation); one not yet started sees nothing
        assertTrue(!groupEnds.isEmpty() && groupEnds.size() <= 2, groupEnds::toString);
        for (String end : groupEnds) {
            assertTrue(end.endsWith("boom") || end.contains("Cancellation"), end);
        }
    }

    @Test
    void takeOnTheGroupsCancelsTheUpstream() {
        List<Integer> keys =
                source(1_000).groupBy(v -> v % 5).map(GroupedFlow::key).take(2).toList();
        assertEquals(List.of(0, 1), keys);
        assertEquals(List.of("finally"), log);
    }

    @Test
    void tooManyOpenGroupsFailWithTheBoundNamed() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class, () -> byKey(AsyncFlow.range(0, 5).groupBy(v -> v, 3)));
        assertEquals(
                "groupBy: a new key 3 would open group 4 of at most 3 open groups; raise maxGroups, or end groups "
                        + "you are done with (take, first, takeWhile)",
                e.getMessage());
    }

    @Test
    void badInput() {
        assertEquals(
                "groupBy: maxGroups must be >= 1, was 0",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> AsyncFlow.of(1).groupBy(v -> v, 0))
                        .getMessage());
        NullPointerException npe = assertThrows(
                NullPointerException.class, () -> byKey(AsyncFlow.of(1).groupBy(v -> (Integer) null)));
        assertTrue(npe.getMessage().startsWith("groupBy: keyFn returned null for 1"), npe.getMessage());
    }

    @Test
    void aGroupCanBeCollectedOnceEvenAfterTheUpstreamEnded() {
        List<GroupedFlow<Integer, Integer>> groups =
                AsyncFlow.of(1, 2, 1).groupBy(v -> v).toList();
        assertEquals(List.of(1, 1), groups.get(0).flow().toList(), "buffered elements outlive the upstream");
        assertThrows(IllegalStateException.class, () -> groups.get(0).flow().toList());
        assertEquals("GroupedFlow[key=2]", groups.get(1).toString());
        assertEquals(List.of(2), groups.get(1).flow().toList());
    }
}
