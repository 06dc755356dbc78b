package dev.coflow.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Kafka broker in KRaft mode (broker and controller in one process), launched
 * as a child JVM from the Kafka jars on this test class path (Maven Central's {@code kafka_2.13}),
 * listening on loopback only; {@link #close()} stops it and deletes its log directory.
 */
final class KafkaBroker implements AutoCloseable {

    private final Path dir;
    private final Process process;
    private final String bootstrap;
    private final Duration startup;

    private KafkaBroker(Path dir, Process process, String bootstrap, Duration startup) {
        this.dir = dir;
        this.process = process;
        this.bootstrap = bootstrap;
        this.startup = startup;
    }

    String bootstrapServers() {
        return bootstrap;
    }

    /** From formatting the storage to the broker answering a metadata request. */
    Duration startup() {
        return startup;
    }

    static KafkaBroker start() throws Exception {
        long t0 = System.nanoTime();
        Path dir = Files.createTempDirectory("coflow-kafka-broker");
        int brokerPort = freePort();
        int controllerPort = freePort();
        String bootstrap = "127.0.0.1:" + brokerPort;
        Path config = dir.resolve("server.properties");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "process.roles=broker,controller",
                        "node.id=1",
                        "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                        "listeners=PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort,
                        "advertised.listeners=PLAINTEXT://" + bootstrap,
                        "controller.listener.names=CONTROLLER",
                        "inter.broker.listener.name=PLAINTEXT",
                        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                        "log.dirs=" + dir.resolve("logs"),
                        "num.partitions=1",
                        "auto.create.topics.enable=false",
                        "offsets.topic.replication.factor=1",
                        "offsets.topic.num.partitions=1",
                        "transaction.state.log.replication.factor=1",
                        "transaction.state.log.min.isr=1",
                        "share.coordinator.state.topic.replication.factor=1",
                        "share.coordinator.state.topic.min.isr=1",
                        "group.initial.rebalance.delay.ms=0",
                        "num.network.threads=2",
                        "num.io.threads=2",
                        ""));
        Path log = dir.resolve("broker.log");
        // formatting runs in this JVM (one child JVM start less): Kafka's own storage tool
        java.io.ByteArrayOutputStream formatOut = new java.io.ByteArrayOutputStream();
        int formatted;
        try (java.io.PrintStream out =
                new java.io.PrintStream(formatOut, true, java.nio.charset.StandardCharsets.UTF_8)) {
            formatted = kafka.tools.StorageTool.execute(
                    new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()}, out);
        }
        if (formatted != 0) {
            throw new IllegalStateException(
                    "could not format the Kafka broker's storage (exit " + formatted + "): " + formatOut);
        }
        Process broker = launch(dir, log, "kafka.Kafka", config.toString());
        KafkaBroker b = null;
        try {
            awaitReady(broker, bootstrap, log);
            b = new KafkaBroker(dir, broker, bootstrap, Duration.ofNanos(System.nanoTime() - t0));
            // should the test JVM die without @AfterAll (a killed fork), the broker goes with it
            Runtime.getRuntime().addShutdownHook(new Thread(broker::destroyForcibly, "kafka-broker-reaper"));
            return b;
        } finally {
            if (b == null) {
                stop(broker);
                deleteTree(dir);
            }
        }
    }

    private static Process launch(Path dir, Path log, String mainClass, String... args) throws IOException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(
                "-Xms128m",
                "-Xmx512m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Djava.net.preferIPv4Stack=true",
                "-cp",
                classPath,
                mainClass));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    private static void awaitReady(Process broker, String bootstrap, Path log) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "2000");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        try (Admin admin = Admin.create(p)) {
            while (true) {
                if (!broker.isAlive()) {
                    throw new IllegalStateException("the Kafka broker process exited with " + broker.exitValue()
                            + " before it was ready: " + tail(log));
                }
                try {
                    if (!admin.describeCluster()
                            .nodes()
                            .get(2, TimeUnit.SECONDS)
                            .isEmpty()) {
                        return;
                    }
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException notYet) {
                    // not listening yet: the admin client's own retry backoff paces this loop
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "the Kafka broker did not answer on " + bootstrap + " within 120 s: " + tail(log));
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return "\n  " + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static void stop(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stop(process);
        deleteTree(dir);
    }
}
