package dev.coflow.examples.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.coflow.test.CoflowExtension;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The catalogue API over real HTTP on loopback: pages, cursors, deterministic 503s and their retries. */
class CatalogApiTest {
    private LibraryDb db;

    @BeforeEach
    void library() throws Exception {
        db = LibraryDb.create(LibraryDashboard.OPENING, new LibraryDb.Size(230, 10, 0), 1);
    }

    @AfterEach
    void close() throws Exception {
        db.close();
        CoflowExtension.assertNoBodiesRunning(Duration.ZERO);
    }

    @Test
    void everyPageFailsItsFirstThreeRequestsAndIsRetriedExactlyThreeTimes() throws Exception {
        try (CatalogServer server = CatalogServer.start(db, Duration.ZERO, 3, 0, 1);
                CatalogClient client = new CatalogClient(server.uri(), 4)) {
            for (int prefetch : List.of(0, 2)) {
                long retriesBefore = client.retries();
                List<List<Book>> pages =
                        client.pages("c" + prefetch, 100, prefetch).toList();
                // 230 books in pages of 100: 100, 100, 30 (the short page has no next cursor)
                assertEquals(
                        List.of(100, 100, 30), pages.stream().map(List::size).toList());
                assertEquals(1, pages.getFirst().getFirst().id());
                assertEquals(230, pages.getLast().getLast().id());
                assertEquals(3 * 3, client.retries() - retriesBefore, "prefetch " + prefetch);
            }
            assertEquals(2 * 3 * 4, server.requests());
            assertEquals(2 * 3 * 3, server.unavailable());
        }
    }

    @Test
    void aFullLastPageEndsWithOneEmptyPage() throws Exception {
        try (CatalogServer server = CatalogServer.start(db, Duration.ZERO, 0, 0, 1);
                CatalogClient client = new CatalogClient(server.uri(), 1)) {
            List<List<Book>> pages = client.pages("c", 115, 1).toList();
            assertEquals(List.of(115, 115), pages.stream().map(List::size).toList());
            assertEquals(3, server.requests(), "two full pages, then the empty one without a next cursor");
            assertEquals(0, client.retries());
        }
    }

    @Test
    void aPageThatKeepsFailingEndsTheCrawlWithTheLast503() throws Exception {
        try (CatalogServer server = CatalogServer.start(db, Duration.ZERO, 5, 0, 1);
                CatalogClient client = new CatalogClient(server.uri(), 3)) {
            UncheckedIOException e = assertThrows(
                    UncheckedIOException.class, () -> client.pages("c", 100, 0).toList());
            assertInstanceOf(CatalogClient.UnavailableException.class, e.getCause());
            assertEquals(3, server.requests(), "three attempts at the first page, then it gives up");
            assertEquals(2, client.retries(), "two retries after the first attempt");
        }
    }

    @Test
    void aSeededFailureRateIsTheSameOnEveryRun() throws Exception {
        long[] unavailable = new long[2];
        for (int run = 0; run < 2; run++) {
            try (CatalogServer server = CatalogServer.start(db, Duration.ZERO, 0, 30, 42);
                    CatalogClient client = new CatalogClient(server.uri(), 10)) {
                assertEquals(
                        230,
                        client.pages("c", 10, 0).toList().stream()
                                .mapToInt(List::size)
                                .sum());
                unavailable[run] = server.unavailable();
                assertEquals(server.unavailable(), client.retries());
            }
        }
        assertEquals(unavailable[0], unavailable[1]);
    }
}
