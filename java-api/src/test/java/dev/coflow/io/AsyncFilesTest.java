package dev.coflow.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coflow.AsyncFlow;
import dev.coflow.test.CoflowExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class AsyncFilesTest {
    /** After each test, no coroutine body it started may still be running (the harness's leak check). */
    @RegisterExtension
    static final CoflowExtension COFLOW = CoflowExtension.withLeakGrace(Duration.ZERO);

    @TempDir
    Path dir;

    @AfterEach
    void everythingClosed() {
        assertEquals(0, AsyncFiles.openFiles(), "a file is still open");
    }

    private Path tenThousandLines() {
        Path file = dir.resolve("lines.txt");
        long n = AsyncFiles.write(file, AsyncFlow.range(0, 10_000).map(i -> "line " + i));
        assertEquals(10_000, n);
        return file;
    }

    @Test
    void writeThenReadEveryLine() throws IOException {
        Path file = tenThousandLines();
        List<String> expected =
                IntStream.range(0, 10_000).mapToObj(i -> "line " + i).toList();
        assertEquals(expected, Files.readAllLines(file));
        AsyncFlow<String> lines = AsyncFiles.lines(file);
        assertEquals(expected, lines.toList());
        assertEquals(10_000, lines.count(), "cold: the file is opened again");
    }

    @Test
    void takeTwoClosesTheFileBeforeReturning() {
        Path file = tenThousandLines();
        List<String> completion = new CopyOnWriteArrayList<>();
        List<String> firstTwo = AsyncFiles.lines(file)
                .onCompletion(cause -> completion.add(cause instanceof CancellationException ? "cancelled" : "other"))
                .take(2)
                .toList();
        assertEquals(List.of("line 0", "line 1"), firstTwo);
        assertEquals(List.of("cancelled"), completion);
        assertEquals(0, AsyncFiles.openFiles(), "closed by the time take(2).toList() returned");
    }

    @Test
    void failingConsumerClosesTheFile() {
        Path file = tenThousandLines();
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> AsyncFiles.lines(file).forEach(line -> {
                    if (line.equals("line 3")) {
                        throw new IllegalStateException("stop at 3");
                    }
                }));
        assertEquals("stop at 3", e.getMessage());
        assertEquals(0, AsyncFiles.openFiles());
    }

    @Test
    void missingFileFailsWithTheIoException() {
        UncheckedIOException e = assertThrows(
                UncheckedIOException.class,
                () -> AsyncFiles.lines(dir.resolve("missing.txt")).toList());
        assertInstanceOf(NoSuchFileException.class, e.getCause());
        e = assertThrows(
                UncheckedIOException.class,
                () -> AsyncFiles.chunks(dir.resolve("missing.bin"), 8).toList());
        assertInstanceOf(NoSuchFileException.class, e.getCause());
    }

    @Test
    void chunksReassembleTheFile() throws IOException {
        byte[] data = new byte[10_000];
        new Random(7).nextBytes(data);
        Path file = Files.write(dir.resolve("data.bin"), data);
        List<byte[]> chunks = AsyncFiles.chunks(file, 4_096).toList();
        assertEquals(
                List.of(4_096, 4_096, 1_808), chunks.stream().map(c -> c.length).toList());
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        chunks.forEach(all::writeBytes);
        assertArrayEquals(data, all.toByteArray());
        assertEquals(1, AsyncFiles.chunks(file, 10_000).count(), "exact multiple: no empty tail chunk");
        assertEquals(
                List.of(),
                AsyncFiles.chunks(Files.write(dir.resolve("empty"), new byte[0]), 16)
                        .toList());
    }

    @Test
    void takeOneChunkClosesTheChannel() throws IOException {
        Path file = Files.write(dir.resolve("data.bin"), new byte[100_000]);
        assertEquals(1, AsyncFiles.chunks(file, 1_000).take(1).count());
        assertEquals(0, AsyncFiles.openFiles());
    }

    @Test
    void writeKeepsWhatWasWrittenBeforeAFailureAndClosesTheFile() throws IOException {
        Path file = dir.resolve("partial.txt");
        AsyncFlow<String> failing = AsyncFlow.generate(out -> {
            out.emit("a");
            out.emit("b");
            throw new IOException("disk on fire");
        });
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> AsyncFiles.write(file, failing));
        assertEquals("disk on fire", e.getCause().getMessage());
        assertEquals(List.of("a", "b"), Files.readAllLines(file));
    }

    @Test
    void badInput() {
        assertThrows(NullPointerException.class, () -> AsyncFiles.lines(null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AsyncFiles.chunks(dir, 0));
        assertTrue(e.getMessage().contains("size"), e.getMessage());
        assertThrows(NullPointerException.class, () -> AsyncFiles.write(dir.resolve("x"), null));
    }
}
