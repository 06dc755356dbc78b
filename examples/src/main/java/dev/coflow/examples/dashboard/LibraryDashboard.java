package dev.coflow.examples.dashboard;

import dev.coflow.AsyncFlow;
import dev.coflow.AsyncStateFlow;
import dev.coflow.FlowScope;
import dev.coflow.MutableAsyncStateFlow;
import dev.coflow.SharingStarted;
import dev.coflow.bridge.Coroutines;
import dev.coflow.io.AsyncFiles;
import dev.coflow.io.AsyncWriter;
import dev.coflow.io.WriteOption;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The library dashboard from the article, for real, every pattern at once: an embedded H2
 * database with a generated library (tens of thousands of rows, millions with {@code --scale});
 * three simulated sources (checkouts, returns, website sessions) merged and enriched with
 * {@code mapAsync}, appended to a checkout log that is followed live with
 * {@link AsyncFiles#follow}; live statistics ({@code scan}, {@code sample}, {@code mapAsync},
 * {@code stateIn} on a {@link FlowScope}) served on loopback as {@code GET /stats} (JSON) and
 * {@code GET /events} (server-sent events); the checkouts table streamed from a JDBC cursor with
 * {@link AsyncFlow#using}; a catalogue HTTP API with latency and 503s read with {@code sendAsync},
 * {@code paginateByToken} and {@code retry(Backoff)}, timed on demand, behind a {@code buffer} and
 * with page prefetch.
 *
 * <p>{@link #run} runs the demo (well under a minute), prints a summary and returns the exit code;
 * {@code --serve} keeps it running until Ctrl-C. Tests use {@link #run} and {@link #start(Options)}.
 * kotlinx counterpart: none (an application); the Python article's dashboard.
 */
public final class LibraryDashboard implements AutoCloseable {
    /** The simulated day the library opens on. */
    public static final LocalDate OPENING = LocalDate.of(2025, 3, 3);

    /**
     * How to run the dashboard.
     *
     * @param eventInterval the wait between two events of one simulated source
     * @param seed the random seed (the same seed tells the same story)
     * @param size the generated library's size
     * @param events events per source ({@code Long.MAX_VALUE}: until closed)
     * @param latency the catalogue API's latency per request
     * @param failFirst the catalogue API answers 503 to the first this many requests of each page
     * @param failPercent and to this percentage of the other requests (chosen from the seed)
     * @param pageSize books per catalogue page
     * @param prefetch catalogue pages fetched ahead of the consumer in the prefetching crawl
     */
    public record Options(
            Duration eventInterval,
            long seed,
            LibraryDb.Size size,
            long events,
            Duration latency,
            int failFirst,
            int failPercent,
            int pageSize,
            int prefetch) {
        /** Checks the arguments. */
        public Options {
            Objects.requireNonNull(eventInterval, "eventInterval");
            Objects.requireNonNull(size, "size");
            Objects.requireNonNull(latency, "latency");
            if (eventInterval.isNegative() || eventInterval.isZero()) {
                throw new IllegalArgumentException(
                        "eventInterval must be positive, e.g. Duration.ofMillis(10), was " + eventInterval);
            }
            if (events < 1 || latency.isNegative() || failFirst < 0 || failPercent < 0 || failPercent > 50) {
                throw new IllegalArgumentException("events must be >= 1, latency >= 0, failFirst >= 0 and failPercent"
                        + " in 0..50; was " + events + ", " + latency + ", " + failFirst + ", " + failPercent);
            }
            if (pageSize < 1 || prefetch < 0) {
                throw new IllegalArgumentException(
                        "pageSize must be >= 1 and prefetch >= 0, was " + pageSize + ", " + prefetch);
            }
        }

        /**
         * A small library whose simulation runs until the dashboard is closed.
         *
         * @param eventInterval the wait between two events of a source
         * @param seed the random seed
         */
        public Options(Duration eventInterval, long seed) {
            this(
                    eventInterval,
                    seed,
                    new LibraryDb.Size(1_000, 100, 2_000),
                    Long.MAX_VALUE,
                    Duration.ZERO,
                    0,
                    0,
                    100,
                    2);
        }

        /**
         * The demo's defaults: 20,000 books, 2,000 members, 50,000 past checkouts, 800 events per
         * source 10 ms apart, 5 ms API latency, 5% 503s, pages of 200, 2 pages prefetched, seed 2025.
         *
         * @return the defaults
         */
        public static Options defaults() {
            return new Options(
                    Duration.ofMillis(10),
                    2025,
                    new LibraryDb.Size(20_000, 2_000, 50_000),
                    800,
                    Duration.ofMillis(5),
                    0,
                    5,
                    200,
                    2);
        }
    }

    /**
     * The simulation's progress, a state in the dashboard's scope.
     *
     * @param lines log lines written so far
     * @param finished whether every source has ended
     * @param failure why the simulation failed, or {@code null}
     * @param atNanos when ({@link System#nanoTime()})
     */
    record Written(long lines, boolean finished, Throwable failure, long atNanos) {}

    private final Options options;
    private final LibraryDb db;
    private final CheckoutLog log;
    private final FlowScope scope;
    private final AsyncStateFlow<Stats> stats;
    private final AsyncStateFlow<Written> simulation;
    private final StatsServer server;
    private final CatalogServer catalogServer;
    private final CatalogClient catalogClient;
    private final Stats opening;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final long simulationStarted = System.nanoTime();
    private long simulationEnded;

    private LibraryDashboard(
            Options options,
            LibraryDb db,
            CheckoutLog log,
            FlowScope scope,
            AsyncStateFlow<Stats> stats,
            AsyncStateFlow<Written> simulation,
            StatsServer server,
            CatalogServer catalogServer,
            Stats opening) {
        this.options = options;
        this.db = db;
        this.log = log;
        this.scope = scope;
        this.stats = stats;
        this.simulation = simulation;
        this.server = server;
        this.catalogServer = catalogServer;
        this.catalogClient = new CatalogClient(catalogServer.uri(), options.failFirst() + 5);
        this.opening = opening;
    }

    /**
     * Creates the database, the checkout log, the live statistics, the simulation, and both HTTP
     * servers; everything runs until {@link #close()} (the simulation until its events are done).
     *
     * @param options the settings
     * @return the running dashboard; close it to stop everything
     * @throws Exception if the database, the log or a server cannot start
     */
    public static LibraryDashboard start(Options options) throws Exception {
        Objects.requireNonNull(options, "options");
        CatalogServer.tcpNoDelay();
        LibraryDb db = LibraryDb.create(OPENING, options.size(), options.seed());
        CheckoutLog log = null;
        FlowScope scope = FlowScope.create();
        StatsServer server = null;
        try {
            log = CheckoutLog.create();
            Activity start = Activity.start(OPENING);
            Stats initial = db.snapshot(start);
            // Live statistics from the followed log: counters without I/O in scan, at most four
            // database snapshots a second (sample), JDBC in mapAsync because it blocks.
            AsyncStateFlow<Stats> stats = log.follow()
                    .scan(start, Activity::record)
                    .sample(Duration.ofMillis(250))
                    .mapAsync(1, db::snapshot)
                    .stateIn(scope, SharingStarted.EAGERLY, initial);
            AsyncStateFlow<Written> simulation = simulate(db, log.file(), options)
                    .stateIn(scope, SharingStarted.EAGERLY, new Written(0, false, null, System.nanoTime()));
            server = StatsServer.start(stats);
            CatalogServer catalog = CatalogServer.start(
                    db, options.latency(), options.failFirst(), options.failPercent(), options.seed());
            return new LibraryDashboard(options, db, log, scope, stats, simulation, server, catalog, initial);
        } catch (Exception | Error e) {
            scope.close();
            if (server != null) {
                server.close();
            }
            if (log != null) {
                log.close();
            }
            db.close();
            throw e;
        }
    }

    /** The simulation: the sources' events appended to the log, then one final progress. */
    private static AsyncFlow<Written> simulate(LibraryDb db, Path file, Options options) {
        Simulator simulator = new Simulator(db, options.eventInterval(), options.seed(), options.events());
        AtomicLong lines = new AtomicLong();
        return AsyncFlow.<Written>generate(out -> {
                    out.emitAll(AsyncFlow.using(
                                    () -> AsyncFiles.open(file, WriteOption.APPEND), // closed however it ends
                                    (AsyncWriter w) -> simulator.events().onEach(e -> {
                                        w.write(e.toLogLine() + "\n");
                                        w.flush(); // the follower sees each line at once
                                    }))
                            .map(e -> new Written(lines.incrementAndGet(), false, null, System.nanoTime())));
                    out.emit(new Written(lines.get(), true, null, System.nanoTime()));
                })
                .catchError((e, out) -> out.emit(new Written(lines.get(), true, e, System.nanoTime())));
    }

    /** The web page and API base address, {@code http://127.0.0.1:port/}. */
    public URI uri() {
        return server.uri();
    }

    /** The server's ephemeral port. */
    public int port() {
        return server.port();
    }

    /** The catalogue API's ephemeral port. */
    public int catalogPort() {
        return catalogServer.port();
    }

    /** The checkout log's directory (deleted by {@link #close()}). */
    public Path logDirectory() {
        return log.dir();
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
     * Waits until every source has ended and the follower has read every line they wrote.
     *
     * @param limit how long to wait at most
     * @return the number of log lines written (and followed)
     * @throws IllegalStateException if the simulation failed
     */
    public long awaitSimulation(Duration limit) {
        Written done = simulation
                .asFlow()
                .filter(Written::finished)
                .timeout(limit)
                .first()
                .orElseThrow();
        if (done.failure() != null) {
            throw new IllegalStateException("the simulation failed: " + done.failure(), done.failure());
        }
        stats.asFlow().filter(s -> s.events() >= done.lines()).timeout(limit).first();
        return done.lines();
    }

    /**
     * Stops the simulation and the statistics (the scope, waiting for them), ends every event
     * stream, stops both servers and the HTTP client, deletes the log, drops the database.
     * Idempotent.
     */
    @Override
    public void close() throws Exception {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try (db;
                log;
                catalogServer;
                catalogClient;
                server;
                scope) {
            scope.cancel(); // stop the simulation and the follower first, then the rest, in reverse order
        }
    }

    // region the demo ----------------------------------------------------------------------------

    /**
     * Runs the demo with {@code args} on the JVM's streams and exits with its code.
     *
     * @param args the options; {@code --help} lists them
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the demo: builds the library, runs every part at once for about ten seconds, prints
     * the summary, closes everything. Never calls {@link System#exit}.
     *
     * @param args the options
     * @param out where the dashboard prints
     * @param err where usage errors go
     * @return 0 on success (and for {@code --help}), 2 for a bad command line, 1 on failure
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine.Parsed parsed;
        try {
            parsed = CommandLine.parse(Arrays.asList(args));
        } catch (CommandLine.UsageException e) {
            err.println("error: " + e.getMessage());
            err.print(CommandLine.USAGE);
            return 2;
        }
        if (parsed.help()) {
            out.print(CommandLine.USAGE);
            return 0;
        }
        try {
            demo(parsed.options(), parsed.serve(), new LiveView(out, LiveView.isTerminal(out)));
            return 0;
        } catch (Exception e) {
            err.println("the dashboard failed: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }

    private static void demo(Options options, boolean serve, LiveView view) throws Exception {
        view.println("coflow library dashboard");
        view.println("========================");
        long t0 = System.nanoTime();
        LibraryDashboard d = start(options);
        try {
            d.demo(serve, view, t0);
        } finally {
            d.close();
        }
        view.println("Closed: simulation scope, both HTTP servers, the HTTP client, the log, the database.");
        view.println("Coroutine bodies still running: " + bodiesRunning());
    }

    @SuppressWarnings("deprecation") // the one public way for a program (not a test) to read the count
    private static int bodiesRunning() {
        return Coroutines.activeBodies();
    }

    private void demo(boolean serve, LiveView view, long t0) throws Exception {
        LibraryDb.Size size = db.size();
        view.println(String.format(
                "Database: H2 in memory, %,d books, %,d members, %,d past checkouts (%,d out, %,d overdue) on %s,"
                        + " built in %d ms",
                size.books(),
                size.members(),
                size.checkouts(),
                opening.booksOut(),
                opening.overdue(),
                opening.day(),
                millisSince(t0)));
        view.println("Web page:      " + uri() + "   (GET /stats, GET /events)");
        view.println("Catalogue API: " + catalogServer.uri() + "catalog   (latency "
                + options.latency().toMillis()
                + " ms, 503 for the first " + options.failFirst() + " request(s) of a page and "
                + options.failPercent() + "% of the others)");
        view.println("Checkout log:  " + log.file());
        view.println(String.format(
                "Simulating three sources (checkouts, returns, sessions) merged, %s events each, one every %d ms;",
                options.events() == Long.MAX_VALUE ? "endless" : String.format("%,d", options.events()),
                options.eventInterval().toMillis()));
        view.println("live view below (from the followed log; redrawn in place on a terminal):");
        // The live view ends when `showing` turns false (not by cancelling its future, which would
        // not wait for its body to finish).
        MutableAsyncStateFlow<Boolean> showing = MutableAsyncStateFlow.create(true);
        CompletableFuture<Void> live = stats.asFlow()
                .sample(Duration.ofMillis(view.ansi() ? 250 : 1_000))
                .combine(showing.asFlow(), (s, on) -> on ? Optional.of(s) : Optional.<Stats>empty())
                .takeWhile(Optional::isPresent)
                .map(Optional::get)
                .forEachAsync(view::render);
        try {
            // A short warm-up (JIT, connections), so that the timed runs below compare like with like.
            db.history().take(2_000).count();
            catalogClient.pages("warm-up", options.pageSize(), 0).take(2).count();
            Scan scan = scanHistory();
            long perRow = bytesPerRowAsList();
            view.println(String.format(
                    "History: %,d past checkouts streamed from a JDBC cursor (using, fetch size %d) into a CSV file"
                            + " in %d ms (%,.0f rows/s)",
                    scan.rows, LibraryDb.FETCH_SIZE, scan.millis, scan.rows * 1000.0 / Math.max(1, scan.millis)));
            view.println(String.format(
                    "         heap: %d MiB live before (the in-memory database included); while streaming, the live"
                            + " heap after GC peaked at %+d MiB (raw peak %+d MiB, garbage included); as a List<Loan>"
                            + " these rows would hold ~%d MiB (%d B a row, measured on %,d rows)",
                    mib(scan.heapBefore),
                    mib(scan.liveHigh - scan.heapBefore),
                    mib(scan.heapPeak - scan.heapBefore),
                    mib(perRow * scan.rows),
                    perRow,
                    Math.min(LIST_SAMPLE, scan.rows)));
            if (serve) {
                crawls(view);
                serve(view);
                return;
            }
            long lines = awaitSimulation(Duration.ofMinutes(2));
            simulationEnded = simulation.value().atNanos();
            showing.set(false);
            live.join();
            view.render(stats.value());
            view.stop();
            Crawl[] crawls = crawls(view); // after the simulation: the three runs compete with the same load
            summary(view, lines, t0, scan, crawls[0], crawls[1], crawls[2]);
        } finally {
            showing.set(false);
            try {
                live.join();
            } catch (CompletionException | CancellationException e) {
                // the view's own failure is not the demo's
            }
        }
    }

    /** The catalogue crawled on demand, behind a buffer, and with prefetch; printed and returned in that order. */
    private Crawl[] crawls(LiveView view) throws Exception {
        int bufferBooks = Math.max(1, options.prefetch()) * options.pageSize();
        Crawl onDemand = crawl(0, 0);
        Crawl buffered = crawl(0, bufferBooks);
        Crawl prefetched = crawl(options.prefetch(), 0);
        view.println(String.format(
                "Catalogue: %,d books in %d pages over HTTP (sendAsync + paginateByToken + retry(Backoff)), each"
                        + " page stored in H2: %d ms on demand, %d ms with buffer(%d), %d ms with %d pages"
                        + " prefetched",
                prefetched.books,
                prefetched.pages,
                onDemand.millis,
                buffered.millis,
                bufferBooks,
                prefetched.millis,
                options.prefetch()));
        view.println(String.format(
                "           503s retried: %d on demand, %d buffered, %d prefetching (%d requests; the server"
                        + " answered %d 503s)",
                onDemand.retries,
                buffered.retries,
                prefetched.retries,
                catalogClient.requests(),
                catalogServer.unavailable()));
        return new Crawl[] {onDemand, buffered, prefetched};
    }

    record Scan(long rows, long millis, long heapBefore, long heapPeak, long liveHigh) {}

    record Crawl(long books, long pages, long millis, long retries) {}

    /** The checkouts table through a cursor, formatted as CSV into an export file next to the log. */
    /**
     * The past checkouts through a cursor, formatted as CSV into a file next to the log, inside a
     * coroutine ({@code Coroutines.run}): the cursor's body and the writer's I/O then run on
     * {@code Dispatchers.Default}'s terms, the fast path for a generator inside {@code using}.
     */
    private Scan scanHistory() {
        List<MemoryPoolMXBean> heap = heapPools();
        System.gc(); // a clean baseline
        long before = used(heap);
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        long t0 = System.nanoTime();
        long[] liveHigh = {before};
        long n = Coroutines.run(scope -> {
            try (AsyncWriter csv = AsyncFiles.open(log.dir().resolve("history.csv"))) {
                return db.history().fold(0L, (count, loan) -> {
                    csv.write(loan.id() + "," + loan.bookId() + "," + loan.memberId() + "," + loan.checkedOut() + ","
                            + loan.due() + "," + (loan.returned() == null ? "" : loan.returned()) + "\n");
                    if (count % 1024 == 0) { // what the last GC kept: the rows held, not the garbage
                        liveHigh[0] = Math.max(liveHigh[0], liveAfterGc(heap));
                    }
                    return count + 1;
                });
            }
        });
        long millis = millisSince(t0);
        long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        return new Scan(n, millis, before, peak, Math.max(liveHigh[0], liveAfterGc(heap)));
    }

    private static final int LIST_SAMPLE = 10_000;

    /** What a row costs when rows are loaded into a list instead of streamed: measured on a sample. */
    private long bytesPerRowAsList() {
        List<MemoryPoolMXBean> heap = heapPools();
        System.gc();
        long before = used(heap);
        List<LibraryDb.Loan> sample = db.history().take(LIST_SAMPLE).toList();
        System.gc();
        long held = used(heap) - before;
        int n = sample.size(); // keeps the list reachable until here
        return n == 0 ? 0 : Math.max(0, held / n);
    }

    private static List<MemoryPoolMXBean> heapPools() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP)
                .toList();
    }

    private static long used(List<MemoryPoolMXBean> heap) {
        return heap.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
    }

    private static long liveAfterGc(List<MemoryPoolMXBean> heap) {
        return heap.stream()
                .mapToLong(p -> p.getCollectionUsage() == null
                        ? 0
                        : p.getCollectionUsage().getUsed())
                .sum();
    }

    /** Every book through the catalogue API, each page stored in the database (the consumer's work). */
    private Crawl crawl(int prefetch, int bufferBooks) throws Exception {
        db.clearCopy();
        long retriesBefore = catalogClient.retries();
        long t0 = System.nanoTime();
        AtomicLong pages = new AtomicLong();
        long books = catalogClient
                .pages("crawl-" + prefetch + "-" + bufferBooks, options.pageSize(), prefetch, bufferBooks)
                .fold(0L, (n, page) -> {
                    db.storeCopy(page); // the consumer's work, while the next page is on its way (or not)
                    pages.incrementAndGet();
                    return n + page.size();
                });
        return new Crawl(books, pages.get(), millisSince(t0), catalogClient.retries() - retriesBefore);
    }

    private void summary(
            LiveView view, long lines, long t0, Scan scan, Crawl onDemand, Crawl buffered, Crawl prefetched)
            throws Exception {
        Stats s = stats.value();
        // The article's three sources, queried concurrently (asyncio.gather).
        List<Integer> today = Coroutines.gather(
                () -> db.countOn(OPENING, false), () -> db.countOn(OPENING, true), db::activeSessions);
        // Log analysis with JDK collectors over a lazily read file: checkouts per member, late returns.
        Map<String, Long> perMember = log.read()
                .filter(e -> e.kind() == LibraryEvent.Kind.CHECKOUT)
                .collect(Collectors.groupingBy(LibraryEvent::member, Collectors.counting()));
        List<LibraryEvent> late = log.read()
                .filter(e -> e.daysLate() > 0)
                .collect(Collectors.collectingAndThen(
                        Collectors.toList(),
                        list -> list.stream()
                                .sorted(Comparator.comparingInt(LibraryEvent::daysLate)
                                        .reversed())
                                .limit(3)
                                .toList()));
        long lateReturns = log.read().filter(e -> e.daysLate() > 0).count();
        // The most overdue books still out: a cursor, closed early by take.
        List<OverdueBook> overdue = db.overdueLoans(OPENING).take(5).toList();
        double seconds = millisSince(t0) / 1000.0;
        double simulated = (simulationEnded - simulationStarted) / 1e9;

        view.println("");
        view.println("Summary (" + s.day() + ", simulated "
                + s.checkoutsPerMinute().stream()
                        .findFirst()
                        .map(m -> "until " + s.checkoutsPerMinute().getLast().minute())
                        .orElse("-")
                + ")");
        view.println(String.format(
                "  today          %d checkouts, %d returns, %d active sessions (Coroutines.gather of three queries)",
                today.get(0), today.get(1), today.get(2)));
        view.println(String.format("  events         %,d log lines followed of %,d written", s.events(), lines));
        view.println(
                String.format("  books out      %,d of %,d, %,d overdue", s.booksOut(), s.booksTotal(), s.overdue()));
        view.println("  top borrowers  (all time, from the database)");
        for (int i = 0; i < s.topBorrowers().size(); i++) {
            Borrower b = s.topBorrowers().get(i);
            view.println(String.format("    %d. %-18s %d checkouts", i + 1, b.name(), b.checkouts()));
        }
        view.println("  today's top borrowers (groupingBy over the log)");
        perMember.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(3)
                .forEach(e -> view.println(String.format("    %-18s %d", e.getKey(), e.getValue())));
        view.println(String.format("  late returns   %d today; the latest back:", lateReturns));
        late.forEach(
                e -> view.println(String.format("    %-34s %-18s %d days late", e.title(), e.member(), e.daysLate())));
        view.println("  most overdue, still out");
        if (overdue.isEmpty()) {
            view.println("    (none)");
        }
        overdue.forEach(b ->
                view.println(String.format("    %-34s %-18s %d days overdue", b.title(), b.member(), b.daysOverdue())));
        view.println(String.format(
                "  throughput     %,.0f history rows/s (cursor scan), %,.0f books/s (prefetching crawl),"
                        + " %,.0f log events/s while simulating",
                scan.rows * 1000.0 / Math.max(1, scan.millis),
                prefetched.books * 1000.0 / Math.max(1, prefetched.millis),
                lines / simulated));
        view.println(String.format(
                "  time saved     buffer: %d ms (%d -> %d), prefetch: %d ms (%d -> %d), against fetching on demand",
                onDemand.millis - buffered.millis,
                onDemand.millis,
                buffered.millis,
                onDemand.millis - prefetched.millis,
                onDemand.millis,
                prefetched.millis));
        long timed = onDemand.retries + buffered.retries + prefetched.retries;
        view.println(String.format(
                "  retries        %d (HTTP 503s answered by retry(Backoff): %d + %d + %d in the timed crawls, %d in"
                        + " the warm-up)",
                catalogClient.retries(),
                onDemand.retries,
                buffered.retries,
                prefetched.retries,
                catalogClient.retries() - timed));
        view.println(String.format("  run time       %.1f s", seconds));
    }

    private void serve(LiveView view) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                close();
            } catch (Exception e) {
                e.printStackTrace();
            }
            stopped.countDown();
        }));
        view.println("Try: curl " + uri() + "stats   or   curl -N " + uri() + "events");
        view.println("Serving until Ctrl-C.");
        stopped.await();
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static long mib(long bytes) {
        return bytes / (1024 * 1024);
    }

    // endregion
}
