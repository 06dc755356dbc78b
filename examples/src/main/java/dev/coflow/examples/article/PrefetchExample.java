package dev.coflow.examples.article;

import dev.coflow.AsyncFlow;
import dev.coflow.bridge.Suspend;

/**
 * The article's "Buffering and Prefetching": a slow source (0.5 s per item) read by a consumer
 * that also works on each item (0.5 s). Without a buffer the two take turns; with
 * {@code buffer(3)} the source runs ahead on its own while the consumer works, so the waits
 * overlap. The article hand-writes {@code buffered_iterator} with a deque; here it is one operator.
 *
 * <pre>
 * Without buffering (slow):
 *   Got 3 items in 3.0s
 *
 * With buffering (faster):
 *   Got 3 items in 2.0s
 * </pre>
 */
public final class PrefetchExample {
    static final long SOURCE_MILLIS = 500;
    static final long WORK_MILLIS = 500;

    private PrefetchExample() {}

    /** {@code async def slow_data_source(): for i in range(10): await asyncio.sleep(0.5); yield i}. */
    static AsyncFlow<Integer> slowDataSource() {
        return AsyncFlow.generate(out -> {
            for (int i = 0; i < 10; i++) {
                Suspend.delay(SOURCE_MILLIS);
                out.emit(i);
            }
        });
    }

    /** Takes 3 items, working on each one, and returns the elapsed milliseconds. */
    static long consumeThree(AsyncFlow<Integer> source) {
        long start = System.nanoTime();
        source.take(3)
                .mapAsync(1, item -> {          // the consumer's own work: may wait, runs in a body
                    Suspend.delay(WORK_MILLIS);
                    return item;
                })
                .count();
        return (System.nanoTime() - start) / 1_000_000;
    }

    public static void main(String[] args) {
        System.out.println("Without buffering (slow):");
        long plain = consumeThree(slowDataSource());
        System.out.printf("  Got 3 items in %.1fs%n%n", plain / 1000.0);

        System.out.println("With buffering (faster):");
        long buffered = consumeThree(slowDataSource().buffer(3));
        System.out.printf("  Got 3 items in %.1fs%n", buffered / 1000.0);
    }
}
