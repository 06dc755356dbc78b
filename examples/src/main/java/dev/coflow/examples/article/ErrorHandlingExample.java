package dev.coflow.examples.article;

import dev.coflow.AsyncFlow;
import dev.coflow.bridge.Suspend;

/**
 * The article's "Error Handling in Async Iteration": a source that fails at record 3, handled
 * with an ordinary {@code try/catch} around the loop.
 *
 * <pre>
 * Processing with error handling:
 *   Processing: Record 0
 *   Processing: Record 1
 *   Processing: Record 2
 *   ERROR: Database error at record 3
 *   Successfully processed 3 records before error
 * Finished (processed 3 records)
 * </pre>
 */
public final class ErrorHandlingExample {
    private ErrorHandlingExample() {}

    record Record(int id, String data) {}

    static AsyncFlow<Record> flakyDataSource() {
        return AsyncFlow.generate(out -> {
            for (int i = 0; i < 5; i++) {
                Suspend.delay(100);
                if (i == 3) {
                    throw new IllegalStateException("Database error at record " + i);
                }
                out.emit(new Record(i, "Record " + i));
            }
        });
    }

    public static void main(String[] args) {
        System.out.println("Processing with error handling:");
        int[] processed = {0};
        try {
            flakyDataSource().forEach(record -> {
                System.out.println("  Processing: " + record.data());
                processed[0]++;
            });
        } catch (IllegalStateException e) {
            System.out.println("  ERROR: " + e.getMessage());
            System.out.println("  Successfully processed " + processed[0] + " records before error");
        }
        System.out.println("Finished (processed " + processed[0] + " records)");
    }
}
