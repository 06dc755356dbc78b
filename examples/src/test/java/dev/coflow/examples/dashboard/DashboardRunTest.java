package dev.coflow.examples.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coflow.test.CoflowExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The whole demo in-process on a small library: its summary states exact counts that follow
 * from the command line, and afterwards nothing of it is left (threads, bodies, ports, files).
 */
class DashboardRunTest {
    /** 310 books in pages of 50: six full pages and one of ten, so 7 requests per crawl. */
    private static final String[] SMALL = {
        "--books", "310", "--members", "40", "--checkouts", "600", "--events", "40", "--interval", "2",
        "--latency", "1", "--fail-first", "2", "--fail-rate", "0", "--page-size", "50", "--prefetch", "2"
    };

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = LibraryDashboard.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void runsEndToEndAndReportsExactCountsThenLeavesNothingBehind() throws Exception {
        Set<Thread> before = nonDaemonThreads();
        Result r = run(SMALL);
        System.out.print(r.out()); // for people reading the test report
        assertEquals(0, r.code(), r.err() + r.out());
        assertEquals("", r.err());
        String out = r.out();

        assertTrue(out.contains("Database: H2 in memory, 310 books, 40 members, 600 past checkouts"), out);
        // three sources of 40 events each: every line the simulation wrote was followed
        assertTrue(out.contains("events         120 log lines followed of 120 written"), out);
        assertTrue(out.contains("today          40 checkouts, 40 returns, "), out);
        // the cursor streamed the 600 past loans (not today's, which the simulation is still adding)
        assertTrue(out.contains("History: 600 past checkouts streamed from a JDBC cursor"), out);
        // every page failed twice before it was served: 7 pages x 2 in each of the three timed crawls, 2 x 2 in the
        // warm-up
        assertTrue(out.contains("Catalogue: 310 books in 7 pages over HTTP"), out);
        assertTrue(
                out.contains(
                        "503s retried: 14 on demand, 14 buffered, 14 prefetching (69 requests; the server answered 46 503s)"),
                out);
        assertTrue(
                out.contains(
                        "retries        46 (HTTP 503s answered by retry(Backoff): 14 + 14 + 14 in the timed crawls, 4 in the warm-up)"),
                out);
        assertTrue(
                out.lines().anyMatch(l -> l.startsWith("  time saved     buffer: ") && l.contains("prefetch: ")), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("  live  2025-03-03 | out ")), out);
        assertFalse(out.contains("\033["), "no ANSI escapes when the output is not a terminal");
        assertTrue(out.endsWith("Coroutine bodies still running: 0" + System.lineSeparator()), out);

        // nothing is left running or open
        CoflowExtension.assertNoBodiesRunning(Duration.ZERO);
        for (int port : List.of(
                port(out, "Web page:      http://127.0.0.1:(\\d+)/"),
                port(out, "Catalogue API: http://127.0.0.1:(\\d+)/"))) {
            assertThrows(
                    IOException.class,
                    () -> new Socket(InetAddress.getLoopbackAddress(), port).close(),
                    "port " + port + " is still open");
        }
        Path log = Path.of(group(out, "Checkout log:  (\\S+)"));
        assertFalse(Files.exists(log.getParent()), "the log's directory was deleted: " + log.getParent());
        assertEquals(List.of(), openFilesUnder(log.getParent()), "file handles still open");
        Set<Thread> left = nonDaemonThreads();
        left.removeAll(before);
        assertEquals(Set.of(), left, "non-daemon threads left running");
    }

    @Test
    void helpListsTheOptionsAndExitsZero() {
        Result r = run("--help");
        assertEquals(0, r.code());
        assertEquals("", r.err());
        for (String option :
                List.of("--books", "--scale", "--events", "--fail-first", "--prefetch", "--serve", "--help")) {
            assertTrue(r.out().contains(option), option + " missing from\n" + r.out());
        }
    }

    @Test
    void aBadOptionPrintsTheUsageToStderrAndExitsTwo() {
        Result unknown = run("--bogus");
        assertEquals(2, unknown.code());
        assertEquals("", unknown.out());
        assertTrue(unknown.err().startsWith("error: unknown option '--bogus'; see --help"), unknown.err());
        assertTrue(unknown.err().contains("usage: LibraryDashboard [options]"), unknown.err());

        Result notANumber = run("--books", "many");
        assertEquals(2, notANumber.code());
        assertTrue(
                notANumber.err().startsWith("error: option --books takes a whole number, was 'many'"),
                notANumber.err());

        Result missing = run("--events");
        assertEquals(2, missing.code());
        assertTrue(missing.err().startsWith("error: option --events needs a value"), missing.err());

        Result outOfRange = run("--fail-rate", "80");
        assertEquals(2, outOfRange.code());
        assertTrue(
                outOfRange.err().startsWith("error: option --fail-rate must be between 0 and 50, was 80"),
                outOfRange.err());
    }

    private static int port(String out, String regex) {
        return Integer.parseInt(group(out, regex));
    }

    private static String group(String out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        assertTrue(m.find(), regex + " not in\n" + out);
        return m.group(1);
    }

    private static Set<Thread> nonDaemonThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !t.isDaemon() && t.isAlive())
                .collect(Collectors.toSet());
    }

    /** The targets of this process's open file descriptors under {@code dir} (Linux; empty elsewhere). */
    private static List<Path> openFilesUnder(Path dir) throws IOException {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return List.of();
        }
        try (Stream<Path> links = Files.list(fds)) {
            return links.flatMap(link -> {
                        try {
                            return Stream.of(Files.readSymbolicLink(link));
                        } catch (IOException | UnsupportedOperationException gone) {
                            return Stream.empty(); // closed while we looked
                        }
                    })
                    .filter(target -> target.startsWith(dir))
                    .toList();
        }
    }
}
