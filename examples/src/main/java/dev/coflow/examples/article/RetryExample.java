package dev.coflow.examples.article;

import dev.coflow.AsyncFlow;
import dev.coflow.Backoff;
import dev.coflow.bridge.Suspend;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The article's "process with recovery", with a source whose first attempt really fails (the
 * article's never does). First the article's loop as {@code retryWhen} (it may wait: the
 * predicate runs as a coroutine body), then the same policy as a one-line {@link Backoff}.
 *
 * <pre>
 * Processing with recovery:
 *   Processing: Record 0
 *   Processing: Record 1
 *   Processing: Record 2
 *   ERROR: Connection reset at record 3
 *   Retrying... (attempt 2/3)
 *   Processing: Record 0
 *   ...
 *   Processing: Record 4
 * Finished (processed 8 records)
 *
 * With a Backoff policy:
 *   attempt 1 failed: Connection reset at record 3
 *   Received 8 records in 2 attempts (the 3 before the failure are not taken back)
 * </pre>
 */
public final class RetryExample {
    static final int MAX_RETRIES = 3;

    private RetryExample() {}

    record Record(int id, String data) {}

    /** Fails at record 3 on its first {@code failures} collections, then succeeds. */
    static AsyncFlow<Record> retryDataSource(AtomicInteger attempts, int failures) {
        return AsyncFlow.generate(out -> {
            int attempt = attempts.incrementAndGet();
            for (int i = 0; i < 5; i++) {
                Suspend.delay(100);
                if (i == 3 && attempt <= failures) {
                    throw new IOException("Connection reset at record " + i);
                }
                out.emit(new Record(i, "Record " + i));
            }
        });
    }

    public static void main(String[] args) {
        System.out.println("Processing with recovery:");
        int[] processed = {0};
        retryDataSource(new AtomicInteger(), 1)
                .retryWhen((e, retry) -> { // retry = 0 for the first retry
                    System.out.println("  ERROR: " + e.getMessage());
                    if (retry + 1 < MAX_RETRIES) {
                        System.out.printf("  Retrying... (attempt %d/%d)%n", retry + 2, MAX_RETRIES);
                        Suspend.delay(1_000); // back-off, on the coroutine clock
                        return true;
                    }
                    System.out.println("  Max retries reached. Processed " + processed[0] + " records.");
                    return false; // the error reaches the caller
                })
                .forEach(record -> {
                    System.out.println("  Processing: " + record.data());
                    processed[0]++;
                });
        System.out.println("Finished (processed " + processed[0] + " records)");

        System.out.println();
        System.out.println("With a Backoff policy:");
        AtomicInteger attempts = new AtomicInteger();
        long records = retryDataSource(attempts, 1)
                .onCompletion(cause -> {
                    if (cause instanceof IOException) {
                        System.out.println("  attempt " + attempts.get() + " failed: " + cause.getMessage());
                    }
                })
                .retry(Backoff.exponential(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30), MAX_RETRIES)
                        .retryOn(e -> e instanceof IOException))
                .count();
        // A retry collects the source again: what the failed attempt already delivered stays delivered.
        System.out.println("  Received " + records + " records in " + attempts.get()
                + " attempts (the 3 before the failure are not taken back)");
    }
}
