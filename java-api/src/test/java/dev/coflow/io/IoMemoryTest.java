package dev.coflow.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bounded memory: a file several times larger than the heap is streamed and counted in a child JVM
 * with {@code -Xmx64m} (it would die of an {@code OutOfMemoryError}, {@code -XX:+ExitOnOutOfMemoryError},
 * if lines, chunks or the file were retained). 100 MB through {@code lines} by default; 600 MB through {@code lines},
 * {@code chunks} and {@code ByteFlows.lines} under {@code -Pstress}.
 */
class IoMemoryTest {
    @TempDir
    Path dir;

    @Test
    void aFileMuchLargerThanTheHeapIn64MiB() throws Exception {
        stream(100, false);
    }

    @Test
    @Tag("stress")
    void sixHundredMegabytesIn64MiB() throws Exception {
        stream(600, true);
    }

    private void stream(int megabytes, boolean all) throws Exception {
        Path file = dir.resolve("big.txt");
        long lines = 0;
        long bytes = 0;
        String line = "0123456789".repeat(9) + "é😀"; // 96 bytes + terminator
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            while (bytes < megabytes * 1_000_000L) {
                w.write(line);
                w.write(lines % 3 == 0 ? "\r\n" : "\n");
                bytes += 96 + (lines % 3 == 0 ? 2 : 1);
                lines++;
            }
        }
        assertEquals(bytes, Files.size(file));
        String java = ProcessHandle.current().info().command().orElseThrow();
        Path out = dir.resolve("child.out");
        List<String> command = new ArrayList<>(List.of(
                java,
                "-Xmx64m",
                "-XX:+ExitOnOutOfMemoryError",
                "-cp",
                System.getProperty("java.class.path"),
                IoMemoryMain.class.getName(),
                file.toString(),
                all ? "all" : "lines"));
        Process child = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        boolean exited = child.waitFor(300, TimeUnit.SECONDS);
        if (!exited) {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
        String output = Files.readString(out);
        assertTrue(exited, () -> "the child JVM did not finish in 300 s:\n" + output);
        assertEquals(0, child.exitValue(), () -> "the child JVM failed:\n" + output);
        String expected = all
                ? "lines=" + lines + " bytes=" + bytes + " decoded=" + lines + " "
                : "lines=" + lines + " bytes=-1 decoded=-1 ";
        assertTrue(output.contains(expected), () -> "expected " + expected + " in the child's output:\n" + output);
    }
}
