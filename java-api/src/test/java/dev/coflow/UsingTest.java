package dev.coflow;

import static dev.coflow.OperatorTestBase.inVirtualTime;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coflow.OperatorTestBase.Timed;
import dev.coflow.bridge.Suspend;
import dev.coflow.test.CoflowExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code AsyncFlow.using} over a real JDBC cursor (H2 in memory, lazy query execution so rows are
 * produced as the cursor advances): every exit path closes the connection exactly once.
 */
class UsingTest {
    /** After each test, no coroutine body it started may still be running (the harness's leak check). */
    @RegisterExtension
    static final CoflowExtension COFLOW = CoflowExtension.withLeakGrace(Duration.ZERO);

    private static final AtomicInteger DB = new AtomicInteger();
    private static final int ROWS = 1_000;

    private final List<String> log = new CopyOnWriteArrayList<>();
    private final List<Connection> opened = new CopyOnWriteArrayList<>();
    private final AtomicInteger nextCalls = new AtomicInteger();
    private final AtomicInteger releases = new AtomicInteger();
    private String url;
    private Connection keeper;

    @BeforeEach
    void createTable() throws SQLException {
        url = "jdbc:h2:mem:using" + DB.incrementAndGet() + ";DB_CLOSE_DELAY=-1;LAZY_QUERY_EXECUTION=1";
        keeper = DriverManager.getConnection(url);
        try (Statement st = keeper.createStatement()) {
            st.execute("create table books(id int primary key, title varchar(100))");
            st.execute("insert into books select x, 'Book ' || x from system_range(1, " + ROWS + ")");
        }
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        try (Statement st = keeper.createStatement()) {
            st.execute("shutdown");
        }
    }

    /** The article's cursor: opening and closing are logged, and it streams titles row by row. */
    private final class Cursor implements AutoCloseable {
        final Connection connection;
        final ResultSet rows;

        Cursor(String sql) throws SQLException {
            log.add("Opening cursor...");
            connection = DriverManager.getConnection(url);
            opened.add(connection);
            rows = connection.createStatement().executeQuery(sql);
        }

        boolean next() throws SQLException {
            nextCalls.incrementAndGet();
            return rows.next();
        }

        @Override
        public void close() throws SQLException {
            log.add("Closing cursor...");
            releases.incrementAndGet();
            connection.close();
        }
    }

    private AsyncFlow<String> titles(String sql) {
        return AsyncFlow.using(
                () -> new Cursor(sql),
                cursor -> AsyncFlow.<String>generate(out -> {
                    while (cursor.next()) {
                        out.emit(cursor.rows.getString("title"));
                    }
                }));
    }

    private AsyncFlow<String> allTitles() {
        return titles("select title from books order by id");
    }

    private void assertClosedOnce() throws SQLException {
        assertEquals(1, opened.size());
        assertTrue(opened.getFirst().isClosed(), "connection left open");
        assertEquals(1, releases.get(), "release must run exactly once");
    }

    @Test
    void articleOrderOpeningRowsClosingThenAutomaticallyClosed() throws SQLException {
        titles("select title from books where id <= 3 order by id")
                .onCompletion(cause -> log.add("Cursor automatically closed"))
                .forEach(log::add);
        assertEquals(
                List.of(
                        "Opening cursor...",
                        "Book 1",
                        "Book 2",
                        "Book 3",
                        "Closing cursor...",
                        "Cursor automatically closed"),
                log);
        assertClosedOnce();
        assertEquals(4, nextCalls.get());
    }

    @Test
    void takeReadsOnlyAFewRowsOfAHundredThousandAndCloses() throws SQLException {
        try (Statement st = keeper.createStatement()) {
            st.execute("insert into books select x, 'Book ' || x from system_range(" + (ROWS + 1) + ", 100000)");
        }
        assertEquals(
                List.of("Book 1", "Book 2", "Book 3", "Book 4", "Book 5"),
                allTitles().take(5).toList());
        assertEquals(5, nextCalls.get(), "the cursor advanced further than the consumer needed");
        assertClosedOnce();
        assertEquals("Closing cursor...", log.getLast());
    }

    @Test
    void coldEachCollectionOpensAndClosesItsOwnConnection() throws SQLException {
        AsyncFlow<String> f = titles("select title from books where id <= 2");
        assertEquals(2, f.count());
        assertEquals(2, f.count());
        assertEquals(2, opened.size());
        assertTrue(opened.stream().allMatch(c -> {
            try {
                return c.isClosed();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }));
        assertEquals(2, releases.get());
    }

    @Test
    void consumerFailureClosesTheConnection() throws SQLException {
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> allTitles().forEach(t -> {
                    if (t.equals("Book 3")) {
                        throw new IllegalStateException("consumer boom");
                    }
                }));
        assertEquals("consumer boom", e.getMessage());
        assertEquals(3, nextCalls.get());
        assertClosedOnce();
    }

