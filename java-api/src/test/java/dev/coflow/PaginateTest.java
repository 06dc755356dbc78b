package dev.coflow;

import static dev.coflow.OperatorTestBase.collectSlowly;
import static dev.coflow.OperatorTestBase.inVirtualTime;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coflow.OperatorTestBase.Timed;
import dev.coflow.bridge.Suspend;
import dev.coflow.test.CoflowExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** paginate, paginateAsync, paginateByToken: fetch counts, early stop, prefetch timing in virtual time. */
class PaginateTest {
    /** After each test, no coroutine body it started may still be running (the harness's leak check). */
    @RegisterExtension
    static final CoflowExtension COFLOW = CoflowExtension.withLeakGrace(Duration.ZERO);

    private static final List<String> BOOKS =
            IntStream.rangeClosed(1, 35).mapToObj(i -> "Book " + i).toList();
    private final List<Integer> fetched = new CopyOnWriteArrayList<>();

    /** The article's library: 35 books served in pages of 10. */
    private List<String> fetchPage(int page) {
        fetched.add(page);
        int from = Math.min(page * 10, BOOKS.size());
        return BOOKS.subList(from, Math.min(from + 10, BOOKS.size()));
    }

    @Test
    void articleThirtyFiveBooksInPagesOfTenTakeExactlyFiveFetches() {
        List<String> got = AsyncFlow.paginate(this::fetchPage).toList();
        assertEquals(BOOKS, got);
        assertEquals(List.of(0, 1, 2, 3, 4), fetched, "4 pages with books + 1 empty page");
    }

    @Test
    void pagesAreFetchedOnlyWhenTheConsumerNeedsThem() {
        List<String> log = new CopyOnWriteArrayList<>();
        AsyncFlow.paginate(page -> {
                    log.add("fetch " + page);
                    return fetchPage(page);
                })
                .take(12)
                .forEach(b -> log.add(b));
        assertEquals(List.of(0, 1), fetched);
        assertEquals("fetch 0", log.get(0));
        assertEquals("Book 10", log.get(10));
        assertEquals("fetch 1", log.get(11), "page 1 is fetched after page 0 was consumed");
    }

    @Test
    void eachCollectionStartsAgainFromPageZero() {
        AsyncFlow<String> books = AsyncFlow.paginate(this::fetchPage);
        assertEquals(35, books.count());
        assertEquals(35, books.count());
        assertEquals(List.of(0, 1, 2, 3, 4, 0, 1, 2, 3, 4), fetched);
    }

    @Test
    void nullPageEndsLikeAnEmptyOne() {
        assertEquals(
                List.of("x"),
                AsyncFlow.paginate(page -> page == 0 ? List.of("x") : null).toList());
    }

    @Test
    void fetchMayWaitOnTheVirtualClock() {
        Timed<Long> t = inVirtualTime(() -> AsyncFlow.paginate(page -> {
                    Suspend.delay(1_000);
                    return fetchPage(page);
                })
                .count());
        assertEquals(35L, t.value());
        assertEquals(5_000, t.virtualMillis());
    }

    @Test
    void fetchFailureReachesTheCallerAfterTheEarlierPages() {
        List<String> got = new ArrayList<>();
        UncheckedIOException e = assertThrows(
                UncheckedIOException.class,
                () -> AsyncFlow.paginate(page -> {
                            if (page == 2) {
                                throw new IOException("HTTP 503");
                            }
                            return fetchPage(page);
                        })
                        .forEach(got::add));
        assertEquals("HTTP 503", e.getCause().getMessage());
        assertEquals(20, got.size());
    }

    @Test
    void nullItemIsANamedNpe() {
        NullPointerException e = assertThrows(
                NullPointerException.class,
                () -> AsyncFlow.paginate(page -> Arrays.asList("a", null)).toList());
        assertTrue(e.getMessage().contains("paginate"), e.getMessage());
    }

    @Test
    void withoutPrefetchFetchAndConsumerTimesAdd() {
        Timed<List<String>> t = inVirtualTime(() -> collectSlowly(
                AsyncFlow.paginate(page -> {
                    Suspend.delay(1_000);
                    return fetchPage(page);
                }),
                100));
        assertEquals(35, t.value().size());
        assertEquals(5 * 1_000 + 35 * 100, t.virtualMillis());
    }

    @Test
    void prefetchOverlapsTheNextFetchWithTheConsumersWork() {
        Timed<List<String>> t = inVirtualTime(() -> collectSlowly(
                AsyncFlow.paginate(
                        page -> {
                            Suspend.delay(1_000);
                            return fetchPage(page);
                        },
                        1),
                100));
        assertEquals(BOOKS, t.value());
        // page k+1 loads while the 10 books of page k (1 s of work) are consumed: only the first fetch is waited for,
        // and the empty page 4 is fetched while page 3's five books are consumed
        assertEquals(1_000 + 4 * 1_000, t.virtualMillis());
        assertEquals(List.of(0, 1, 2, 3, 4), fetched);
    }

