package dev.coflow;

import static dev.coflow.OperatorTestBase.inVirtualTime;
import static org.junit.jupiter.api.Assertions.*;

import dev.coflow.OperatorTestBase.Timed;
import dev.coflow.bridge.Suspend;
import dev.coflow.test.CoflowExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The article "The Async Iterator Part 2" (its programs: examples/, {@code dev.coflow.examples.article}),
 * pattern by pattern, with the
 * article's exact output. Delays are the article's, in virtual time.
 */
class ArticlePatternsTest {
    private final List<String> out = Collections.synchronizedList(new ArrayList<>());

    private void print(String line) {
        out.add(line);
    }

    record Checkout(int id, String book, String user, boolean overdue) {}

    record Rec(int id, int value, String category) {}

    record Book(int id, String title) {}

    private static AsyncFlow<Checkout> readCheckoutLog() {
        return AsyncFlow.generate(e -> {
            for (int i = 0; i < 5; i++) {
                Suspend.delay(100);
                e.emit(new Checkout(i, "Book_" + i, "User_" + i, false));
            }
        });
    }

    @Test
    void oldVersusNewComprehension() {
        Timed<Void> r = inVirtualTime(() -> {
            print("Old way:");
            List<Checkout> result1 = new ArrayList<>();
            readCheckoutLog().forEach(result1::add); // async for record in ...: append
            print("  Got " + result1.size() + " checkouts");
            print("");
            print("New way:");
            List<Checkout> result2 = readCheckoutLog().toList(); // [record async for record in ...]
            print("  Got " + result2.size() + " checkouts");
            return null;
        });
        assertEquals(List.of("Old way:", "  Got 5 checkouts", "", "New way:", "  Got 5 checkouts"), out);
        assertEquals(1_000, r.virtualMillis());
    }

    @Test
    void overdueFilter() {
        List<Checkout> records = List.of(
                new Checkout(1, "Python Guide", "Alice", false),
                new Checkout(2, "Async Patterns", "Bob", true),
                new Checkout(3, "Data Structures", "Carol", false),
                new Checkout(4, "Algorithms", "Dave", true));
        AsyncFlow<Checkout> log = AsyncFlow.generate(e -> {
            for (Checkout c : records) {
                Suspend.delay(100);
                e.emit(c);
            }
        });
        inVirtualTime(() -> {
            List<String> overdue =
                    log.filter(Checkout::overdue).map(Checkout::book).toList();
            print("Overdue books: " + overdue);
            return null;
        });
        assertEquals(List.of("Overdue books: [Async Patterns, Algorithms]"), out);
    }

    @Test
    void listSetAndDictComprehensions() {
        AsyncFlow<Rec> records = AsyncFlow.generate(e -> {
            for (int i = 0; i < 5; i++) {
                Suspend.delay(50);
                e.emit(new Rec(i, i * 10, i % 2 == 0 ? "even" : "odd"));
            }
        });
        Timed<Void> r = inVirtualTime(() -> {
            List<Integer> valuesList = records.map(Rec::value).toList();
            print("List: " + valuesList);
            Set<String> categoriesSet = records.map(Rec::category).toSet();
            print("Set: " + categoriesSet);
            Map<Integer, Integer> idToValue = records.toMap(Rec::id, Rec::value);
            print("Dict: " + idToValue);
            return null;
        });
        assertEquals(
                List.of("List: [0, 10, 20, 30, 40]", "Set: [even, odd]", "Dict: {0=0, 1=10, 2=20, 3=30, 4=40}"), out);
        assertEquals(750, r.virtualMillis());
    }

    @Test
    void streamingAMillionElementsInConstantMemory() {
        // huge_dataset(): a million elements, each passing a cancellation check, processed one at a time
        AsyncFlow<Integer> hugeDataset = AsyncFlow.range(0, 1_000_000).map(x -> x);
        assertStreamsInConstantMemory(hugeDataset);
    }

    /** The same with a generator body (runs inline on the caller's thread: ~20 ns per element). */
    @Test
    void streamingAMillionGeneratedElementsInConstantMemory() {
        assertStreamsInConstantMemory(AsyncFlow.generate(e -> {
            for (int i = 0; i < 1_000_000; i++) {
                e.emit(i);
            }
        }));
    }

    private static void assertStreamsInConstantMemory(AsyncFlow<Integer> hugeDataset) {
        long before = usedHeapAfterGc();
        long[] total = {0, 0, 0};
        hugeDataset.forEach(x -> {
            total[0] += x;
            total[1]++;
            if (x == 999_999) {
                total[2] = usedHeapAfterGc() - before; // everything still live at the last element
            }
        });
        assertEquals(1_000_000, total[1]);
        assertEquals(499_999_500_000L, total[0]);
        assertTrue(total[2] < 8 * 1024 * 1024, "streaming retained " + total[2] / 1024 + " KiB");
        assertEquals(1_000_000, hugeDataset.count());

        // the comprehension, by contrast, holds every element at once
        List<Integer> allData = hugeDataset.toList();
        long held = usedHeapAfterGc() - before;
        assertEquals(1_000_000, allData.size());
        assertTrue(
                held > 12 * 1024 * 1024, "a million-element list should hold > 12 MiB, held " + held / 1024 + " KiB");
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }

