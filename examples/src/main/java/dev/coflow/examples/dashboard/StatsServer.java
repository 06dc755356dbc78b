package dev.coflow.examples.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.coflow.AsyncFlow;
import dev.coflow.AsyncStateFlow;
import dev.coflow.MutableAsyncStateFlow;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The dashboard's HTTP side, on the loopback interface only: {@code GET /stats} answers the
 * current snapshot as JSON, {@code GET /events} streams every new snapshot as server-sent events
 * ({@code ?limit=n} ends the stream after {@code n}). Each {@code /events} client gets its own
 * collection of the stats flow, on its own virtual thread; it ends when the client disconnects
 * (the next write fails and the collection is cancelled) or when the server closes.
 */
final class StatsServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AsyncStateFlow<Stats> stats;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    /** Whether streams should keep going; set to {@code false} to end every {@code /events} stream. */
    private final MutableAsyncStateFlow<Boolean> open = MutableAsyncStateFlow.create(true);
    /** Connected {@code /events} clients. */
    private final MutableAsyncStateFlow<Integer> clients = MutableAsyncStateFlow.create(0);

    private StatsServer(AsyncStateFlow<Stats> stats, HttpServer server) {
        this.stats = stats;
        this.server = server;
    }

    /** Starts a server on 127.0.0.1 and an ephemeral port. */
    static StatsServer start(AsyncStateFlow<Stats> stats) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        StatsServer s = new StatsServer(stats, http);
        http.setExecutor(s.executor);
        http.createContext("/stats", s::handleStats);
        http.createContext("/events", s::handleEvents);
        http.createContext("/", WebPage::handle);
        http.start();
        return s;
    }

    URI uri() {
        InetSocketAddress a = server.getAddress();
        return URI.create("http://" + a.getHostString() + ":" + a.getPort() + "/");
    }

    int port() {
        return server.getAddress().getPort();
    }

    AsyncStateFlow<Integer> clients() {
        return clients.asReadOnly();
    }

    private void handleStats(HttpExchange ex) throws IOException {
        try (ex) {
            if (!"GET".equals(ex.getRequestMethod())) {
                ex.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(stats.value());
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
        }
    }

    private void handleEvents(HttpExchange ex) throws IOException {
        int limit = limit(ex.getRequestURI().getQuery());
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        clients.update(n -> n + 1);
        try (ex;
                OutputStream out = ex.getResponseBody()) {
            // The latest snapshot, then each new one, while the server is open: a closing server
            // ends the stream cleanly instead of leaving the client hanging.
            AsyncFlow<Stats> feed = stats.asFlow()
                    .combine(open.asFlow(), (s, isOpen) -> isOpen ? Optional.of(s) : Optional.<Stats>empty())
                    .takeWhile(Optional::isPresent)
                    .map(Optional::get);
            if (limit > 0) {
                feed = feed.take(limit);
            }
            feed.forEach(
                    s -> { // blocking writes, on this client's own thread
                        out.write(("data: " + JSON.writeValueAsString(s) + "\n\n").getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    });
        } catch (IOException | UncheckedIOException gone) {
            // The client disconnected: the failed write ended (cancelled) its collection.
        } finally {
            clients.update(n -> n - 1);
        }
    }

    private static int limit(String query) {
        if (query != null) {
            for (String part : query.split("&")) {
                if (part.startsWith("limit=")) {
                    try {
                        return Integer.parseInt(part.substring("limit=".length()));
                    } catch (NumberFormatException ignored) {
                        return 0;
                    }
                }
            }
        }
        return 0;
    }

    /**
     * Ends every {@code /events} stream, waits (up to 5 s) until their handlers have returned,
     * then stops the server and its threads.
     */
    @Override
    public void close() {
        open.set(false);
        try {
            clients.asFlow().filter(n -> n == 0).timeout(Duration.ofSeconds(5)).first();
        } catch (RuntimeException stuck) {
            // A handler that does not finish is cut off below with its connection.
        }
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static ObjectMapper json() {
        return JSON;
    }
}
