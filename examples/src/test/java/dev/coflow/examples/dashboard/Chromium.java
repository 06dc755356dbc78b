package dev.coflow.examples.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A headless Chromium for tests, driven over the DevTools protocol: {@link #launch} starts one
 * with a fresh profile on an ephemeral debugging port, {@link #openPage} opens a tab, and a
 * {@link Page} navigates, evaluates JavaScript and takes screenshots. {@link #close} ends the
 * browser and every process it started and deletes the profile.
 */
final class Chromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on ws://[^:/]+:(\\d+)/");
    private static final Duration START = Duration.ofSeconds(20);
    private static final Duration CALL = Duration.ofSeconds(15);

    private final Process process;
    private final Path profile;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Page> pages = new ArrayList<>();

    private Chromium(Process process, Path profile, int port) {
        this.process = process;
        this.profile = profile;
        this.port = port;
    }

    /**
     * The browser binary: {@code $CHROMIUM} if set (and then only it: an explicit choice, so that
     * {@code CHROMIUM=/none} shows the skip), else the first of {@code chromium},
     * {@code chromium-browser}, {@code google-chrome} on {@code PATH}, else {@code /usr/bin/chromium}.
     */
    static Optional<Path> find() {
        String chosen = System.getenv("CHROMIUM");
        if (chosen != null && !chosen.isBlank()) {
            return Optional.of(Path.of(chosen)).filter(Files::isExecutable);
        }
        List<Path> candidates = new ArrayList<>();
        String path = System.getenv("PATH");
        for (String dir : path == null ? new String[0] : path.split(java.io.File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
                if (!dir.isEmpty()) {
                    candidates.add(Path.of(dir, name));
                }
            }
        }
        candidates.add(Path.of("/usr/bin/chromium"));
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    /** Why {@link #find()} found nothing, and the fix: what a test says when it skips. */
    static String missing() {
        String chosen = System.getenv("CHROMIUM");
        if (chosen != null && !chosen.isBlank()) {
            return "CHROMIUM=" + chosen + " is not an executable file: point it at a Chromium binary, or unset it";
        }
        return "no Chromium binary found (chromium, chromium-browser, google-chrome on PATH, /usr/bin/chromium):"
                + " install it with `apt-get install -y chromium` (.ci/run does when it can), or set CHROMIUM";
    }

    /**
     * Starts a headless browser with a fresh profile; returns when its DevTools endpoint listens.
     *
     * @param binary the browser, from {@link #find()}
     * @param width the window's width in CSS pixels (screenshots are this wide)
     * @param height the window's height
     */
    static Chromium launch(Path binary, int width, int height) throws IOException, InterruptedException {
        if (binary == null || !Files.isExecutable(binary)) {
            throw new IllegalArgumentException(
                    "binary must be an executable Chromium, e.g. Chromium.find().orElseThrow(), was " + binary);
        }
        if (width < 100 || height < 100) {
            throw new IllegalArgumentException("width and height must be at least 100 pixels, e.g. 1200 and 860, were "
                    + width + " and " + height);
        }
        Path profile = Files.createTempDirectory("coflow-chromium-");
        Process process;
        try {
            process = new ProcessBuilder(
                            binary.toString(),
                            "--headless",
                            "--no-sandbox", // tests may run as root
                            "--disable-gpu",
                            "--disable-quic",
                            "--no-first-run",
                            "--disable-background-networking",
                            "--disable-component-update",
                            "--disable-sync",
                            "--hide-scrollbars",
                            "--window-size=" + width + "," + height,
                            "--user-data-dir=" + profile,
                            "--remote-debugging-port=0",
                            "about:blank")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException | RuntimeException e) {
            deleteTree(profile);
            throw e;
        }
        // stderr: the first line naming the port completes `listening`; the rest is drained (kept for errors)
        CompletableFuture<Integer> listening = new CompletableFuture<>();
        Deque<String> tail = new ArrayDeque<>();
        Thread.ofVirtual().name("chromium-stderr").start(() -> {
            try (BufferedReader err =
                    new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = err.readLine()) != null; ) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        listening.complete(Integer.parseInt(m.group(1)));
                    }
                    synchronized (tail) {
                        tail.addLast(line);
                        if (tail.size() > 40) {
                            tail.removeFirst();
                        }
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            } finally {
                synchronized (tail) {
                    listening.completeExceptionally(new IllegalStateException(
                            "Chromium ended before its DevTools endpoint listened; its stderr:\n"
                                    + String.join("\n", tail)));
                }
            }
        });
        Chromium chromium = null;
        try {
            int port = listening.get(START.toMillis(), TimeUnit.MILLISECONDS);
            chromium = new Chromium(process, profile, port);
            return chromium;
        } catch (ExecutionException e) {
            throw new IllegalStateException(binary + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            synchronized (tail) {
                throw new IllegalStateException(
                        binary + " did not open its DevTools endpoint within " + START + "; its stderr:\n"
                                + String.join("\n", tail),
                        e);
            }
        } finally {
            if (chromium == null) {
                stop(process);
                deleteTree(profile);
            }
        }
    }

    /** The browser's process and its descendants now (renderers, GPU and network services, ...). */
    List<ProcessHandle> processes() {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.addFirst(process.toHandle());
        return all;
    }

    /** The browser's profile folder, deleted by {@link #close()}. */
    Path profile() {
        return profile;
    }

    /** The browser's product and version, e.g. {@code Chrome/150.0.7871.100}. */
    String version() throws IOException, InterruptedException {
        return request("/json/version", "GET").path("Browser").asText();
    }

    /** Opens a new tab on {@code about:blank} and connects to it. */
    Page openPage() throws IOException, InterruptedException {
        JsonNode target = request("/json/new?about:blank", "PUT"); // newer Chromium refuses GET here
        String id = target.path("id").asText();
        Page page;
        try {
            page = Page.connect(
                    http, URI.create(target.path("webSocketDebuggerUrl").asText()), () -> closeTab(id));
        } catch (IOException | InterruptedException | RuntimeException e) {
            closeTab(id);
            throw e;
        }
        synchronized (pages) {
            pages.add(page);
        }
        return page;
    }

    /** Closes a tab (its page and its connections, such as an open EventSource). */
    private void closeTab(String id) {
        try {
            request("/json/close/" + id, "GET");
        } catch (IOException e) {
            // already closed, or the browser is gone: either way the tab is no more
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private JsonNode request(String path, String method) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .timeout(CALL)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(method + " " + path + " -> " + r.statusCode() + ": " + r.body());
        }
        // most answers are JSON; /json/close answers a sentence
        return r.body().startsWith("{")
                ? JSON.readTree(r.body())
                : JSON.getNodeFactory().textNode(r.body());
    }

    /** Closes the tabs, ends the browser and its child processes, deletes the profile. */
    @Override
    public void close() {
        try {
            List<Page> open;
            synchronized (pages) {
                open = List.copyOf(pages);
            }
            open.forEach(Page::close);
            http.close();
        } finally {
            try {
                stop(process);
            } finally {
                deleteTree(profile);
            }
        }
    }

    /**
     * Kills the process and its descendants (listed first: once it is gone they cannot be found)
     * and waits until they have ended. Killed, not asked to quit: the profile is thrown away, and
     * a graceful shutdown takes Chromium seconds.
     */
    private static void stop(Process process) {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.addFirst(process.toHandle());
        all.forEach(ProcessHandle::destroyForcibly);
        boolean interrupted = false;
        for (ProcessHandle p : all) {
            try {
                p.onExit().get(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException | TimeoutException e) {
                // still alive after 5 s: killed once more below, then left to the OS
            }
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the browser profile " + dir, e);
        }
    }

    /** One tab, over its DevTools WebSocket: a command waits for its answer. */
    static final class Page implements AutoCloseable, WebSocket.Listener {
        private final AtomicInteger ids = new AtomicInteger();
        private final Map<Integer, CompletableFuture<JsonNode>> answers = new ConcurrentHashMap<>();
        private final Map<String, CompletableFuture<JsonNode>> awaitedEvents = new ConcurrentHashMap<>();
        private final StringBuilder message = new StringBuilder();
        private volatile WebSocket socket;

        private final Runnable closeTab;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Page(Runnable closeTab) {
            this.closeTab = closeTab;
        }

        static Page connect(HttpClient http, URI ws, Runnable closeTab) throws InterruptedException, IOException {
            Page page = new Page(closeTab);
            try {
                page.socket = http.newWebSocketBuilder()
                        .connectTimeout(CALL)
                        .buildAsync(ws, page)
                        .get(CALL.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IOException("could not connect to the tab at " + ws, e);
            }
            return page;
        }

        /** Sends a command and returns its {@code result}; a protocol error fails with its message. */
        JsonNode call(String method, ObjectNode params) throws IOException, InterruptedException {
            int id = ids.incrementAndGet();
            CompletableFuture<JsonNode> answer = new CompletableFuture<>();
            answers.put(id, answer);
            ObjectNode command = JSON.createObjectNode().put("id", id).put("method", method);
            command.set("params", params == null ? JSON.createObjectNode() : params);
            try {
                socket.sendText(JSON.writeValueAsString(command), true).get(CALL.toMillis(), TimeUnit.MILLISECONDS);
                JsonNode reply = answer.get(CALL.toMillis(), TimeUnit.MILLISECONDS);
                if (reply.has("error")) {
                    throw new IOException(method + " failed: " + reply.get("error"));
                }
                return reply.path("result");
            } catch (ExecutionException | TimeoutException e) {
                throw new IOException(method + " got no answer within " + CALL, e);
            } finally {
                answers.remove(id);
            }
        }

        /** Navigates and returns when the page's load event has fired. */
        void navigate(URI url) throws IOException, InterruptedException {
            call("Page.enable", null);
            CompletableFuture<JsonNode> loaded = new CompletableFuture<>();
            awaitedEvents.put("Page.loadEventFired", loaded);
            JsonNode r = call("Page.navigate", JSON.createObjectNode().put("url", url.toString()));
            if (r.hasNonNull("errorText")) {
                throw new IOException("navigating to " + url + " failed: "
                        + r.get("errorText").asText());
            }
            try {
                loaded.get(CALL.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IOException(url + " did not finish loading within " + CALL, e);
            } finally {
                awaitedEvents.remove("Page.loadEventFired");
            }
        }

        /**
         * Evaluates a JavaScript expression in the page (awaiting it if it is a promise) and
         * returns its value as JSON; a thrown error or rejected promise fails with its text.
         */
        JsonNode evaluate(String expression) throws IOException, InterruptedException {
            JsonNode r = call(
                    "Runtime.evaluate",
                    JSON.createObjectNode()
                            .put("expression", expression)
                            .put("returnByValue", true)
                            .put("awaitPromise", true));
            if (r.has("exceptionDetails")) {
                JsonNode d = r.get("exceptionDetails");
                throw new AssertionError("in the page: "
                        + d.path("exception")
                                .path("description")
                                .asText(d.path("text").asText())
                        + "\n  evaluating: " + expression);
            }
            return r.path("result").path("value");
        }

        /**
         * Waits, inside the page, until {@code condition} (a JavaScript expression) is truthy,
         * re-checking on every DOM change, and returns its value; fails after {@code timeout}, which
         * must be shorter than the 15 s a DevTools call may take.
         */
        JsonNode await(String condition, Duration timeout) throws IOException, InterruptedException {
            if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(CALL) >= 0) {
                throw new IllegalArgumentException("timeout must be positive and shorter than a DevTools call's "
                        + CALL + " (the page's promise must settle first), e.g. Duration.ofSeconds(10), was "
                        + timeout);
            }
            return evaluate("new Promise((resolve, reject) => {"
                    + " let observer, timer;"
                    + " const check = () => { let v; try { v = (" + condition + "); } catch (e) { v = false; }"
                    + "   if (v) { observer.disconnect(); clearTimeout(timer); resolve(v); } };"
                    + " observer = new MutationObserver(check);"
                    + " observer.observe(document, {subtree: true, childList: true, characterData: true});"
                    + " timer = setTimeout(() => { observer.disconnect();"
                    + "   reject(new Error('still false after " + timeout.toMillis() + " ms: ' + "
                    + JSON.writeValueAsString(condition) + ")); }, " + timeout.toMillis() + ");"
                    + " check(); })");
        }

        /** A PNG of the page: the window's width, the height of its content. */
        byte[] screenshot() throws IOException, InterruptedException {
            JsonNode size = evaluate("({width: document.documentElement.clientWidth,"
                    + " height: Math.ceil(document.body.getBoundingClientRect().bottom)})");
            ObjectNode params = JSON.createObjectNode().put("format", "png").put("captureBeyondViewport", true);
            params.putObject("clip")
                    .put("x", 0)
                    .put("y", 0)
                    .put("width", size.path("width").asInt())
                    .put("height", size.path("height").asInt())
                    .put("scale", 1);
            JsonNode r = call("Page.captureScreenshot", params);
            return Base64.getDecoder().decode(r.path("data").asText());
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            message.append(data);
            if (last) {
                String text = message.toString();
                message.setLength(0);
                try {
                    JsonNode m = JSON.readTree(text);
                    if (m.has("id")) {
                        CompletableFuture<JsonNode> answer =
                                answers.get(m.get("id").asInt());
                        if (answer != null) {
                            answer.complete(m);
                        }
                    } else {
                        CompletableFuture<JsonNode> awaited =
                                awaitedEvents.get(m.path("method").asText());
                        if (awaited != null) {
                            awaited.complete(m.path("params"));
                        }
                    }
                } catch (IOException e) {
                    failAll(new IOException("unreadable DevTools message: " + text, e));
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
            failAll(new IOException("the tab's DevTools connection closed: " + status + " " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            failAll(error);
        }

        private void failAll(Throwable error) {
            answers.values().forEach(a -> a.completeExceptionally(error));
            awaitedEvents.values().forEach(a -> a.completeExceptionally(error));
        }

        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            WebSocket ws = socket;
            if (ws != null) {
                ws.abort(); // no close handshake to wait for: the tab is closed next
            }
            closeTab.run();
        }
    }
}