    /** Both a resource (AutoCloseable with async setup and teardown) and an async iterator. */
    final class DatabaseCursor implements AutoCloseable {
        private int position;
        private volatile boolean closed;

        static DatabaseCursor open(ArticlePatternsTest t) {
            t.print("  Opening cursor...");
            Suspend.delay(100);
            return t.new DatabaseCursor();
        }

        AsyncFlow<Book> rows() {
            return AsyncFlow.generate(e -> {
                for (; ; ) {
                    if (closed) {
                        throw new IllegalStateException("Cursor is closed!");
                    }
                    if (position >= 5) {
                        return;
                    }
                    Suspend.delay(50);
                    e.emit(new Book(position, "Book " + position));
                    position++;
                }
            });
        }

        @Override
        public void close() {
            print("  Closing cursor...");
            closed = true;
            Suspend.delay(100);
        }
    }

    @Test
    void cursorThatIsBothResourceAndIterator() {
        Timed<Void> r = inVirtualTime(() -> {
            try (DatabaseCursor cursor = DatabaseCursor.open(this)) {
                print("Fetching books:");
                cursor.rows().forEach(book -> print("  " + book.title()));
            }
            print("Cursor automatically closed");
            return null;
        });
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
        assertEquals(450, r.virtualMillis());
    }

    @Test
    void generatorCursorClosedEarlyByTheIterator() {
        AsyncFlow<Book> cursor = AsyncFlow.generate(e -> {
            print("  Opening cursor...");
            Suspend.delay(100);
            try {
                for (int i = 0; i < 5; i++) {
                    Suspend.delay(50);
                    e.emit(new Book(i, "Book " + i));
                }
            } finally {
                print("  Closing cursor...");
                Suspend.nonCancellable(() -> Suspend.delay(100));
            }
        });
        inVirtualTime(() -> {
            try (CloseableIterator<Book> books = cursor.iterator()) {
                while (books.hasNext()) {
                    Book b = books.next();
                    print("  " + b.title());
                    if (b.id() == 2) {
                        break;
                    }
                }
            }
            print("Cursor automatically closed");
            return null;
        });
        assertEquals(
                List.of(
                        "  Opening cursor...",
                        "  Book 0",
                        "  Book 1",
                        "  Book 2",
                        "  Closing cursor...",
                        "Cursor automatically closed"),
                out);
        CoflowExtension.assertNoBodiesRunning(Duration.ZERO);
    }

