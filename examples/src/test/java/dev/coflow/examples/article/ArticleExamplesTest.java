package dev.coflow.examples.article;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coflow.test.CoflowExtension;
import dev.coflow.test.VirtualTime;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every article example's {@code main} runs and prints the article's key lines. Examples whose
 * waits are {@code Suspend.delay}s run on the virtual clock (the test checks the simulated time
 * too), so seconds of back-off cost nothing.
 */
class ArticleExamplesTest {
    /** After each test, no coroutine body it started may still be running (the harness's leak check). */
    @RegisterExtension
    static final CoflowExtension COFLOW = CoflowExtension.withLeakGrace(Duration.ZERO);

    @FunctionalInterface
    interface Main {
        void run() throws Exception;
    }

    /** Runs {@code main} with System.out captured; returns the printed lines. */
    private static List<String> capture(Main main) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            main.run();
        } finally {
            System.setOut(original);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        original.print(text);
        return text.lines().toList();
    }

    /** Runs {@code main} on the virtual clock; returns the printed lines, and the virtual time in {@code time}. */
    private static List<String> captureVirtual(Main main, AtomicLong time) throws Exception {
        return capture(() -> VirtualTime.run(scope -> {
            main.run();
            time.set(scope.currentTime());
        }));
    }

    @Test
    void comprehensions() throws Exception {
        AtomicLong time = new AtomicLong();
        List<String> out = captureVirtual(() -> ComprehensionsExample.main(new String[0]), time);
        assertEquals(
                List.of(
                        "Old way:",
                        "  Got 5 checkouts",
                        "",
                        "New way:",
                        "  Got 5 checkouts",
                        "",
                        "List: [0, 10, 20, 30, 40]",
                        "Set: [even, odd]",
                        "Dict: {0=0, 1=10, 2=20, 3=30, 4=40}"),
                out);
        assertEquals(2 * 5 * 100 + 3 * 5 * 50, time.get(), "sequential: every delay counted once");
    }

    @Test
    void overdueBooks() throws Exception {
        AtomicLong time = new AtomicLong();
        List<String> out = captureVirtual(() -> OverdueBooksExample.main(new String[0]), time);
        assertEquals(List.of("Overdue books: [Async Patterns, Algorithms]"), out);
        assertEquals(400, time.get());
    }

    @Test
    void streamingVsLoading() throws Exception {
        List<String> out = capture(() -> StreamingVsLoadingExample.main(new String[0]));
        assertEquals(
                List.of(
                        "Loading everything into memory...",
                        "Loaded 1000000 items",
                        "Processing as a stream...",
                        "Processed 1000000 items",
                        "Both got the same result: 499999500000"),
                out);
    }

    @Test
    void contextManager() throws Exception {
        AtomicLong time = new AtomicLong();
        List<String> out = captureVirtual(() -> ContextManagerExample.main(new String[0]), time);
        assertEquals(
                List.of(
                        "  Opening database connection...",
                        "Inside async with block",
                        "Got 3 results",
                        "  Closing database connection...",
                        "Outside async with block - connection closed"),
                out);
        assertEquals(250, time.get());
    }

    @Test
    void cursorResource() throws Exception {
        AtomicLong time = new AtomicLong();
        List<String> out = captureVirtual(() -> CursorResourceExample.main(new String[0]), time);
        assertEquals(
                List.of(
                        "  Opening cursor...",
                        "Fetching books:",
                        "  Book 0",
                        "  Book 1",
                        "  Book 2",
                        "  Book 3",
                        "  Book 4",
                        "  Closing cursor...",
                        "Cursor automatically closed"),
                out);
        assertEquals(100 + 5 * 50 + 100, time.get());
    }

    @Test
    void errorHandling() throws Exception {
        AtomicLong time = new AtomicLong();
        List<String> out = captureVirtual(() -> ErrorHandlingExample.main(new String[0]), time);
        assertEquals(
                List.of(
                        "Processing with error handling:",
                        "  Processing: Record 0",
                        "  Processing: Record 1",
                        "  Processing: Record 2",
                        "  ERROR: Database error at record 3",
                        "  Successfully processed 3 records before error",
                        "Finished (processed 3 records)"),
                out);
    }

    @Test
    void retry() throws Exception {
        AtomicLong time = new AtomicLong();
        List<String> out = captureVirtual(() -> RetryExample.main(new String[0]), time);
        assertEquals(
                List.of(
                        "Processing with recovery:",
                        "  Processing: Record 0",
                        "  Processing: Record 1",
                        "  Processing: Record 2",
                        "  ERROR: Connection reset at record 3",
                        "  Retrying... (attempt 2/3)",
                        "  Processing: Record 0",
                        "  Processing: Record 1",
                        "  Processing: Record 2",
                        "  Processing: Record 3",
                        "  Processing: Record 4",
                        "Finished (processed 8 records)",
                        "",
                        "With a Backoff policy:",
                        "  attempt 1 failed: Connection reset at record 3",
                        "  Received 8 records in 2 attempts (the 3 before the failure are not taken back)"),
                out);
        // each run: 4 delays before failing, 1 s back-off, 5 delays to succeed
        assertEquals(2 * (400 + 1_000 + 500), time.get());
    }

    @Test
    void cleanup() throws Exception {
        AtomicLong time = new AtomicLong();
        List<String> out = captureVirtual(() -> CleanupExample.main(new String[0]), time);
        assertEquals(
                List.of(
                        "Demo: Cleanup on error",
                        "  [Generator] Starting",
                        "  Got value: 0",
                        "  Got value: 1",
                        "  [Generator] Cleanup running (finally block)",
                        "  Caught error: Simulated error",
                        "Finished",
                        "",
                        "Demo: Cleanup that waits",
                        "  Acquiring resource",
                        "  Got: data",
                        "  Closing resource...",
                        "  Resource closed",
                        "",
                        "Demo: Cleanup when the consumer stops early (take(1))",
                        "  Acquiring resource",
                        "  Got: data 0",
                        "  Closing resource...",
                        "  Resource closed"),
                out);
        assertEquals(300 + 2 * (100 + 100), time.get(), "the cancelled cleanup still waited its 100 ms");
    }

    @Test
    void pagination() throws Exception {
        AtomicLong time = new AtomicLong();
        List<String> out = captureVirtual(() -> PaginationExample.main(new String[0]), time);
        assertEquals("Fetching all books via pagination:", out.getFirst());
        assertEquals("Total books fetched: 35 (5 page requests)", out.getLast());
        List<String> books = out.stream().filter(l -> l.startsWith("  Book ")).toList();
        assertEquals(35, books.size());
        assertEquals("  Book 0", books.getFirst());
        assertEquals("  Book 34", books.getLast());
        // pages are fetched on demand: page 1 only after book 9 was consumed
        assertEquals(out.indexOf("  Book 9") + 1, out.indexOf("  (fetching page 1)"));
        assertEquals(5 * 200, time.get());
    }

    @Test
    void asyncFile() throws Exception {
        AtomicLong time = new AtomicLong();
        List<String> out = captureVirtual(() -> AsyncFileExample.main(new String[0]), time);
        assertEquals(
                List.of("Setting up demo file...", "Reading with async I/O...", "  Line 1", "  Line 2", "  Line 3"),
                out.stream().filter(l -> !l.startsWith("[Background")).toList());
        assertEquals(
                List.of("[Background task 0]", "[Background task 1]", "[Background task 2]"),
                out.stream().filter(l -> l.startsWith("[Background")).toList());
        assertEquals(300, time.get(), "the background task's three waits ran alongside the file reading");
    }

    @Test
    void prefetch() throws Exception {
        // Real time (the consumer's work blocks its thread), with 100 ms steps instead of 500 ms.
        List<String> out = capture(() -> PrefetchExample.main(new String[] {"100"}));
        assertEquals("Without buffering (slow):", out.get(0));
        assertEquals("With buffering (faster):", out.get(3));
        seconds(out.get(1));
        seconds(out.get(4));
        // The printed times are wall-clock and a busy machine reorders them (a buffered 666 ms against
        // an unbuffered 614 ms was seen): prove the overlap itself instead. With the buffer, the
        // producer starts fetching item 2 while the consumer still works on item 1; without it, it
        // cannot (the consumer holds the only thread that would run it), so the wait times out.
        assertTrue(secondFetchStartsDuringFirstWork(true), "the buffer overlaps fetching with working");
        assertFalse(secondFetchStartsDuringFirstWork(false), "without a buffer fetching waits for the consumer");
    }

    /** Whether, while the consumer works on item 1, the source starts fetching item 2. */
    private static boolean secondFetchStartsDuringFirstWork(boolean buffered) throws Exception {
        java.util.concurrent.CountDownLatch secondFetch = new java.util.concurrent.CountDownLatch(1);
        dev.coflow.AsyncFlow<Integer> source = dev.coflow.AsyncFlow.generate(out -> {
            for (int i = 1; i <= 3; i++) {
                if (i == 2) {
                    secondFetch.countDown();
                }
                dev.coflow.bridge.Suspend.delay(10);
                out.emit(i);
            }
        });
        boolean[] overlapped = {false};
        (buffered ? source.buffer(3) : source).take(3).forEach(v -> {
            if (v == 1) {
                // a bounded wait: it returns at once when the overlap happens, times out when it cannot
                overlapped[0] = secondFetch.await(buffered ? 10_000 : 300, java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        });
        return overlapped[0];
    }

    private static double seconds(String line) {
        assertTrue(line.startsWith("  Got 3 items in ") && line.endsWith("s"), line);
        return Double.parseDouble(line.substring("  Got 3 items in ".length(), line.length() - 1));
    }
}
