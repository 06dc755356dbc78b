package dev.coflow.examples.article;

import dev.coflow.AsyncFlow;
import dev.coflow.bridge.Suspend;

/**
 * The article's "Cleanup on Error" and "cleanup that requires await": a generator's
 * {@code finally} runs when it fails, when it finishes, and (beyond the article) when the
 * consumer stops early. Cleanup that waits after a cancellation goes in
 * {@code Suspend.nonCancellable}, as {@code withContext(NonCancellable)} in Kotlin.
 *
 * <pre>
 * Demo: Cleanup on error
 *   [Generator] Starting
 *   Got value: 0
 *   Got value: 1
 *   [Generator] Cleanup running (finally block)
 *   Caught error: Simulated error
 * Finished
 *
 * Demo: Cleanup that waits
 *   Acquiring resource
 *   Got: data
 *   Closing resource...
 *   Resource closed
 *
 * Demo: Cleanup when the consumer stops early (take(1))
 *   Acquiring resource
 *   Got: data 0
 *   Closing resource...
 *   Resource closed
 * </pre>
 */
public final class CleanupExample {
    private CleanupExample() {}

    static AsyncFlow<Integer> generatorWithCleanup() {
        return AsyncFlow.generate(out -> {
            System.out.println("  [Generator] Starting");
            try {
                for (int i = 0; i < 5; i++) {
                    Suspend.delay(100);
                    if (i == 2) {
                        throw new IllegalArgumentException("Simulated error");
                    }
                    out.emit(i);
                }
            } finally {
                System.out.println("  [Generator] Cleanup running (finally block)");
            }
        });
    }

    /** A resource whose acquisition and closing both wait. */
    static AsyncFlow<String> generatorWithAsyncCleanup(int items) {
        return AsyncFlow.generate(out -> {
            System.out.println("  Acquiring resource");
            Suspend.delay(100);
            try {
                for (int i = 0; i < items; i++) {
                    out.emit(items == 1 ? "data" : "data " + i);
                }
            } finally {
                System.out.println("  Closing resource...");
                // After a cancellation a plain Suspend.delay would throw at once; this one still waits.
                Suspend.nonCancellable(() -> Suspend.delay(100));
                System.out.println("  Resource closed");
            }
        });
    }

    public static void main(String[] args) {
        System.out.println("Demo: Cleanup on error");
        try {
            generatorWithCleanup().forEach(value -> System.out.println("  Got value: " + value));
        } catch (IllegalArgumentException e) {
            System.out.println("  Caught error: " + e.getMessage());
        }
        System.out.println("Finished");

        System.out.println();
        System.out.println("Demo: Cleanup that waits");
        generatorWithAsyncCleanup(1).forEach(item -> System.out.println("  Got: " + item));

        System.out.println();
        System.out.println("Demo: Cleanup when the consumer stops early (take(1))");
        generatorWithAsyncCleanup(1_000).take(1).forEach(item -> System.out.println("  Got: " + item));
    }
}
