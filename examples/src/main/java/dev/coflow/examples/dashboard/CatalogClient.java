package dev.coflow.examples.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coflow.AsyncFlow;
import dev.coflow.Backoff;
import dev.coflow.Page;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads the catalogue API page by page: {@link HttpClient#sendAsync} awaited without holding a
 * thread, {@link AsyncFlow#paginateByToken} following each page's {@code next} cursor (with pages
 * fetched ahead of the consumer if asked), and each page's request retried on {@code 503} with
 * exponential {@link Backoff}. Counts the requests it sends and the retries among them.
 */
final class CatalogClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A {@code 503 Service Unavailable}: worth retrying. */
    static final class UnavailableException extends IOException {
        UnavailableException(URI uri) {
            super("503 Service Unavailable from " + uri);
        }
    }

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI base;
    private final Backoff backoff;
    private final AtomicLong requests = new AtomicLong();
    /** Pages asked for (each page's first attempt). */
    private final AtomicLong pages = new AtomicLong();

    /**
     * @param base the API's address
     * @param maxAttempts attempts per page, the first one included
     */
    CatalogClient(URI base, int maxAttempts) {
        this.base = base;
        this.backoff = Backoff.exponential(Duration.ofMillis(2), 2.0, Duration.ofMillis(100), maxAttempts)
                .retryOn(e -> e instanceof UnavailableException);
    }

    /**
     * Every book, {@code pageSize} per request, regrouped into pages.
     *
     * @param client the name the server counts this crawl's requests under
     * @param pageSize books per page
     * @param prefetchPages pages fetched ahead of the consumer by {@code paginateByToken} (0: on demand)
     * @param bufferBooks if {@code > 0}, a {@code buffer(bufferBooks)} stage after the pagination:
     *     the other way to let fetching run ahead of the consumer
     * @return a cold flow of pages, in id order
     */
    AsyncFlow<List<Book>> pages(String client, int pageSize, int prefetchPages, int bufferBooks) {
        AsyncFlow<Book> books = AsyncFlow.paginateByToken("0", after -> page(client, after, pageSize), prefetchPages);
        if (bufferBooks > 0) {
            books = books.buffer(bufferBooks);
        }
        return books.chunked(pageSize);
    }

    /** {@link #pages(String, int, int, int)} without a buffer stage. */
    AsyncFlow<List<Book>> pages(String client, int pageSize, int prefetchPages) {
        return pages(client, pageSize, prefetchPages, 0);
    }

    private Page<Book> page(String client, String after, int pageSize) {
        URI uri = base.resolve("catalog?after=" + after + "&size=" + pageSize + "&client=" + client);
        HttpRequest request = HttpRequest.newBuilder(uri).build();
        pages.incrementAndGet();
        Page<Book> page = AsyncFlow.fromFuture(
                        () -> { // one attempt per collection
                            requests.incrementAndGet();
                            return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
                        })
                .map(response -> switch (response.statusCode()) {
                    case 200 -> parse(response.body());
                    case 503 -> throw new UnavailableException(uri);
                    default -> throw new IOException(response.statusCode() + " from " + uri);
                })
                .retry(backoff)
                .single();
        return page;
    }

    private static Page<Book> parse(byte[] body) throws IOException {
        JsonNode json = JSON.readTree(body);
        List<Book> books = new ArrayList<>();
        for (JsonNode b : json.get("books")) {
            books.add(new Book(
                    b.get("id").asInt(),
                    b.get("title").asText(),
                    b.get("author").asText()));
        }
        JsonNode next = json.get("next");
        return new Page<>(books, next == null || next.isNull() ? null : next.asText());
    }

    /** Requests sent so far. */
    long requests() {
        return requests.get();
    }

    /** Retries so far: requests beyond the first one of each page (served or given up). */
    long retries() {
        return requests.get() - pages.get();
    }

    @Override
    public void close() {
        http.close();
    }
}
