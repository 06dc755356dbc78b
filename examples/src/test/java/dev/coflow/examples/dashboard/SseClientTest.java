package dev.coflow.examples.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coflow.AsyncFlowTimeoutException;
import dev.coflow.test.CoflowExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /events} from the client's side: real HTTP clients read server-sent events and parse
 * each as a {@link Stats} snapshot; a client that hangs up cancels its own collection on the
 * server, which the connection count ({@link LibraryDashboard#eventClients()}) shows.
 */
class SseClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static LibraryDashboard startDashboard() throws Exception {
        return DashboardBrowserTest.startDashboard();
    }

    @Test
    void readsEventsAsStatsSnapshotsAndHangingUpCancelsTheFlow() throws Exception {
        try (LibraryDashboard dashboard = startDashboard();
                HttpClient client = HttpClient.newHttpClient()) {
            assertEquals(0, dashboard.eventClients().value());
            HttpResponse<Stream<String>> response = client.send(
                    HttpRequest.newBuilder(dashboard.uri().resolve("events")).build(),
                    HttpResponse.BodyHandlers.ofLines());
            assertEquals(200, response.statusCode());
            assertEquals(
                    "text/event-stream",
                    response.headers().firstValue("content-type").orElseThrow());
            assertEquals(
                    "no-cache", response.headers().firstValue("cache-control").orElseThrow());

            List<Stats> read = new ArrayList<>();
            try (Stream<String> lines = response.body()) {
                Iterator<String> it = lines.iterator();
                while (read.size() < 8) {
                    String data = it.next();
                    assertTrue(data.startsWith("data: "), "an event is one data line: " + data);
                    assertEquals("", it.next(), "and a blank line ends it");
                    read.add(parse(data.substring("data: ".length())));
                }
                assertEquals(1, awaitClients(dashboard, 1), "connected: one collection of the stats flow");
                Stats latest = dashboard.stats().value();
                for (int i = 1; i < read.size(); i++) {
                    assertTrue(read.get(i).events() > read.get(i - 1).events(), "each event a newer snapshot: " + read);
                }
                assertTrue(read.getLast().events() <= latest.events(), read.getLast() + " vs " + latest);
                assertEquals(latest.booksTotal(), read.getLast().booksTotal());
            }
            // closing the body hangs up; the server's next write fails and cancels that collection
            assertEquals(0, awaitClients(dashboard, 0), "the hang-up cancelled the client's flow");
        }
        CoflowExtension.assertNoBodiesRunning(Duration.ZERO);
    }

    @Test
    void eachClientHasItsOwnFlowAndTheCountFollowsHangUps() throws Exception {
        try (LibraryDashboard dashboard = startDashboard();
                HttpClient client = HttpClient.newHttpClient()) {
            try (RawSseClient raw = RawSseClient.connect(dashboard)) {
                JsonNode firstRaw = raw.next();
                assertEquals(1, awaitClients(dashboard, 1));
                HttpResponse<Stream<String>> other = client.send(
                        HttpRequest.newBuilder(dashboard.uri().resolve("events"))
                                .build(),
                        HttpResponse.BodyHandlers.ofLines());
                try (Stream<String> lines = other.body()) {
                    String line = lines.iterator().next();
                    Stats firstOther = parse(line.substring("data: ".length()));
                    assertEquals(2, awaitClients(dashboard, 2), "two clients, two collections");
                    // the later client starts from the state at its connection, not from the first one's start
                    assertTrue(firstOther.events() >= firstRaw.get("events").asLong());
                    raw.close();
                    assertEquals(1, awaitClients(dashboard, 1), "the raw client's hang-up ended its flow only");
                }
                assertEquals(0, awaitClients(dashboard, 0));
            }
        }
    }

    @Test
    void aBoundedStreamEndsByItselfAndReleasesItsClient() throws Exception {
        try (LibraryDashboard dashboard = startDashboard();
                HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<Stream<String>> response = client.send(
                    HttpRequest.newBuilder(dashboard.uri().resolve("events?limit=4"))
                            .build(),
                    HttpResponse.BodyHandlers.ofLines());
            List<Stats> read;
            try (Stream<String> lines = response.body()) {
                read = lines.filter(l -> l.startsWith("data: "))
                        .map(l -> parse(l.substring("data: ".length())))
                        .toList();
            }
            assertEquals(4, read.size(), "limit=4 sends four events, then ends the response");
            assertEquals(0, awaitClients(dashboard, 0));
        }
    }

    private static Stats parse(String json) {
        try {
            return JSON.readValue(json, Stats.class);
        } catch (IOException e) {
            throw new AssertionError("not a Stats snapshot: " + json, e);
        }
    }

    /** Waits (on the state flow, no polling) until {@code n} clients are connected. */
    static int awaitClients(LibraryDashboard dashboard, int n) {
        try {
            return dashboard
                    .eventClients()
                    .asFlow()
                    .filter(c -> c == n)
                    .timeout(WAIT)
                    .first()
                    .orElseThrow();
        } catch (AsyncFlowTimeoutException e) {
            throw new AssertionError(
                    "expected " + n + " /events clients within " + WAIT + ", still "
                            + dashboard.eventClients().value(),
                    e);
        }
    }

    /**
     * An SSE client on a plain socket: HTTP/1.1 by hand, the chunked body decoded here, so that
     * closing it is nothing but closing the connection.
     */
    static final class RawSseClient implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final StringBuilder pending = new StringBuilder();

        private RawSseClient(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
        }

        static RawSseClient connect(LibraryDashboard dashboard) throws IOException {
            Socket s = new Socket(InetAddress.getLoopbackAddress(), dashboard.port());
            try {
                s.setSoTimeout((int) WAIT.toMillis());
                OutputStream out = s.getOutputStream();
                out.write("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                RawSseClient c = new RawSseClient(s);
                String status = c.line();
                assertEquals("HTTP/1.1 200 OK", status);
                boolean chunked = false;
                for (String h; !(h = c.line()).isEmpty(); ) {
                    chunked |= h.equalsIgnoreCase("Transfer-encoding: chunked");
                }
                assertTrue(chunked, "an endless response is chunked");
                return c;
            } catch (IOException | RuntimeException | Error e) {
                s.close();
                throw e;
            }
        }

        /** The next event's data, parsed. */
        JsonNode next() throws IOException {
            int end;
            while ((end = pending.indexOf("\n\n")) < 0) {
                int size = Integer.parseInt(line().trim(), 16);
                assertTrue(size > 0, "the stream ended");
                pending.append(new String(in.readNBytes(size), StandardCharsets.UTF_8));
                assertEquals("", line(), "a chunk ends with CRLF");
            }
            String event = pending.substring(0, end);
            pending.delete(0, end + 2);
            assertTrue(event.startsWith("data: "), event);
            return JSON.readTree(event.substring("data: ".length()));
        }

        private String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int c; (c = in.read()) != '\n'; ) {
                if (c < 0) {
                    throw new IOException("connection closed mid-line");
                }
                if (c != '\r') {
                    b.write(c);
                }
            }
            return b.toString(StandardCharsets.US_ASCII);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
