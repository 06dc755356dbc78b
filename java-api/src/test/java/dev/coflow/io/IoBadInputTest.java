package dev.coflow.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.coflow.AsyncFlow;
import dev.coflow.test.CoflowExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Bad input for every reader and writer: a missing file, a directory, no permission; each message names the file and the fix. */
class IoBadInputTest {
    @RegisterExtension
    static final CoflowExtension COFLOW = CoflowExtension.withLeakGrace(Duration.ZERO);

    @TempDir
    Path dir;

    @AfterEach
    void everythingClosed() {
        assertEquals(0, AsyncFiles.openFiles(), "a file is still open");
    }

    private List<Executable> readers(Path p) {
        return List.of(
                () -> AsyncFiles.lines(p).count(),
                () -> AsyncFiles.chunks(p, 10).count(),
                () -> AsyncFiles.readString(p),
                () -> AsyncFiles.readAllBytes(p),
                () -> AsyncFiles.follow(p).first());
    }

    private static final List<String> READERS = List.of("lines", "chunks", "readString", "readAllBytes", "follow");

    @Test
    void aMissingFileHasNoSuchFileExceptionAsTheCause() {
        Path missing = dir.resolve("missing.txt");
        List<Executable> calls = readers(missing);
        for (int i = 0; i < calls.size(); i++) {
            UncheckedIOException e = assertThrows(UncheckedIOException.class, calls.get(i));
            assertInstanceOf(NoSuchFileException.class, e.getCause());
            assertEquals(
                    "AsyncFiles." + READERS.get(i) + ": cannot open " + missing + ": no such file; check the path"
                            + " (relative paths resolve against " + Path.of("").toAbsolutePath() + ")",
                    e.getMessage());
        }
        UncheckedIOException w = assertThrows(
                UncheckedIOException.class,
                () -> AsyncFiles.write(dir.resolve("no/such/dir/x.txt"), AsyncFlow.of("a")));
        assertInstanceOf(NoSuchFileException.class, w.getCause());
    }

    @Test
    void aDirectoryIsNotAFile() {
        List<Executable> calls = new java.util.ArrayList<>(readers(dir));
        List<String> names = new java.util.ArrayList<>(READERS);
        calls.add(() -> AsyncFiles.write(dir, AsyncFlow.of("a")));
        names.add("write");
        calls.add(() -> AsyncFiles.open(dir));
        names.add("open");
        for (int i = 0; i < calls.size(); i++) {
            UncheckedIOException e = assertThrows(UncheckedIOException.class, calls.get(i));
            assertEquals(
                    "AsyncFiles." + names.get(i) + ": " + dir
                            + " is a directory, not a file; pass the path of a file in it",
                    e.getMessage());
        }
    }

    @Test
    void noPermission() throws IOException {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "s");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
        // root (CAP_DAC_OVERRIDE) reads any file whatever its mode: there is no permission failure to observe
        Assumptions.assumeFalse(
                Files.isReadable(secret),
                "skipped: this process can read a file with mode 000 (running as root), so permission denial cannot happen");
        Supplier<String> message = () -> "AsyncFiles.lines: cannot open " + secret
                + ": permission denied; check the file's permissions and the user this runs as";
        UncheckedIOException e = assertThrows(
                UncheckedIOException.class, () -> AsyncFiles.lines(secret).count());
        assertInstanceOf(AccessDeniedException.class, e.getCause());
        assertEquals(message.get(), e.getMessage());
    }

    @Test
    void argumentsAreCheckedAtOnce() {
        assertEquals(
                "AsyncFiles.lines: path",
                assertThrows(NullPointerException.class, () -> AsyncFiles.lines(null))
                        .getMessage());
        assertEquals(
                "AsyncFiles.write: options must not contain null",
                assertThrows(
                                NullPointerException.class,
                                () -> AsyncFiles.write(dir, AsyncFlow.of("a"), (WriteOption) null))
                        .getMessage());
        assertEquals(
                "ByteFlows.fromInputStream: chunkSize must be >= 1 byte, was 0; e.g. 8192",
                assertThrows(IllegalArgumentException.class, () -> ByteFlows.fromInputStream(() -> null, 0))
                        .getMessage());
    }
}