    @Test
    void sqlFailureReachesTheCallerWrappedAndStillCloses() throws SQLException {
        AsyncFlow<String> broken = AsyncFlow.using(
                () -> new Cursor("select title from books"),
                cursor -> AsyncFlow.<String>generate(out -> {
                    cursor.next();
                    out.emit(cursor.rows.getString("no_such_column"));
                }));
        CompletionException e = assertThrows(CompletionException.class, broken::toList);
        assertInstanceOf(SQLException.class, e.getCause());
        assertClosedOnce();
    }

    @Test
    void cancellingAnAsyncTerminalClosesTheConnection() throws Exception {
        CompletableFuture<Void> reached = new CompletableFuture<>();
        CompletableFuture<Void> released = new CompletableFuture<>();
        AsyncFlow<String> f = AsyncFlow.using(
                () -> new Cursor("select title from books order by id"),
                cursor -> AsyncFlow.<String>generate(out -> {
                    while (cursor.next()) {
                        out.emit(cursor.rows.getString("title"));
                        if (nextCalls.get() == 3) {
                            reached.complete(null);
                            Suspend.await(new CompletableFuture<Void>()); // wait here until cancelled
                        }
                    }
                }),
                cursor -> {
                    cursor.close();
                    released.complete(null);
                });
        CompletableFuture<List<String>> all = f.toListAsync();
        reached.get(10, TimeUnit.SECONDS);
        assertTrue(all.cancel(true));
        released.get(10, TimeUnit.SECONDS);
        assertThrows(CancellationException.class, all::join);
        assertEquals(3, nextCalls.get());
        assertClosedOnce();
        // A cancelled future completes at once; the body's own return follows the release it
        // ran, so wait for that (bounded) before the leak check after the test.
        CoflowExtension.assertNoBodiesRunning(Duration.ofSeconds(10));
    }

    @Test
    void releaseFailureIsSuppressedIntoThePrimaryFailure() throws SQLException {
        AsyncFlow<String> f = AsyncFlow.using(
                () -> new Cursor("select title from books order by id"),
                cursor -> AsyncFlow.<String>generate(out -> {
                    while (cursor.next()) {
                        out.emit(cursor.rows.getString("title"));
                    }
                }),
                cursor -> {
                    cursor.close();
                    throw new SQLException("close failed");
                });
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> f.forEach(t -> {
                    throw new IllegalStateException("primary");
                }));
        assertEquals("primary", e.getMessage());
        Throwable withSuppressed = e.getSuppressed().length > 0 ? e : e.getCause();
        assertTrue(
                Arrays.stream(withSuppressed.getSuppressed()).anyMatch(s -> "close failed".equals(s.getMessage())),
                "release failure not attached as suppressed");
        assertClosedOnce();
    }

    @Test
    void releaseFailureAfterNormalCompletionFailsTheFlow() {
        AsyncFlow<Integer> f = AsyncFlow.using(() -> "resource", r -> AsyncFlow.of(1, 2), r -> {
            throw new IllegalStateException("release failed");
        });
        assertEquals(
                "release failed",
                assertThrows(IllegalStateException.class, f::toList).getMessage());
    }

    @Test
    void failedAcquireNeverReleasesAndNeverStartsTheFlow() {
        AtomicInteger built = new AtomicInteger();
        AsyncFlow<Integer> f = AsyncFlow.<String, Integer>using(
                () -> {
                    throw new SQLException("no connection");
                },
                r -> {
                    built.incrementAndGet();
                    return AsyncFlow.of(1);
                },
                r -> releases.incrementAndGet());
        CompletionException e = assertThrows(CompletionException.class, f::toList);
        assertEquals("no connection", e.getCause().getMessage());
        assertEquals(0, built.get());
        assertEquals(0, releases.get());
    }

    @Test
    void acquireAndReleaseMayWaitAndReleaseStillWaitsAfterCancellation() {
        Timed<List<Integer>> t = inVirtualTime(() -> AsyncFlow.using(
                        () -> {
                            Suspend.delay(100);
                            return "pool";
                        },
                        r -> AsyncFlow.range(0, 1_000),
                        r -> {
                            Suspend.delay(200);
                            releases.incrementAndGet();
                        })
                .take(2)
                .toList());
        assertEquals(List.of(0, 1), t.value());
        assertEquals(300, t.virtualMillis(), "release waited on the virtual clock despite take's cancellation");
        assertEquals(1, releases.get());
    }

    @Test
    void argumentsAreChecked() {
        assertThrows(NullPointerException.class, () -> AsyncFlow.using(null, r -> AsyncFlow.empty(), r -> {}));
        assertThrows(NullPointerException.class, () -> AsyncFlow.using(() -> "r", null, r -> {}));
        assertThrows(NullPointerException.class, () -> AsyncFlow.using(() -> "r", r -> AsyncFlow.empty(), null));
        assertThrows(
                NullPointerException.class, () -> AsyncFlow.<AutoCloseable, String>using(null, r -> AsyncFlow.empty()));
        NullPointerException e = assertThrows(
                NullPointerException.class,
                () -> AsyncFlow.using(() -> "r", r -> null, r -> releases.incrementAndGet())
                        .toList());
        assertTrue(e.getMessage().contains("AsyncFlow.using"), e.getMessage());
        assertEquals(1, releases.get(), "acquired, so released even though the function failed");
    }
}
