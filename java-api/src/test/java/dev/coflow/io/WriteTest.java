package dev.coflow.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coflow.AsyncFlow;
import dev.coflow.bridge.Suspend;
import dev.coflow.bridge.Task;
import dev.coflow.test.CoflowExtension;
import dev.coflow.test.VirtualTime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Writing: options, atomic replace on success, failure and cancellation, and the AsyncWriter resource. */
class WriteTest {
    @RegisterExtension
    static final CoflowExtension COFLOW = CoflowExtension.withLeakGrace(Duration.ZERO);

    @TempDir
    Path dir;

    @AfterEach
    void everythingClosed() throws IOException {
        assertEquals(0, AsyncFiles.openFiles(), "a file is still open");
        try (var files = Files.list(dir)) {
            assertEquals(
                    List.of(),
                    files.filter(p -> p.getFileName().toString().endsWith(".tmp"))
                            .toList(),
                    "no temporary file is left behind");
        }
    }

    private static String nl(String... lines) {
        return String.join(System.lineSeparator(), lines) + System.lineSeparator();
    }

    @Test
    void appendCreateNewAndCharset() throws IOException {
        Path file = dir.resolve("a.txt");
        assertEquals(2, AsyncFiles.write(file, AsyncFlow.of("1", "2")));
        assertEquals(1, AsyncFiles.write(file, AsyncFlow.of("3"), WriteOption.APPEND));
        assertEquals(nl("1", "2", "3"), Files.readString(file));
        UncheckedIOException e = assertThrows(
                UncheckedIOException.class, () -> AsyncFiles.write(file, AsyncFlow.of("x"), WriteOption.CREATE_NEW));
        assertInstanceOf(FileAlreadyExistsException.class, e.getCause());
        assertEquals(
                "AsyncFiles.write: cannot open " + file
                        + ": the file already exists and WriteOption.CREATE_NEW was given;"
                        + " drop CREATE_NEW to replace it",
                e.getMessage());
        assertEquals(nl("1", "2", "3"), Files.readString(file), "untouched");
        AsyncFiles.write(file, AsyncFlow.of("é"), StandardCharsets.ISO_8859_1);
        assertEquals(nl("é"), Files.readString(file, StandardCharsets.ISO_8859_1));
        IllegalArgumentException bad = assertThrows(
                IllegalArgumentException.class,
                () -> AsyncFiles.write(file, AsyncFlow.of("x"), WriteOption.APPEND, WriteOption.ATOMIC));
        assertEquals(
                "AsyncFiles.write: options APPEND and ATOMIC cannot be combined (an atomic write replaces the whole file);"
                        + " drop one of them",
                bad.getMessage());
    }

    @Test
    void atomicReplacesOnSuccessAndLeavesTheTargetUntouchedOnFailure() throws IOException {
        Path file = Files.writeString(dir.resolve("state.txt"), "old\n");
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-r--"));
        AsyncFlow<String> failing = AsyncFlow.generate(out -> {
            for (int i = 0; i < 100_000; i++) {
                out.emit("new " + i); // well past the 64 Ki buffer: bytes reached the temporary file
            }
            throw new IOException("disk on fire");
        });
        UncheckedIOException e =
                assertThrows(UncheckedIOException.class, () -> AsyncFiles.write(file, failing, WriteOption.ATOMIC));
        assertEquals("disk on fire", e.getCause().getMessage());
        assertEquals("old\n", Files.readString(file), "a failed atomic write leaves the old content");
        assertEquals(3, AsyncFiles.write(file, AsyncFlow.of("a", "b", "c"), WriteOption.ATOMIC));
        assertEquals(nl("a", "b", "c"), Files.readString(file));
        assertEquals(
                "rw-rw-r--",
                java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
                "the replaced file keeps its permissions");
        AsyncFiles.writeString(file, "whole", WriteOption.ATOMIC);
        assertEquals("whole", Files.readString(file));
    }

