package dev.coflow.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coflow.bridge.Task;
import dev.coflow.test.CoflowExtension;
import dev.coflow.test.VirtualTime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link AsyncFiles#follow} in virtual time: the test appends to the file with plain Java, moves
 * the virtual clock past a poll, and sees exactly the lines appended, never before the poll.
 */
class FollowTest {
    @RegisterExtension
    static final CoflowExtension COFLOW = CoflowExtension.withLeakGrace(Duration.ZERO);

    @TempDir
    Path dir;

    @AfterEach
    void everythingClosed() {
        assertEquals(0, AsyncFiles.openFiles(), "a file is still open");
    }

    static void append(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void appendAdvanceTheClockSeeTheLine() throws IOException {
        Path log = Files.writeString(dir.resolve("app.log"), "old 1\nold 2\n");
        List<String> seen = new CopyOnWriteArrayList<>();
        VirtualTime.run(scope -> {
            Task<Void> tail = scope.launch(() -> AsyncFiles.follow(log).forEach(seen::add));
            scope.advanceTimeBy(1);
            assertEquals(List.of(), seen, "starts at the end: the old lines are not emitted");
            append(log, "new 1\nnew ");
            scope.advanceTimeBy(100);
            assertEquals(List.of(), seen, "no poll yet (the interval is 250 ms)");
            scope.advanceTimeBy(200);
            assertEquals(List.of("new 1"), seen, "seen at the first poll; the unfinished line waits");
            append(log, "2\r\nnew 3\n");
            scope.advanceTimeBy(250);
            assertEquals(List.of("new 1", "new 2", "new 3"), seen);
            assertTrue(tail.isActive(), "follow ends only when cancelled");
            tail.cancel();
        });
    }

    @Test
    void fromBeginningEmitsTheExistingLinesFirst() throws IOException {
        Path log = Files.writeString(dir.resolve("app.log"), "\uFEFFold 1\nold 2\n");
        List<String> seen = VirtualTime.call(scope -> {
            Task<List<String>> tail = scope.taskScope()
                    .async(() -> AsyncFiles.follow(log, FollowOptions.defaults().fromBeginning())
                            .take(3)
                            .toList());
            scope.advanceTimeBy(10);
            append(log, "new\n");
            return tail.await();
        });
        assertEquals(List.of("old 1", "old 2", "new"), seen);
    }

    @Test
    void survivesRotationByRenameAndRecreate() throws IOException {
        Path log = Files.writeString(dir.resolve("app.log"), "");
        List<String> seen = new CopyOnWriteArrayList<>();
        VirtualTime.run(scope -> {
            Task<Void> tail = scope.launch(() -> AsyncFiles.follow(log).forEach(seen::add));
            scope.advanceTimeBy(1);
            append(log, "before rotation\nlast of old");
            scope.advanceTimeBy(250);
            Files.move(log, dir.resolve("app.log.1"));
            append(dir.resolve("app.log.1"), " file\n"); // a late write to the old file is still read
            append(log, "first of new\n");
            scope.advanceTimeBy(250);
            assertEquals(List.of("before rotation", "last of old file", "first of new"), seen);
            append(log, "second of new\n");
            scope.advanceTimeBy(250);
            assertEquals("second of new", seen.get(seen.size() - 1));
            assertEquals(4, seen.size());
            tail.cancel();
        });
    }

    @Test
    void truncationStartsAgainFromZero() throws IOException {
        Path log = Files.writeString(dir.resolve("app.log"), "");
        List<String> seen = new CopyOnWriteArrayList<>();
        VirtualTime.run(scope -> {
            Task<Void> tail = scope.launch(() -> AsyncFiles.follow(log).forEach(seen::add));
            scope.advanceTimeBy(1);
            append(log, "a long first line\n");
            scope.advanceTimeBy(250);
            Files.writeString(log, "b\n", StandardOpenOption.TRUNCATE_EXISTING);
            scope.advanceTimeBy(250);
            assertEquals(List.of("a long first line", "b"), seen);
            tail.cancel();
        });
    }

    @Test
    void aDeletedFileThatNeverComesBackFailsAfterTheGracePeriod() throws IOException {
        Path log = Files.writeString(dir.resolve("app.log"), "");
        FollowOptions options = FollowOptions.defaults()
                .withPollInterval(Duration.ofMillis(100))
                .withDeletedGrace(Duration.ofSeconds(2));
        long[] failedAt = new long[1];
        UncheckedIOException e = assertThrows(
                UncheckedIOException.class,
                () -> VirtualTime.run(scope -> {
                    Task<Void> tail = scope.launch(() -> {
                        try {
                            AsyncFiles.follow(log, options).forEach(line -> {});
                        } finally {
                            failedAt[0] = scope.currentTime();
                        }
                    });
                    scope.advanceTimeBy(50);
                    Files.delete(log);
                    tail.join();
                }));
        assertInstanceOf(NoSuchFileException.class, e.getCause());
        assertEquals(
                "AsyncFiles.follow: " + log + " was deleted and did not come back within PT2S;"
                        + " raise FollowOptions.withDeletedGrace if it is rotated slowly",
                e.getMessage());
        assertEquals(2100, failedAt[0], "first seen missing at the poll of 100 ms, failed at the poll 2 s later");
    }

    @Test
    void aFileThatComesBackWithinTheGraceIsFollowedAgain() throws IOException {
        Path log = Files.writeString(dir.resolve("app.log"), "");
        List<String> seen = new CopyOnWriteArrayList<>();
        VirtualTime.run(scope -> {
            Task<Void> tail = scope.launch(() -> AsyncFiles.follow(log).forEach(seen::add));
            scope.advanceTimeBy(1);
            Files.delete(log);
            scope.advanceTimeBy(5_000);
            append(log, "back\n");
            scope.advanceTimeBy(250);
            assertEquals(List.of("back"), seen);
            tail.cancel();
        });
    }

    @Test
    void aMissingFileFailsAtOnceWithNoSuchFileAsTheCause() {
        Path missing = dir.resolve("nope.log");
        UncheckedIOException e = assertThrows(
                UncheckedIOException.class, () -> AsyncFiles.follow(missing).first());
        assertInstanceOf(NoSuchFileException.class, e.getCause());
        assertTrue(
                e.getMessage().startsWith("AsyncFiles.follow: cannot open " + missing + ": no such file"),
                e.getMessage());
    }

    @Test
    void optionsAreCheckedWhenMade() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> FollowOptions.defaults().withPollInterval(Duration.ZERO));
        assertEquals(
                "FollowOptions.withPollInterval: interval must be >= 1 ms, was PT0S; e.g. Duration.ofMillis(250)",
                e.getMessage());
        assertThrows(
                IllegalArgumentException.class, () -> FollowOptions.defaults().withDeletedGrace(Duration.ofMillis(-1)));
        assertThrows(NullPointerException.class, () -> AsyncFiles.follow(dir, null));
    }
}
