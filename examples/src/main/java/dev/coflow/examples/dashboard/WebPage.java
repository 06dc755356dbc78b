package dev.coflow.examples.dashboard;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The dashboard's web page: {@code GET /} answers {@code index.html}, {@code GET /app.js} and
 * {@code GET /style.css} the page's script and style sheet, all read from the class path folder
 * {@code dev/coflow/examples/dashboard/web/}. The page shows the live statistics from
 * {@code /events} (server-sent events) and needs nothing from outside the example: no CDN, no
 * web fonts.
 *
 * <p>Only the files named here are served, by exact name: any other path (a folder, {@code ..},
 * an encoded slash) is 404, any method but {@code GET} is 405.
 */
final class WebPage {
    private static final String FOLDER = "web/";
    /** The files of the page and their content types. */
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "style.css", "text/css; charset=utf-8");

    private WebPage() {}

    /** Serves {@code /} and {@code /<file>} of the page; mount on the server's {@code /} context. */
    static void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!"GET".equals(ex.getRequestMethod())) {
                ex.getResponseHeaders().set("Allow", "GET");
                send(
                        ex,
                        405,
                        "text/plain; charset=utf-8",
                        "only GET is served here\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            // The raw (undecoded) path, matched exactly against the list: "%2e%2e" or "a/../b" never match.
            String path = ex.getRequestURI().getRawPath();
            String name = "/".equals(path) ? "index.html" : path.substring(1);
            String type = FILES.get(name);
            byte[] body = type == null ? null : read(name);
            if (body == null) {
                send(
                        ex,
                        404,
                        "text/plain; charset=utf-8",
                        "not found; the page is at /\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            ex.getResponseHeaders().set("Cache-Control", "no-cache");
            send(ex, 200, type, body);
        }
    }

    /** The file's bytes, or {@code null} if the build left it out. */
    private static byte[] read(String name) throws IOException {
        try (InputStream in = WebPage.class.getResourceAsStream(FOLDER + name)) {
            return in == null ? null : in.readAllBytes();
        }
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
    }
}
