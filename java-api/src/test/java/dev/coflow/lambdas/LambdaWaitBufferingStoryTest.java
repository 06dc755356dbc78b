package dev.coflow.lambdas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coflow.AsyncFlow;
import dev.coflow.bridge.Suspend;
import dev.coflow.test.CoflowTest;
import dev.coflow.test.VirtualTime;
import dev.coflow.test.VirtualTimeScope;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The article's buffering story ("Buffering and Prefetching") written the way a new user writes
 * it: a slow source and a consumer whose {@code forEach} lambda waits with plain
 * {@code Suspend.delay}, no {@code FlowCollector} or {@code Coroutines.runSuspending} workaround.
 *
 * <p>Rule checked: the consumer's waits are virtual under {@code VirtualTime.run} and
 * {@code @CoflowTest}, so the story's timings come out exactly: without a buffer the source and
 * the consumer take turns (4 items of 500 ms + 500 ms = 4000 ms); with {@code buffer(3)} the
 * source fetches while the consumer works (2500 ms), and each item reaches the consumer at the
 * virtual instant the story predicts.
 */
class LambdaWaitBufferingStoryTest extends LambdaWaitTestBase {

    /** {@code async def slow(n, ms): for i in range(n): await asyncio.sleep(ms); yield i}. */
    static AsyncFlow<Integer> slow(int n, long millis) {
        return AsyncFlow.generate(out -> {
            for (int i = 0; i < n; i++) {
                Suspend.delay(millis);
                out.emit(i);
            }
        });
    }

    /** Consumes {@code source}, waiting 500 ms per item; returns the virtual instants the items arrived, then the end. */
    private List<Long> consume(AsyncFlow<Integer> source) throws Exception {
        return promptly(
                "the buffering story",
                () -> VirtualTime.call(scope -> {
                    List<Long> arrivals = Collections.synchronizedList(new ArrayList<>());
                    List<Integer> items = Collections.synchronizedList(new ArrayList<>());
                    source.forEach(i -> {
                        arrivals.add(scope.currentTime());
                        items.add(i);
                        Suspend.delay(500);
                    });
                    assertEquals(List.of(0, 1, 2, 3), List.copyOf(items));
                    List<Long> r = new ArrayList<>(arrivals);
                    r.add(scope.currentTime());
                    return r;
                }));
    }

    @Test
    void withoutABufferSourceAndConsumerTakeTurns() throws Exception {
        List<Long> t = consume(slow(4, 500));
        assertEquals(4_000L, t.get(4), "virtual time at the end, unbuffered");
        assertEquals(List.of(500L, 1_500L, 2_500L, 3_500L), t.subList(0, 4), "arrival of each item");
    }

    @Test
    void withBufferThreeTheSourceFetchesWhileTheConsumerWorks() throws Exception {
        List<Long> t = consume(slow(4, 500).buffer(3));
        assertEquals(2_500L, t.get(4), "virtual time at the end, buffer(3)");
        assertEquals(List.of(500L, 1_000L, 1_500L, 2_000L), t.subList(0, 4), "arrival of each item");
    }

    @CoflowTest
    void theArticlesThreeItemsUnbuffered(VirtualTimeScope scope) {
        // "Without buffering (slow): Got 3 items in 3.0s"
        long start = System.nanoTime();
        slow(10, 500).take(3).forEach(i -> Suspend.delay(500));
        assertEquals(3_000, scope.currentTime());
        assertWallUnderFiveSeconds(start);
    }

    @CoflowTest
    void theArticlesThreeItemsBuffered(VirtualTimeScope scope) {
        // "With buffering (faster): Got 3 items in 2.0s"
        long start = System.nanoTime();
        slow(10, 500).buffer(3).take(3).forEach(i -> Suspend.delay(500));
        assertEquals(2_000, scope.currentTime());
        assertWallUnderFiveSeconds(start);
    }

    private static void assertWallUnderFiveSeconds(long startNanos) {
        long wallMillis = (System.nanoTime() - startNanos) / 1_000_000;
        assertTrue(wallMillis < 5_000, "virtual waits took " + wallMillis + " ms of wall time");
    }
}
