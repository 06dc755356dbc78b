package dev.coflow.examples.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coflow.test.CoflowExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The dashboard end to end on loopback: real database, real HTTP, everything closed afterwards. */
class LibraryDashboardTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> KEYS = Set.of(
            "day",
            "booksTotal",
            "booksOut",
            "overdue",
            "topBorrowers",
            "events",
            "eventsPerSecond",
            "lastEvent",
            "checkoutsPerMinute",
            "overdueBooks");

    @Test
    void servesStatsAndStreamsSnapshotsThenClosesEverything() throws Exception {
        int port;
        try (LibraryDashboard dashboard =
                        LibraryDashboard.start(new LibraryDashboard.Options(Duration.ofMillis(5), 7));
                HttpClient client = HttpClient.newHttpClient()) {
            port = dashboard.port();
            assertEquals("127.0.0.1", dashboard.uri().getHost());

            // the simulation is running: wait (on the state flow itself) for a few events
            Stats busy = dashboard
                    .stats()
                    .asFlow()
                    .filter(s -> s.events() >= 3)
                    .timeout(Duration.ofSeconds(5))
                    .first()
                    .orElseThrow();
            assertEquals(1_000, busy.booksTotal());

            HttpResponse<String> stats = client.send(
                    HttpRequest.newBuilder(dashboard.uri().resolve("stats")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, stats.statusCode());
            assertEquals(
                    "application/json",
                    stats.headers().firstValue("content-type").orElseThrow());
            JsonNode json = JSON.readTree(stats.body());
            Set<String> keys = new TreeSet<>();
            json.fieldNames().forEachRemaining(keys::add);
            assertEquals(new TreeSet<>(KEYS), keys);
            assertEquals(1_000, json.get("booksTotal").asInt());
            // the web page's fields: bars of checkouts per minute, the overdue list
            JsonNode minute = json.get("checkoutsPerMinute").get(0);
            assertEquals(Set.of("minute", "count"), names(minute), stats.body());
            assertTrue(minute.get("minute").asText().matches("\\d\\d:\\d\\d"), stats.body());
            JsonNode late = json.get("overdueBooks");
            assertTrue(late.isArray() && late.size() > 0 && late.size() <= LibraryDb.OVERDUE_SHOWN, stats.body());
            assertEquals(Set.of("title", "member", "daysOverdue"), names(late.get(0)), stats.body());
            for (int i = 1; i < late.size(); i++) {
                assertTrue(
                        late.get(i - 1).get("daysOverdue").asInt()
                                >= late.get(i).get("daysOverdue").asInt(),
                        "most overdue first: " + late);
            }
            assertTrue(json.get("events").asLong() >= 3, stats.body());
            assertTrue(
                    json.get("topBorrowers").isArray()
                            && json.get("topBorrowers").size() > 0,
                    stats.body());

            // an endless /events stream: read two snapshots, then hang up
            HttpResponse<Stream<String>> events = client.send(
                    HttpRequest.newBuilder(dashboard.uri().resolve("events")).build(),
                    HttpResponse.BodyHandlers.ofLines());
            assertEquals(200, events.statusCode());
            assertEquals(
                    "text/event-stream",
                    events.headers().firstValue("content-type").orElseThrow());
            List<JsonNode> snapshots = new ArrayList<>();
            try (Stream<String> lines = events.body()) {
                Iterator<String> it = lines.iterator();
                while (snapshots.size() < 2 && it.hasNext()) {
                    String line = it.next();
                    if (line.startsWith("data: ")) {
                        snapshots.add(JSON.readTree(line.substring("data: ".length())));
                    }
                }
            }
            assertEquals(2, snapshots.size());
            assertTrue(
                    snapshots.get(1).get("events").asLong()
                            > snapshots.get(0).get("events").asLong(),
                    "each event is a new snapshot: " + snapshots);
            // the server notices the hang-up at its next write and cancels that client's flow
            assertEquals(
                    0,
                    dashboard
                            .eventClients()
                            .asFlow()
                            .filter(n -> n == 0)
                            .timeout(Duration.ofSeconds(5))
                            .first()
                            .orElseThrow());

            // a bounded stream ends by itself
            HttpResponse<Stream<String>> three = client.send(
                    HttpRequest.newBuilder(dashboard.uri().resolve("events?limit=3"))
                            .build(),
                    HttpResponse.BodyHandlers.ofLines());
            try (Stream<String> lines = three.body()) {
                assertEquals(3, lines.filter(l -> l.startsWith("data: ")).count());
            }
        }
        CoflowExtension.assertNoBodiesRunning(Duration.ZERO); // the simulation's generator body has ended
        assertThrows(
                IOException.class,
                () -> new Socket(InetAddress.getLoopbackAddress(), port).close(),
                "the server port is still open");
    }

    @Test
    void closingTheDashboardEndsOpenEventStreams() throws Exception {
        LibraryDashboard dashboard = LibraryDashboard.start(new LibraryDashboard.Options(Duration.ofMillis(5), 1));
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<Stream<String>> events = client.send(
                    HttpRequest.newBuilder(dashboard.uri().resolve("events")).build(),
                    HttpResponse.BodyHandlers.ofLines());
            try (Stream<String> lines = events.body()) {
                Iterator<String> it = lines.iterator();
                assertTrue(it.next().startsWith("data: "));
                dashboard.close(); // the open stream must end, not hang
                while (it.hasNext()) {
                    it.next();
                }
            }
        } finally {
            dashboard.close();
        }
        assertEquals(0, dashboard.eventClients().value());
        CoflowExtension.assertNoBodiesRunning(Duration.ZERO);
    }

    private static Set<String> names(JsonNode node) {
        Set<String> keys = new TreeSet<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }
}
