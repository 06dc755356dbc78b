package dev.coflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Randomized stress of the handoff code (issue 10), through {@link HandoffStorm}: the fiber's
 * handoff (a generator collected in a user's {@code runBlocking} loop and on
 * {@code limitedParallelism(1)}), the caller loop (a generator emitting to a blocking terminal with
 * yields, zero delays and spins between emits) and {@code CallerBuffer} ({@code buffer(n)} under a
 * blocking terminal, random producer and consumer speeds). Every collection must deliver exactly
 * 0..n-1 in order within {@value HandoffStorm#BOUND_SECONDS} s. The same harness also runs in a forked
 * JVM with {@code -Dcoflow.spinNanos=0}, where no side ever spins: every wait is a park, so every
 * wake-up must be delivered.
 *
 * <p>A fresh seed per run, printed with any failure; {@code -Dcoflow.handoff.seed=<seed>} reruns
 * it. {@code -Pstress} runs the {@code stress} twins, ten times as many collections.
 */
class HandoffStressTest {
    private static final int ROUNDS = 2_000;
    private static final int FORKED_ROUNDS = 600;

    private static long seed() {
        return Long.getLong("coflow.handoff.seed", System.nanoTime());
    }

    @Test
    void everyCollectionDeliversEveryElementOnceInOrder() throws Exception {
        long seed = seed();
        HandoffStorm.Stats s = HandoffStorm.run(seed, ROUNDS);
        System.out.println("HandoffStressTest (seed " + seed + "): " + s);
        assertEquals(ROUNDS, s.rounds());
        LeakCheck.awaitNothingLeft(() -> "after the handoff storm, seed " + seed);
    }

    @Test
    @Tag("stress")
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void everyCollectionDeliversEveryElementOnceInOrderStress() throws Exception {
        long seed = seed();
        HandoffStorm.Stats s = HandoffStorm.run(seed, ROUNDS * 10);
        System.out.println("HandoffStressTest stress (seed " + seed + "): " + s);
        LeakCheck.awaitNothingLeft(() -> "after the handoff storm, seed " + seed);
    }

    @Test
    void withoutSpinningEveryWakeUpIsDelivered() throws Exception {
        forked(FORKED_ROUNDS, "-Dcoflow.spinNanos=0");
    }

    @Test
    @Tag("stress")
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void withoutSpinningEveryWakeUpIsDeliveredStress() throws Exception {
        forked(FORKED_ROUNDS * 10, "-Dcoflow.spinNanos=0");
    }

    /** Runs the harness in a child JVM with {@code flags}; it must print its stats and exit 0. */
    private static void forked(int rounds, String... flags) throws Exception {
        long seed = seed();
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElseThrow(() -> new AssertionError("the java binary of this JVM is not known"));
        Path out = Files.createTempFile("coflow-handoff", ".out");
        try {
            List<String> command = new java.util.ArrayList<>();
            command.add(java);
            command.addAll(List.of(flags));
            command.addAll(List.of(
                    "-cp",
                    System.getProperty("java.class.path"),
                    HandoffStorm.class.getName(),
                    Long.toString(seed),
                    Integer.toString(rounds)));
            Process child = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            // each collection is bounded by the harness itself; this bounds the whole child
            long limit = 60 + rounds / 10;
            boolean exited = child.waitFor(limit, TimeUnit.SECONDS);
            if (!exited) {
                child.destroyForcibly();
                child.waitFor(10, TimeUnit.SECONDS);
            }
            String output = Files.readString(out, StandardCharsets.UTF_8);
            assertTrue(
                    exited,
                    () -> "the child JVM (" + String.join(" ", flags) + ", seed " + seed + ") did not finish within "
                            + limit + " s; its output:\n" + output);
            assertEquals(
                    0,
                    child.exitValue(),
                    () -> "the child JVM (" + String.join(" ", flags) + ", seed " + seed + ") failed; its output:\n"
                            + output);
            assertTrue(output.contains(rounds + " collections"), () -> "no stats in the child's output:\n" + output);
            System.out.print("HandoffStressTest forked " + String.join(" ", flags) + " (seed " + seed + "): " + output);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    @Test
    void theCheckSeesLostDuplicatedAndReorderedElements() {
        assertNull(HandoffStorm.check(List.of(0, 1, 2), 3));
        assertTrue(HandoffStorm.check(List.of(0, 2), 3).contains("lost"));
        assertTrue(HandoffStorm.check(List.of(0, 1, 1), 3).contains("duplicated"));
        assertTrue(HandoffStorm.check(List.of(1, 0, 2), 3).contains("reordered"));
        assertTrue(HandoffStorm.check(List.of(0, 1), 3).contains("lost"));
        assertTrue(HandoffStorm.check(List.of(0, 1, 2, 3), 3).contains("extra"));
    }
}