    @Test
    void atomicLeavesTheTargetUntouchedWhenCancelled() throws IOException {
        Path file = Files.writeString(dir.resolve("state.txt"), "old\n");
        VirtualTime.run(scope -> {
            Task<Void> writer = scope.launch(() -> AsyncFiles.write(
                    file,
                    AsyncFlow.range(0, 1_000_000)
                            .map(i -> "line " + i + "x".repeat(100))
                            .onEach(i -> Suspend.delay(100)),
                    WriteOption.ATOMIC));
            scope.advanceTimeBy(200_000);
            assertTrue(writer.isActive());
            try (var files = Files.list(dir)) {
                assertEquals(
                        1,
                        files.filter(p -> p.toString().endsWith(".tmp")).count(),
                        "2,000 long lines went to a temporary file");
            }
            writer.cancel();
            writer.join();
        });
        assertEquals("old\n", Files.readString(file), "a cancelled atomic write leaves the old content");
    }

    @Test
    void writeBytesAndWriteString() throws IOException {
        Path file = dir.resolve("b.bin");
        byte[] big = new byte[200_000];
        new java.util.Random(1).nextBytes(big);
        assertEquals(200_003, AsyncFiles.writeBytes(file, AsyncFlow.of(new byte[] {1}, big, new byte[] {2, 3})));
        byte[] back = Files.readAllBytes(file);
        assertEquals(200_003, back.length);
        assertEquals(1, back[0]);
        assertEquals(big[199_999], back[200_000]);
        assertEquals(3, back[200_002]);
        Path copy = dir.resolve("copy.bin");
        assertEquals(200_003, AsyncFiles.writeBytes(copy, AsyncFiles.chunks(file, 4096), WriteOption.CREATE_NEW));
        assertTrue(java.util.Arrays.equals(back, Files.readAllBytes(copy)));
        AsyncFiles.writeString(dir.resolve("s.txt"), "x😀");
        AsyncFiles.writeString(dir.resolve("s.txt"), "y", WriteOption.APPEND);
        assertEquals("x😀y", Files.readString(dir.resolve("s.txt")));
    }

    /** The article's {@code async with aiofiles.open(...) as f: await f.write(...)}, inside a coroutine. */
    @Test
    void asyncWriterInsideACoroutineBody() throws IOException {
        Path file = dir.resolve("out.txt");
        VirtualTime.run(scope -> {
            try (AsyncWriter w = AsyncFiles.open(file)) {
                w.write("Line 1\n");
                w.flush();
                assertEquals("Line 1\n", Files.readString(file), "flushed: on disk before close");
                Suspend.delay(1_000); // virtual time applies inside the writer's block
                w.write("Line 2 " + "😀".repeat(40_000) + "\n");
            }
            assertEquals(1_000, scope.currentTime());
        });
        assertEquals("Line 1\nLine 2 " + "😀".repeat(40_000) + "\n", Files.readString(file));
        AsyncWriter closed = AsyncFiles.open(file, WriteOption.APPEND);
        closed.close();
        closed.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> closed.write("late"));
        assertEquals("AsyncWriter for " + file + " is closed; open a new one with AsyncFiles.open", e.getMessage());
    }

    @Test
    void atomicWriterAbortKeepsTheOldContent() throws IOException {
        Path file = Files.writeString(dir.resolve("w.txt"), "old");
        AsyncWriter w = AsyncFiles.open(file, WriteOption.ATOMIC);
        w.write("new");
        w.flush();
        assertEquals("old", Files.readString(file), "not visible before close");
        w.abort();
        assertEquals("old", Files.readString(file));
        try (AsyncWriter ok = AsyncFiles.open(file, WriteOption.ATOMIC)) {
            ok.write("new");
        }
        assertEquals("new", Files.readString(file));
    }

    @Test
    void aLoneSurrogateFailsClearly() {
        Path file = dir.resolve("s.txt");
        UncheckedIOException e =
                assertThrows(UncheckedIOException.class, () -> AsyncFiles.writeString(file, "a\uD800b"));
        assertInstanceOf(java.nio.charset.CharacterCodingException.class, e.getCause());
        assertTrue(
                e.getMessage().startsWith("AsyncWriter.write: " + file + ": text not encodable in UTF-8"),
                e.getMessage());
    }
}
