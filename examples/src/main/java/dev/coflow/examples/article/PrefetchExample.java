package dev.coflow.examples.article;

import dev.coflow.AsyncFlow;
import dev.coflow.bridge.Suspend;

/**
 * The article's "Buffering and Prefetching": a slow source (0.5 s per item) read by a consumer
 * that also spends 0.5 s on each item. Without a buffer the two take turns; with {@code buffer(3)}
 * the source keeps fetching while the consumer works, so the waits overlap. The article writes
 * {@code buffered_iterator} by hand with a deque; here it is one operator.
 *
 * <pre>
 * Without buffering (slow):
 *   Got 3 items in 3.0s
 *
 * With buffering (faster):
 *   Got 3 items in 2.0s
 * </pre>
 *
 * An optional argument sets both waits in milliseconds (default 500).
 */
public final class PrefetchExample {
    private PrefetchExample() {}

    /** {@code async def slow_data_source(): for i in range(10): await asyncio.sleep(0.5); yield i}. */
    static AsyncFlow<Integer> slowDataSource(long millis) {
        return AsyncFlow.generate(out -> {
            for (int i = 0; i < 10; i++) {
                Suspend.delay(millis); // slow!
                out.emit(i);
            }
        });
    }

    /** Takes 3 items, working {@code millis} on each, and returns the elapsed milliseconds. */
    static long consumeThree(AsyncFlow<Integer> source, long millis) {
        long start = System.nanoTime();
        source.take(3).forEach(item -> Thread.sleep(millis)); // the consumer's own (blocking) work
        return (System.nanoTime() - start) / 1_000_000;
    }

    public static void main(String[] args) {
        long millis = args.length > 0 ? Long.parseLong(args[0]) : 500;
        System.out.println("Without buffering (slow):");
        long plain = consumeThree(slowDataSource(millis), millis);
        System.out.printf("  Got 3 items in %.1fs%n%n", plain / 1000.0);

        System.out.println("With buffering (faster):");
        long buffered = consumeThree(slowDataSource(millis).buffer(3), millis);
        System.out.printf("  Got 3 items in %.1fs%n", buffered / 1000.0);
    }
}
