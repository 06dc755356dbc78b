package dev.coflow.examples.article;

import dev.coflow.AsyncFlow;
import dev.coflow.bridge.Suspend;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The article's "Streaming API Pagination": 35 books behind an API that returns 10 at a time.
 * {@link AsyncFlow#paginate} is the article's {@code paginated_books()} loop; the consumer sees a
 * flat stream, and pages are fetched only as it needs them (the fetch lines show when).
 *
 * <pre>
 * Fetching all books via pagination:
 *   (fetching page 0)
 *   Book 0
 *   ...
 *   Book 34
 *   (fetching page 4)
 *
 * Total books fetched: 35 (5 page requests)
 * </pre>
 */
public final class PaginationExample {
    private PaginationExample() {}

    record Book(int id, String title) {}

    /** {@code async def fetch_page(page_number, page_size=10)}: a slow API call. */
    static List<Book> fetchPage(int pageNumber, int pageSize) {
        Suspend.delay(200); // network delay
        int totalBooks = 35;
        int start = pageNumber * pageSize;
        int end = Math.min(start + pageSize, totalBooks);
        List<Book> books = new ArrayList<>();
        for (int i = start; i < end; i++) {
            books.add(new Book(i, "Book " + i));
        }
        return books; // empty after the last page
    }

    public static void main(String[] args) {
        System.out.println("Fetching all books via pagination:");
        AtomicInteger requests = new AtomicInteger();
        AsyncFlow<Book> books = AsyncFlow.paginate(page -> {
            requests.incrementAndGet();
            System.out.println("  (fetching page " + page + ")");
            return fetchPage(page, 10);
        });
        int[] count = {0};
        books.forEach(book -> {
            count[0]++;
            System.out.println("  " + book.title());
        });
        System.out.println();
        System.out.println("Total books fetched: " + count[0] + " (" + requests.get() + " page requests)");
    }
}
