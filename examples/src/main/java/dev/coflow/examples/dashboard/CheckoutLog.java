package dev.coflow.examples.dashboard;

import dev.coflow.AsyncFlow;
import dev.coflow.io.AsyncFiles;
import dev.coflow.io.FollowOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The checkout log: a text file in a temporary directory of its own, one
 * {@linkplain LibraryEvent#toLogLine() line} per event, appended by the simulation and followed
 * live ({@link AsyncFiles#follow}); closing it deletes the directory.
 */
final class CheckoutLog implements AutoCloseable {
    private final Path dir;
    private final Path file;

    private CheckoutLog(Path dir, Path file) {
        this.dir = dir;
        this.file = file;
    }

    static CheckoutLog create() throws IOException {
        Path dir = Files.createTempDirectory("coflow-dashboard-");
        return new CheckoutLog(dir, Files.createFile(dir.resolve("checkouts.log")));
    }

    Path dir() {
        return dir;
    }

    Path file() {
        return file;
    }

    /** The lines appended from now on (and those already there), until cancelled. */
    AsyncFlow<LibraryEvent> follow() {
        return AsyncFiles.follow(file, FollowOptions.defaults().fromBeginning().withPollInterval(Duration.ofMillis(50)))
                .map(LibraryEvent::parse);
    }

    /** The whole log as it is now, read lazily. */
    AsyncFlow<LibraryEvent> read() {
        return AsyncFiles.lines(file).map(LibraryEvent::parse);
    }

    /** Deletes the log and its directory. */
    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the checkout log " + dir, e);
        }
    }
}
