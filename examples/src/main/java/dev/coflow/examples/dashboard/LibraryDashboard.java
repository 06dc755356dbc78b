package dev.coflow.examples.dashboard;

import dev.coflow.AsyncFlow;
import dev.coflow.AsyncStateFlow;
import dev.coflow.FlowScope;
import dev.coflow.SharingStarted;
import dev.coflow.bridge.Coroutines;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The library dashboard from the article, for real: an embedded H2 database of books, members and
 * checkouts; a generator that simulates checkouts and returns and writes them with JDBC; live
 * statistics derived from that stream with {@code scan}, {@code mapAsync} and {@code stateIn} on a
 * {@link FlowScope}; a loopback HTTP server with {@code GET /stats} (JSON) and {@code GET /events}
 * (server-sent events, one flow per client); and the catalogue read page by page with
 * {@link AsyncFlow#paginate}.
 *
 * <p>{@code main} without arguments runs a three-second demo that calls its own HTTP endpoints and
 * exits; {@code --serve} keeps it running until Ctrl-C. Tests use {@link #start(Options)}.
 */
public final class LibraryDashboard implements AutoCloseable {
    /** The simulated day the library opens on. */
    public static final LocalDate OPENING = LocalDate.of(2025, 3, 3);
    /** Books per catalogue page. */
    public static final int PAGE_SIZE = 10;

    /**
     * How to run the dashboard.
     *
     * @param eventInterval the wait between two simulated events
     * @param seed the random seed of the simulation (the same seed tells the same story)
     */
    public record Options(Duration eventInterval, long seed) {
        /** Checks the arguments. */
        public Options {
            Objects.requireNonNull(eventInterval, "eventInterval");
            if (eventInterval.isNegative() || eventInterval.isZero()) {
                throw new IllegalArgumentException(
                        "eventInterval must be positive, e.g. Duration.ofMillis(40), was " + eventInterval);
            }
        }

        /** One event every 40 ms, seed 2025. */
        public static Options defaults() {
            return new Options(Duration.ofMillis(40), 2025);
        }
    }

    private final LibraryDb db;
    private final FlowScope scope;
    private final AsyncStateFlow<Stats> stats;
    private final StatsServer server;
    private final Stats opening;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private LibraryDashboard(
            LibraryDb db, FlowScope scope, AsyncStateFlow<Stats> stats, StatsServer server, Stats opening) {
        this.opening = opening;
        this.db = db;
        this.scope = scope;
        this.stats = stats;
        this.server = server;
    }

    /**
     * Creates the database, starts the simulation and the live statistics, and the HTTP server.
     *
     * @param options the simulation settings
     * @return the running dashboard; close it to stop everything
     * @throws Exception if the database or the server cannot start
     */
    public static LibraryDashboard start(Options options) throws Exception {
        Objects.requireNonNull(options, "options");
        LibraryDb db = LibraryDb.createSeeded(OPENING);
        FlowScope scope = FlowScope.create();
        try {
            Activity opening = Activity.start(OPENING);
            Stats initial = db.snapshot(opening);
            AsyncStateFlow<Stats> stats = new Simulator(db, OPENING, options.eventInterval(), options.seed())
                    .events() // generator: Suspend.delay + JDBC writes
                    .scan(opening, Activity::record) // counters and events/s, no I/O
                    .mapAsync(1, db::snapshot) // JDBC reads: may block, so not in map
                    .stateIn(scope, SharingStarted.EAGERLY, initial);
            return new LibraryDashboard(db, scope, stats, StatsServer.start(stats), initial);
        } catch (Exception | Error e) {
            scope.close();
            db.close();
            throw e;
        }
    }

    /** The server's base address, {@code http://127.0.0.1:port/}. */
    public URI uri() {
        return server.uri();
    }

    /** The server's ephemeral port. */
    public int port() {
        return server.port();
    }

    /** The live statistics: the current snapshot, then every change. */
    public AsyncStateFlow<Stats> stats() {
        return stats;
    }

    /** How many {@code GET /events} clients are connected. */
    public AsyncStateFlow<Integer> eventClients() {
        return server.clients();
    }

    /**
     * The catalogue, read lazily over JDBC a page of {@value #PAGE_SIZE} at a time until the first
     * empty page. {@code onFetch} is told each page number and its size as it is fetched.
     *
     * @param onFetch called after each fetch with the page number and how many books it held
     * @return a cold flow of every book
     */
    public AsyncFlow<Book> catalog(java.util.function.BiConsumer<Integer, Integer> onFetch) {
        return AsyncFlow.paginate(page -> {
            List<Book> books = db.catalogPage(page, PAGE_SIZE);
            onFetch.accept(page, books.size());
            return books;
        });
    }

    /**
     * The overdue books as of the current simulated day.
     *
     * @return one line per book
     * @throws Exception if the query fails
     */
    public List<String> overdueBooks() throws Exception {
        return db.overdueBooks(LocalDate.parse(stats.value().day()));
    }

    /**
     * Stops the simulation (its scope), ends every event stream, stops the server, drops the
     * database. Idempotent.
     */
    @Override
    public void close() throws Exception {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try (db;
                server;
                scope) {
            scope.cancel(); // stop the simulation first, then close server and database
        }
    }

    // region the demo ----------------------------------------------------------------------------

    /**
     * Runs the demo: without arguments for about three seconds, then exits; with {@code --serve}
     * until the JVM is stopped.
     *
     * @param args nothing, or {@code --serve}
     * @throws Exception if anything fails
     */
    public static void main(String[] args) throws Exception {
        boolean serve = args.length > 0 && args[0].equals("--serve");
        PrintStream out = System.out;
        out.println("coflow library dashboard");
        out.println("========================");
        LibraryDashboard dashboard = start(Options.defaults());
        try {
            out.printf(
                    "Database: H2 in memory, %d books, %d members, %d on loan (%d overdue) on %s%n",
                    dashboard.opening.booksTotal(),
                    dashboard.db.memberCount(),
                    dashboard.opening.booksOut(),
                    dashboard.opening.overdue(),
                    dashboard.opening.day());
            out.println();
            dashboard.printCatalog(out);
            out.println();
            out.println("HTTP server on " + dashboard.uri() + "  (GET /stats, GET /events)");
            if (serve) {
                serve(dashboard, out);
                return;
            }
            out.println("Simulating checkouts and returns, one every 40 ms; live view once a second:");
            dashboard.stats().asFlow().sample(Duration.ofSeconds(1)).take(3).forEach(s -> out.println("  " + s.line()));
            out.println();
            dashboard.callItself(out);
        } catch (Exception | Error e) {
            dashboard.close();
            throw e;
        }
        dashboard.scope.close(); // the simulation stops here; the numbers below are final
        dashboard.printFinal(out);
        dashboard.close();
        out.println();
        out.println("Closed: simulation scope, HTTP server, database. Coroutine bodies still running: "
                + Coroutines.activeBodies());
    }

    private void printCatalog(PrintStream out) {
        out.println("Catalogue, read with AsyncFlow.paginate over JDBC, " + PAGE_SIZE + " books per page:");
        AtomicInteger fetches = new AtomicInteger();
        List<Book> books = catalog((page, n) -> {
                    fetches.incrementAndGet();
                    out.printf("  fetch %d: page %d -> %d books%s%n", fetches.get(), page, n, n == 0 ? " (end)" : "");
                })
                .toList();
        out.printf(
                "  first: #%d %s (%s)%n",
                books.getFirst().id(),
                books.getFirst().title(),
                books.getFirst().author());
        out.printf(
                "  last:  #%d %s (%s)%n",
                books.getLast().id(), books.getLast().title(), books.getLast().author());
        out.printf("  %d books in %d fetches%n", books.size(), fetches.get());
    }

    private void callItself(PrintStream out) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> stats = client.send(
                    HttpRequest.newBuilder(uri().resolve("stats")).build(), HttpResponse.BodyHandlers.ofString());
            out.println("GET /stats -> " + stats.statusCode() + " "
                    + stats.headers().firstValue("content-type").orElse("?"));
            stats.body().lines().forEach(line -> out.println("  " + line));
            out.println();

            HttpResponse<Stream<String>> events = client.send(
                    HttpRequest.newBuilder(uri().resolve("events?limit=3")).build(),
                    HttpResponse.BodyHandlers.ofLines());
            out.println("GET /events?limit=3 -> " + events.statusCode() + " "
                    + events.headers().firstValue("content-type").orElse("?"));
            try (Stream<String> lines = events.body()) {
                lines.filter(line -> line.startsWith("data: "))
                        .map(line -> line.length() > 110 ? line.substring(0, 107) + "..." : line)
                        .forEach(line -> out.println("  " + line));
            }
        }
    }

    private void printFinal(PrintStream out) throws Exception {
        Stats s = stats.value();
        out.println();
        out.println("Final dashboard (" + s.day() + ")");
        out.printf("  books out      %d of %d%n", s.booksOut(), s.booksTotal());
        out.printf("  overdue        %d%n", s.overdue());
        out.printf("  events         %d (%.0f in the last second)%n", s.events(), s.eventsPerSecond());
        out.println("  top borrowers");
        for (int i = 0; i < s.topBorrowers().size(); i++) {
            Borrower b = s.topBorrowers().get(i);
            out.printf("    %d. %-6s %d checkouts%n", i + 1, b.name(), b.checkouts());
        }
        out.println("  overdue books");
        List<String> overdue = overdueBooks();
        if (overdue.isEmpty()) {
            out.println("    (none)");
        }
        overdue.forEach(line -> out.println("    " + line));
        out.println("  last event     " + s.lastEvent());
    }

    private static void serve(LibraryDashboard dashboard, PrintStream out) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                dashboard.close();
            } catch (Exception e) {
                e.printStackTrace();
            }
            stopped.countDown();
        }));
        out.println("Try: curl " + dashboard.uri() + "stats   or   curl -N " + dashboard.uri() + "events");
        out.println("Serving until Ctrl-C; live view every 5 seconds:");
        Thread.ofVirtual()
                .start(() -> dashboard
                        .stats()
                        .asFlow()
                        .sample(Duration.ofSeconds(5))
                        .forEach(s -> out.println("  " + s.line())));
        stopped.await();
    }

    // endregion
}
