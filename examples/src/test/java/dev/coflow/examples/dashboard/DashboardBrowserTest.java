package dev.coflow.examples.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's web page, in a real headless Chromium: the page loads from the running
 * dashboard, its numbers follow the server-sent events, and closing its {@code EventSource}
 * cancels that client's collection on the server. Screenshots go to {@code target/}. Skipped,
 * saying why, where no Chromium binary is installed.
 */
class DashboardBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);
    /**
     * How far (in events) the page may trail the server: it sees each snapshot a moment later
     * (milliseconds here; 150 events, 3 s at one event per 20 ms, leave room for a loaded machine).
     */
    private static final long LAG = 150;

    /**
     * The one place the page's and the SSE tests start the dashboard: fast events (so a test sees
     * many in a second), a fixed story.
     */
    static LibraryDashboard startDashboard() throws Exception {
        return LibraryDashboard.start(new LibraryDashboard.Options(Duration.ofMillis(20), 16));
    }

    static Path target() {
        return Path.of(System.getProperty("basedir", ".")).resolve("target");
    }

    private static Chromium chromium;
    private static Path binary;

    @BeforeAll
    static void launch() throws Exception {
        binary = Chromium.find().orElse(null);
        if (binary != null) {
            long t0 = System.nanoTime();
            chromium = Chromium.launch(binary, 1200, 860);
            System.out.printf(
                    "DashboardBrowserTest uses %s (%s), started in %d ms%n",
                    chromium.version(), binary, (System.nanoTime() - t0) / 1_000_000);
        }
    }

    @AfterAll
    static void quit() {
        if (chromium != null) {
            List<ProcessHandle> processes = chromium.processes();
            Path profile = chromium.profile();
            long t0 = System.nanoTime();
            chromium.close();
            System.out.printf(
                    "DashboardBrowserTest: Chromium and its %d child processes ended in %d ms%n",
                    processes.size() - 1, (System.nanoTime() - t0) / 1_000_000);
            assertEquals(
                    List.of(),
                    processes.stream().filter(ProcessHandle::isAlive).toList(),
                    "browser processes still alive");
            assertFalse(Files.exists(profile), "the browser profile " + profile + " is still there");
        }
    }

    /** The browser, or the test is skipped saying which binary is missing. */
    private static Chromium browser() {
        assumeTrue(chromium != null, Chromium.missing());
        return chromium;
    }

    @Test
    void numbersOnThePageFollowTheServerSentEvents() throws Exception {
        try (LibraryDashboard dashboard = startDashboard();
                Chromium.Page page = browser().openPage()) {
            page.navigate(dashboard.uri());
            assertEquals(
                    "coflow library dashboard", page.evaluate("document.title").asText());
            page.await(
                    "document.getElementById('connection').textContent === 'connected'"
                            + " && window.dashboard.updates > 0",
                    WAIT);
            assertEquals(1, awaitClients(dashboard, 1), "the page is one /events client");

            long first = pageEventsCloseToServer(dashboard, page);
            // wait, in the page, for the counter to move on
            long second = page.await(
                            "Number(document.getElementById('events').textContent) > " + first
                                    + " && Number(document.getElementById('events').textContent)",
                            WAIT)
                    .asLong();
            assertTrue(second > first, second + " > " + first);
            long third = pageEventsCloseToServer(dashboard, page);
            assertTrue(third >= second, third + " >= " + second);
            assertTrue(page.evaluate("window.dashboard.updates").asInt() >= 2, "updates received");

            Stats now = dashboard.stats().value();
            assertEquals(String.valueOf(now.booksTotal()), text(page, "booksTotal"), "books total on the page");
            assertTrue(text(page, "day").matches("\\d{4}-\\d{2}-\\d{2}"), text(page, "day"));
            assertFalse(text(page, "lastEvent").isBlank());
            assertTrue(
                    page.evaluate("document.querySelectorAll('#topBorrowers li').length")
                                    .asInt()
                            > 0,
                    "top borrowers listed");
            chartAndOverdueAsReceived(page);

            Path png = target().resolve("dashboard-browser.png");
            Files.write(png, page.screenshot());
            assertPng(png);
        }
    }

    @Test
    void closingTheEventSourceCancelsThatClientsFlow() throws Exception {
        try (LibraryDashboard dashboard = startDashboard();
                Chromium.Page page = browser().openPage()) {
            page.navigate(dashboard.uri());
            page.await("window.dashboard.updates > 0", WAIT);
            assertEquals(1, awaitClients(dashboard, 1));
            page.evaluate("window.dashboard.stop()");
            assertEquals(0, awaitClients(dashboard, 0), "the hang-up cancelled the page's collection");
            assertEquals("disconnected", text(page, "connection"));
        }
    }

    @Test
    void theIndicatorShowsWhenTheServerEndsTheStream() throws Exception {
        LibraryDashboard dashboard = startDashboard();
        try (Chromium.Page page = browser().openPage()) {
            page.navigate(dashboard.uri());
            page.await("window.dashboard.updates > 0", WAIT);
            assertEquals(
                    "connection on",
                    page.evaluate("document.getElementById('connection').className")
                            .asText());
            dashboard.close(); // ends every /events stream, then the server
            assertEquals(
                    "reconnecting",
                    page.await(
                                    "document.getElementById('connection').className === 'connection off'"
                                            + " && document.getElementById('connection').textContent",
                                    WAIT)
                            .asText(),
                    "EventSource retries a dropped stream, and the page says so");
        } finally {
            dashboard.close();
        }
    }

    @Test
    void drawsTheChartAndOverdueListOfASnapshotThatHasThem() throws Exception {
        try (LibraryDashboard dashboard = startDashboard();
                Chromium.Page page = browser().openPage()) {
            page.navigate(dashboard.uri());
            page.await("window.dashboard.updates > 0", WAIT);
            page.evaluate("window.dashboard.stop()"); // no live update overwrites the sample below

            ObjectNode sample = (ObjectNode) JSON.valueToTree(dashboard.stats().value());
            ArrayNode perMinute = sample.putArray("checkoutsPerMinute");
            for (int i = 0; i < 30; i++) {
                perMinute.addObject().put("minute", String.format("10:%02d", i)).put("count", 3 + (i * 7) % 11);
            }
            ArrayNode overdue = sample.putArray("overdueBooks");
            overdue.addObject().put("title", "<b>Dune</b>").put("member", "Ada").put("daysOverdue", 12);
            overdue.addObject().put("title", "Emma").put("member", "Grace").put("daysOverdue", 3);
            page.evaluate("window.dashboard.render(" + JSON.writeValueAsString(sample) + ")");

            assertEquals(
                    30,
                    page.evaluate("document.querySelectorAll('#chart rect').length")
                            .asInt());
            assertEquals(
                    List.of(3, 10, 6),
                    Arrays.stream(page.evaluate("[...document.querySelectorAll('#chart rect title')].slice(0, 3)"
                                            + ".map(t => Number(t.textContent.split(': ')[1])).join()")
                                    .asText()
                                    .split(","))
                            .map(Integer::valueOf)
                            .toList(),
                    "bars carry their minute's count");
            assertEquals("30 minutes, " + sumOfCounts(perMinute) + " checkouts, oldest first", text(page, "chartNote"));
            assertEquals(
                    "<b>Dune</b>|Ada|12;Emma|Grace|3",
                    page.evaluate("[...document.querySelectorAll('#overdueBooks tr')]"
                                    + ".map(r => [...r.cells].map(c => c.textContent).join('|')).join(';')")
                            .asText());
            assertTrue(
                    page.evaluate("document.querySelector('#overdueBooks b') === null")
                            .asBoolean(),
                    "data is shown as text, never parsed as HTML");

            Path png = target().resolve("dashboard-browser-sample.png");
            Files.write(png, page.screenshot());
            assertPng(png);
        }
    }

    // the page's file server, over plain HTTP (no browser needed)

    @Test
    void servesThePageItsScriptAndStyleWithTheirTypes() throws Exception {
        try (LibraryDashboard dashboard = startDashboard();
                HttpClient client = HttpClient.newHttpClient()) {
            for (String[] file : new String[][] {
                {"", "text/html; charset=utf-8", "<script src=\"/app.js\"></script>"},
                {"index.html", "text/html; charset=utf-8", "<link rel=\"stylesheet\" href=\"/style.css\">"},
                {"app.js", "text/javascript; charset=utf-8", "new EventSource(\"/events\")"},
                {"style.css", "text/css; charset=utf-8", ".chart rect"}
            }) {
                HttpResponse<String> r = client.send(
                        HttpRequest.newBuilder(dashboard.uri().resolve(file[0])).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), file[0]);
                assertEquals(file[1], r.headers().firstValue("content-type").orElseThrow(), file[0]);
                assertTrue(r.body().contains(file[2]), file[0] + " contains " + file[2]);
                // everything comes from the example itself: no CDN, no web font, no remote import
                for (String remote : List.of("src=\"http", "href=\"http", "url(", "@import", "//cdn", "fonts.")) {
                    assertFalse(r.body().contains(remote), file[0] + " refers outside: " + remote);
                }
            }
            // the JSON endpoints are still theirs
            HttpResponse<String> stats = client.send(
                    HttpRequest.newBuilder(dashboard.uri().resolve("stats")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(
                    "application/json",
                    stats.headers().firstValue("content-type").orElseThrow());
        }
    }

    @Test
    void onlyThePageFilesAreServedAndOnlyToGet() throws Exception {
        try (LibraryDashboard dashboard = startDashboard()) {
            for (String path : List.of(
                    "/nope",
                    "/web/index.html",
                    "/index.html/",
                    "/app.js%00",
                    "/../StatsServer.class",
                    "/%2e%2e/StatsServer.class",
                    "/..%2fStatsServer.class",
                    "/./app.js",
                    "//app.js")) {
                assertEquals(404, status(dashboard, "GET", path), path);
            }
            assertEquals(200, status(dashboard, "GET", "/?from=bookmark"));
            assertEquals(200, status(dashboard, "GET", dashboard.uri().toString()), "absolute form");
            assertEquals(405, status(dashboard, "POST", "/"));
            assertEquals(405, status(dashboard, "DELETE", "/app.js"));
        }
    }

    /** The status of a raw HTTP/1.1 request: the path goes out exactly as written. */
    private static int status(LibraryDashboard dashboard, String method, String path) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), dashboard.port())) {
            s.setSoTimeout((int) WAIT.toMillis());
            OutputStream out = s.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n"
                            + "Connection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String line =
                    new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            assertTrue(line != null && line.startsWith("HTTP/1.1 "), method + " " + path + " -> " + line);
            return Integer.parseInt(line.split(" ")[1]);
        }
    }

    /**
     * Reads, in one step of the page (no event can arrive in between), the headline numbers it
     * shows and the snapshot it received last: they must be the same, and that snapshot's events
     * must lie between the server's, read just before, less {@link #LAG}, and the server's read
     * just after.
     *
     * @return the events shown
     */
    private static long pageEventsCloseToServer(LibraryDashboard dashboard, Chromium.Page page) throws Exception {
        long before = dashboard.stats().value().events();
        JsonNode read = page.evaluate("({shown: Object.fromEntries("
                + "['day', 'booksOut', 'booksTotal', 'overdue', 'events', 'lastEvent']"
                + ".map(id => [id, document.getElementById(id).textContent])),"
                + " received: window.dashboard.last})");
        long after = dashboard.stats().value().events();
        JsonNode shown = read.get("shown");
        JsonNode received = read.get("received");
        shown.fieldNames()
                .forEachRemaining(field -> assertEquals(
                        received.get(field).asText(), shown.get(field).asText(), field + " shown as received"));
        long events = Long.parseLong(shown.get("events").asText());
        System.out.printf(
                "DashboardBrowserTest: the page shows %d events; the server had %d before, %d after%n",
                events, before, after);
        assertTrue(
                events <= after && events >= before - LAG,
                "page shows " + events + " events; the server had " + before + " before and " + after + " after");
        return events;
    }

    /**
     * Whatever the snapshot holds (today's, without the per-minute and overdue fields, or with
     * them), the page draws exactly that: read in one step of the page, like the numbers.
     */
    private static void chartAndOverdueAsReceived(Chromium.Page page) throws Exception {
        JsonNode read = page.evaluate("({bars: document.querySelectorAll('#chart rect').length,"
                + " note: document.getElementById('chartNote').textContent,"
                + " rows: [...document.querySelectorAll('#overdueBooks tr')].map(r => r.textContent),"
                + " received: window.dashboard.last})");
        JsonNode perMinute = read.at("/received/checkoutsPerMinute");
        JsonNode overdue = read.at("/received/overdueBooks");
        if (perMinute.isArray() && !perMinute.isEmpty()) {
            assertEquals(perMinute.size(), read.get("bars").asInt(), "a bar per minute");
        } else {
            assertEquals(0, read.get("bars").asInt(), "no per-minute data, no bars");
            assertEquals("no data yet", read.get("note").asText());
        }
        JsonNode rows = read.get("rows");
        if (overdue.isArray() && !overdue.isEmpty()) {
            assertEquals(overdue.size(), rows.size(), "a row per overdue book");
            for (int i = 0; i < overdue.size(); i++) {
                JsonNode b = overdue.get(i);
                assertEquals(
                        b.get("title").asText()
                                + b.get("member").asText()
                                + b.get("daysOverdue").asText(),
                        rows.get(i).asText());
            }
        } else {
            assertEquals("[\"-\"]", rows.toString(), "no overdue data: one row, '-'");
        }
    }

    private static String text(Chromium.Page page, String id) throws Exception {
        return page.evaluate("document.getElementById('" + id + "').textContent")
                .asText();
    }

    private static int awaitClients(LibraryDashboard dashboard, int n) {
        return dashboard
                .eventClients()
                .asFlow()
                .filter(c -> c == n)
                .timeout(WAIT)
                .first()
                .orElseThrow();
    }

    private static int sumOfCounts(ArrayNode perMinute) {
        int sum = 0;
        for (JsonNode m : perMinute) {
            sum += m.get("count").asInt();
        }
        return sum;
    }

    private static void assertPng(Path png) throws Exception {
        byte[] bytes = Files.readAllBytes(png);
        assertTrue(bytes.length > 10_000, png + " is only " + bytes.length + " bytes");
        assertEquals(
                List.of(0x89, (int) 'P', (int) 'N', (int) 'G'),
                List.of(bytes[0] & 0xff, (int) bytes[1], (int) bytes[2], (int) bytes[3]),
                png + " is a PNG");
    }
}
