package dev.coflow.io;

import dev.coflow.bridge.Coroutines;
import dev.coflow.bridge.Suspend;
import dev.coflow.bridge.SuspendBody;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one way this package performs blocking I/O: as a bridge body on a virtual thread of its own
 * ({@link Coroutines#runSuspendingOnVirtualThread}), awaited by the calling coroutine. So a read
 * never blocks a kotlinx dispatcher thread nor the event loop of a blocking caller (docs/adr/0001
 * path 1), other coroutines of the caller keep running while it is in flight, and the call
 * returns only when the operation has finished (a cancelled caller sees the cancellation at its
 * next suspend-like call, with no read still running on its channel).
 */
final class Io {
    /** Channels and streams opened by this package and not closed yet: a leak check for tests. */
    static final AtomicInteger OPEN = new AtomicInteger();

    private Io() {}

    /**
     * Runs {@code op} on a virtual thread and waits for it, suspending the calling coroutine. It
     * first yields ({@code Suspend.yieldNow}): other coroutines of the same dispatcher get a turn
     * before every operation even where the dispatcher keeps its thread while a body computes (a
     * test dispatcher, docs/semantics.md §8), and a cancelled caller stops here, before the
     * operation, rather than after it.
     */
    static <T> T blocking(SuspendBody<T> op) {
        Suspend.yieldNow();
        return Suspend.call(c -> Coroutines.runSuspendingOnVirtualThread(op, c));
    }

    /** Counts a resource as open; pair with {@link #closed()}. */
    static <C extends AutoCloseable> C opened(C resource) {
        OPEN.incrementAndGet();
        return resource;
    }

    static void closed() {
        OPEN.decrementAndGet();
    }

    /** Fails with a clear message if {@code path} is a directory (opening one for reading succeeds on Linux). */
    static void notADirectory(String op, Path path) {
        if (Files.isDirectory(path)) {
            throw new UncheckedIOException(
                    op + ": " + path + " is a directory, not a file; pass the path of a file in it",
                    new IOException(path + ": is a directory"));
        }
    }

    /**
     * An exception for a failed open of {@code path} by {@code op}, naming the file and the fix,
     * with the JDK's exception as the cause ({@link NoSuchFileException} for a missing file).
     */
    static UncheckedIOException openFailed(String op, Path path, IOException e) {
        String why;
        if (e instanceof NoSuchFileException) {
            why = "no such file; check the path (relative paths resolve against "
                    + Path.of("").toAbsolutePath() + ")";
        } else if (e instanceof AccessDeniedException) {
            why = "permission denied; check the file's permissions and the user this runs as";
        } else if (e instanceof FileAlreadyExistsException) {
            why = "the file already exists and WriteOption.CREATE_NEW was given; drop CREATE_NEW to replace it";
        } else {
            why = e.toString();
        }
        return new UncheckedIOException(op + ": cannot open " + path + ": " + why, e);
    }
}
