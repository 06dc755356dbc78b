package dev.coflow.examples.article;

import dev.coflow.AsyncFlow;
import java.util.List;

/**
 * The article's "When NOT to use async comprehensions": a million items loaded into a list
 * versus processed one at a time. Both give the same sum; the stream never holds more than one
 * item.
 *
 * <pre>
 * Loading everything into memory...
 * Loaded 1000000 items
 * Processing as a stream...
 * Processed 1000000 items
 * Both got the same result: 499999500000
 * </pre>
 */
public final class StreamingVsLoadingExample {
    private StreamingVsLoadingExample() {}

    /**
     * {@code async def huge_dataset(): for i in range(1_000_000): await asyncio.sleep(0); yield i}.
     * No {@code sleep(0)} is needed: every {@code emit} already hands control to the consumer and
     * checks for cancellation.
     */
    static AsyncFlow<Long> hugeDataset() {
        return AsyncFlow.generate(out -> {
            for (long i = 0; i < 1_000_000; i++) {
                out.emit(i);
            }
        });
    }

    /** BAD for big data: builds a list of a million items first. */
    static long processAllAtOnce() {
        System.out.println("Loading everything into memory...");
        List<Long> allData = hugeDataset().toList();
        System.out.println("Loaded " + allData.size() + " items");
        return allData.stream().mapToLong(Long::longValue).sum();
    }

    /** GOOD: one item at a time, constant memory. */
    static long processStreaming() {
        System.out.println("Processing as a stream...");
        long[] totalAndCount = new long[2];
        hugeDataset().forEach(x -> {
            totalAndCount[0] += x;
            totalAndCount[1]++;
        });
        System.out.println("Processed " + totalAndCount[1] + " items");
        return totalAndCount[0];
    }

    public static void main(String[] args) {
        long loaded = processAllAtOnce();
        long streamed = processStreaming();
        if (loaded != streamed) {
            throw new AssertionError(loaded + " != " + streamed);
        }
        System.out.println("Both got the same result: " + streamed);
    }
}