    @Test
    void errorAfterThreeRecords() {
        AsyncFlow<String> flakyDataSource = AsyncFlow.generate(e -> {
            for (int i = 0; i < 5; i++) {
                Suspend.delay(100);
                if (i == 3) {
                    throw new IllegalArgumentException("Database error at record " + i);
                }
                e.emit("Record " + i);
            }
        });
        inVirtualTime(() -> {
            print("Processing with error handling:");
            int[] processed = {0};
            try {
                flakyDataSource.forEach(record -> {
                    print("  Processing: " + record);
                    processed[0]++;
                });
            } catch (IllegalArgumentException e) {
                print("  ERROR: " + e.getMessage());
                print("  Successfully processed " + processed[0] + " records before error");
            }
            print("Finished (processed " + processed[0] + " records)");
            return null;
        });
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
    void cleanupOnErrorRunsFinallyBeforeTheCatch() {
        AsyncFlow<Integer> generatorWithCleanup = AsyncFlow.generate(e -> {
            print("  [Generator] Starting");
            try {
                for (int i = 0; i < 5; i++) {
                    Suspend.delay(100);
                    if (i == 2) {
                        throw new IllegalArgumentException("Simulated error");
                    }
                    e.emit(i);
                }
            } finally {
                print("  [Generator] Cleanup running (finally block)");
            }
        });
        inVirtualTime(() -> {
            print("Demo: Cleanup on error");
            try {
                generatorWithCleanup.forEach(value -> print("  Got value: " + value));
            } catch (IllegalArgumentException e) {
                print("  Caught error: " + e.getMessage());
            }
            print("Finished");
            return null;
        });
        assertEquals(
                List.of(
                        "Demo: Cleanup on error",
                        "  [Generator] Starting",
                        "  Got value: 0",
                        "  Got value: 1",
                        "  [Generator] Cleanup running (finally block)",
                        "  Caught error: Simulated error",
                        "Finished"),
                out);
    }

    private AsyncFlow<String> generatorWithAsyncCleanup(String... items) {
        return AsyncFlow.generate(e -> {
            print("  Acquiring resource");
            Suspend.delay(100);
            try {
                for (String item : items) {
                    e.emit(item);
                }
            } finally {
                print("  Closing resource...");
                Suspend.nonCancellable(() -> Suspend.delay(100)); // await inside finally, even when cancelled
                print("  Resource closed");
            }
        });
    }

    @Test
    void asyncCleanupInFinally() {
        Timed<Void> r = inVirtualTime(() -> {
            generatorWithAsyncCleanup("data").forEach(item -> print("  Got: " + item));
            return null;
        });
        assertEquals(List.of("  Acquiring resource", "  Got: data", "  Closing resource...", "  Resource closed"), out);
        assertEquals(200, r.virtualMillis());
    }

    @Test
    void asyncCleanupInFinallyAfterCancellation() {
        Timed<String> r = inVirtualTime(() -> {
            String first = generatorWithAsyncCleanup("data", "more").first().orElseThrow();
            print("Returned " + first);
            return first;
        });
        assertEquals("data", r.value());
        assertEquals(
                List.of("  Acquiring resource", "  Closing resource...", "  Resource closed", "Returned data"), out);
        assertEquals(200, r.virtualMillis());
    }

    @Test
    void paginationLooksLikeOneFlatStream() {
        AsyncFlow<Book> paginatedBooks = AsyncFlow.generate(e -> {
            for (int page = 0; ; page++) {
                Suspend.delay(200); // fetch_page: network delay
                int start = page * 10;
                int end = Math.min(start + 10, 35);
                if (start >= 35) {
                    break;
                }
                for (int i = start; i < end; i++) {
                    e.emit(new Book(i, "Book " + i));
                }
            }
        });
        Timed<List<String>> r =
                inVirtualTime(() -> paginatedBooks.map(Book::title).toList());
        assertEquals(35, r.value().size());
        assertEquals("Book 0", r.value().getFirst());
        assertEquals("Book 34", r.value().getLast());
        assertEquals(5 * 200, r.virtualMillis());
    }

    // ---- buffering and prefetching -----------------------------------------------------------

    private static final long FETCH = 500; // slow_data_source: asyncio.sleep(0.5) per item
    private static final long WORK = 300; // what the consumer does with each item

    private static AsyncFlow<Integer> slowDataSource() {
        return AsyncFlow.generate(e -> {
            for (int i = 0; i < 10; i++) {
                Suspend.delay(FETCH);
                e.emit(i);
            }
        });
    }

    /** Collects the first 3 items, working {@code work} ms on each; returns the virtual time. */
    private static long gotThreeItems(AsyncFlow<Integer> source, long work) {
        Timed<Void> r = inVirtualTime(() -> {
            source.take(3).forEach(item -> Suspend.delay(work)); // await inside the loop
            return null;
        });
        return r.virtualMillis();
    }

    @Test
    void bufferingWithAnIdleConsumerCannotBeatTheSource() {
        // "Without buffering (slow): Got 3 items in 1.5s": 3 x 0.5 s
        assertEquals(3 * FETCH, gotThreeItems(slowDataSource(), 0));
        assertEquals(3 * FETCH, gotThreeItems(slowDataSource().buffer(3), 0));
    }

    @Test
    void bufferingOverlapsFetchingAndProcessing() {
        // model: sequential = n (fetch + work); prefetching = n fetch + one last work (fetch > work)
        long unbuffered = gotThreeItems(slowDataSource(), WORK);
        long buffered = gotThreeItems(slowDataSource().buffer(3), WORK);
        assertEquals(3 * (FETCH + WORK), unbuffered);
        assertEquals(3 * FETCH + WORK, buffered);
        assertTrue(buffered < unbuffered);
    }

    @Test
    void bufferedConsumerBoundPipelineTakesTheConsumersTime() {
        // when the work is the slower side, prefetching makes the total approach n x work + one fetch
        Timed<Void> r = inVirtualTime(() -> {
            slowDataSource().buffer(3).take(3).forEach(item -> Suspend.delay(800));
            return null;
        });
        assertEquals(FETCH + 3 * 800, r.virtualMillis());
    }

    @Test
    void iteratorLoopIsLazyLikeAnAsyncGeneratorAndPrefetchesOnlyWithBuffer() {
        // iterator() pulls like "async for": the source fetches item k+1 only when the loop asks
        // for it, so fetching and work alternate; buffer(1) lets the fetch of k+1 overlap the work on k
        Timed<List<Integer>> lazy = inVirtualTime(() -> take3(slowDataSource()));
        assertEquals(List.of(0, 1, 2), lazy.value());
        assertEquals(3 * (FETCH + WORK), lazy.virtualMillis());
        Timed<List<Integer>> prefetched =
                inVirtualTime(() -> take3(slowDataSource().buffer(1)));
        assertEquals(List.of(0, 1, 2), prefetched.value());
        assertEquals(3 * FETCH + WORK, prefetched.virtualMillis());
    }

    private static List<Integer> take3(AsyncFlow<Integer> source) {
        List<Integer> got = new ArrayList<>();
        try (var items = source.iterator()) {
            while (got.size() < 3 && items.hasNext()) {
                got.add(items.next());
                Suspend.delay(WORK);
            }
        }
        return got;
    }
}
