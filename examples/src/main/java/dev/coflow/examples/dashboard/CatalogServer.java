package dev.coflow.examples.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The library's catalogue as a real HTTP API on loopback (JDK {@link HttpServer} on a thread pool
 * of its own): {@code GET /catalog?after=<id>&size=<n>&client=<name>} answers
 * {@code {"books": [...], "next": "<last id>"}} ({@code next} is {@code null} on the last page),
 * after a configurable latency, and answers {@code 503} deterministically: the first
 * {@code failFirst} requests of each page (per client) and, after those, a seeded
 * {@code failPercent} of requests.
 */
final class CatalogServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LibraryDb db;
    private final Duration latency;
    private final int failFirst;
    private final int failPercent;
    private final long seed;
    private final HttpServer server;
    private final ExecutorService pool;
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong unavailable = new AtomicLong();

    private CatalogServer(
            LibraryDb db, Duration latency, int failFirst, int failPercent, long seed, HttpServer server, int threads) {
        this.db = db;
        this.latency = latency;
        this.failFirst = failFirst;
        this.failPercent = failPercent;
        this.seed = seed;
        this.server = server;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "catalog-api-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Makes the JDK's HTTP server send each response at once (TCP_NODELAY): without it a response's
     * headers and body, written separately, wait for a delayed ACK, about 40 ms on loopback. The
     * server reads the property once, when its first instance is created, so call this first.
     */
    static void tcpNoDelay() {
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    static CatalogServer start(LibraryDb db, Duration latency, int failFirst, int failPercent, long seed)
            throws IOException {
        tcpNoDelay();
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        CatalogServer s = new CatalogServer(db, latency, failFirst, failPercent, seed, http, 4);
        http.setExecutor(s.pool);
        http.createContext("/catalog", s::handle);
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

    /** Requests answered so far. */
    long requests() {
        return requests.get();
    }

    /** How many of them were {@code 503 Service Unavailable}. */
    long unavailable() {
        return unavailable.get();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            requests.incrementAndGet();
            Map<String, String> q = query(ex.getRequestURI().getRawQuery());
            int after;
            int size;
            try {
                after = Integer.parseInt(q.getOrDefault("after", "0"));
                size = Integer.parseInt(q.getOrDefault("size", "100"));
            } catch (NumberFormatException e) {
                ex.sendResponseHeaders(400, -1);
                return;
            }
            String client = q.getOrDefault("client", "-");
            Thread.sleep(latency); // the network and the service's own work
            int attempt = attempts.computeIfAbsent(client + "/" + after, k -> new AtomicInteger())
                    .getAndIncrement();
            if (attempt < failFirst || (failPercent > 0 && roll(client, after, attempt) < failPercent)) {
                unavailable.incrementAndGet();
                ex.getResponseHeaders().set("Retry-After", "0");
                ex.sendResponseHeaders(503, -1);
                return;
            }
            List<Book> books = db.booksAfter(after, Math.max(1, Math.min(size, 1_000)));
            Map<String, Object> page = new LinkedHashMap<>();
            page.put("books", books);
            page.put(
                    "next",
                    books.size() < size ? null : String.valueOf(books.getLast().id()));
            byte[] body = JSON.writeValueAsBytes(page);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the server is stopping
        } catch (java.sql.SQLException e) {
            ex.sendResponseHeaders(500, -1);
        }
    }

    /** A deterministic number in 0..99 for one request. */
    private int roll(String client, int after, int attempt) {
        long h = seed * 0x9E3779B97F4A7C15L + client.hashCode() * 31L + after * 1_000_003L + attempt;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return (int) Math.floorMod(h, 100L);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw != null) {
            for (String part : raw.split("&")) {
                int eq = part.indexOf('=');
                if (eq > 0) {
                    q.put(part.substring(0, eq), part.substring(eq + 1));
                }
            }
        }
        return q;
    }

    /** Stops the server and its threads. */
    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