    @Test
    void prefetchNeverRunsMoreThanTheGivenPagesAhead() {
        List<String> got = new ArrayList<>();
        Timed<Integer> t = inVirtualTime(() -> {
            collectSlowly(AsyncFlow.paginate(this::fetchPage, 2).take(3).onEach(got::add), 100);
            return fetched.size();
        });
        assertTrue(t.value() <= 3, "fetched " + fetched + " for 3 items with 2 pages of prefetch");
        assertEquals(3, got.size());
    }

    @Test
    void paginateAsyncAwaitsEachStage() {
        List<String> got = AsyncFlow.paginateAsync(page -> CompletableFuture.supplyAsync(() -> fetchPage(page)))
                .toList();
        assertEquals(BOOKS, got);
        assertEquals(5, fetched.size());
    }

    @Test
    void paginateAsyncWaitsWithoutBlockingAndStopsEarly() {
        Timed<List<String>> t = inVirtualTime(() -> AsyncFlow.paginateAsync(page -> {
                    CompletableFuture<List<String>> f = new CompletableFuture<>();
                    f.complete(fetchPage(page));
                    return f;
                })
                .take(3)
                .toList());
        assertEquals(BOOKS.subList(0, 3), t.value());
        assertEquals(List.of(0), fetched);
        NullPointerException e = assertThrows(
                NullPointerException.class,
                () -> AsyncFlow.<String>paginateAsync(page -> null).toList());
        assertTrue(e.getMessage().contains("paginateAsync"), e.getMessage());
    }

    /** A cursor API: token -> page; "" is the first request, pages may be empty and still have a next token. */
    private static final Map<String, Page<String>> TOKENS = Map.of(
            "", new Page<>(List.of("a", "b"), "t1"),
            "t1", new Page<>(List.of(), "t2"),
            "t2", new Page<>(List.of("c"), "t3"),
            "t3", Page.last(List.of("d", "e")));

    @Test
    void byTokenFollowsTokensUntilThereIsNoneAndSkipsEmptyPages() {
        List<String> tokens = new CopyOnWriteArrayList<>();
        List<String> got = AsyncFlow.paginateByToken("", token -> {
                    tokens.add(token);
                    return TOKENS.get(token);
                })
                .toList();
        assertEquals(List.of("a", "b", "c", "d", "e"), got);
        assertEquals(List.of("", "t1", "t2", "t3"), tokens);
    }

    @Test
    void byTokenAcceptsANullFirstTokenAndPrefetches() {
        List<String> tokens = new CopyOnWriteArrayList<>();
        List<String> got = AsyncFlow.paginateByToken(
                        null,
                        token -> {
                            tokens.add(String.valueOf(token));
                            return TOKENS.get(token == null ? "" : token);
                        },
                        1)
                .toList();
        assertEquals(List.of("a", "b", "c", "d", "e"), got);
        assertEquals(List.of("null", "t1", "t2", "t3"), tokens);
    }

    @Test
    void byTokenNullPageIsANamedNpe() {
        NullPointerException e = assertThrows(
                NullPointerException.class,
                () -> AsyncFlow.<String>paginateByToken("x", token -> null).toList());
        assertTrue(e.getMessage().contains("paginateByToken"), e.getMessage());
    }

    @Test
    void pageRecord() {
        Page<String> p = new Page<>(new ArrayList<>(List.of("a")), "");
        assertEquals(false, p.hasNext(), "an empty token means no next page");
        assertTrue(p.nextToken().isEmpty());
        assertEquals("n", new Page<>(List.of(), "n").nextToken().orElseThrow());
        assertThrows(UnsupportedOperationException.class, () -> p.items().add("b"), "items are copied immutably");
        assertThrows(NullPointerException.class, () -> new Page<>(Arrays.asList("a", null), null));
    }

    @Test
    void argumentsAreChecked() {
        assertThrows(NullPointerException.class, () -> AsyncFlow.paginate(null));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> AsyncFlow.paginate(this::fetchPage, -1));
        assertTrue(e.getMessage().contains("prefetchPages"), e.getMessage());
        assertThrows(NullPointerException.class, () -> AsyncFlow.paginateAsync(null));
        assertThrows(NullPointerException.class, () -> AsyncFlow.paginateByToken("", null));
        assertThrows(
                IllegalArgumentException.class, () -> AsyncFlow.paginateByToken("", t -> Page.last(List.of()), -1));
        assertInstanceOf(AsyncFlow.class, AsyncFlow.paginate(this::fetchPage, 0));
    }
}
