package dev.coflow.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.Set;

/**
 * A file being written: the channel, and under {@link WriteOption#ATOMIC} the temporary file that
 * {@link #commit()} moves into place. Every blocking step runs through {@link Io#blocking}; closing
 * and deleting the temporary file ({@link #abort()}) run on the calling thread so that they happen
 * even in a cancelled coroutine.
 */
final class Target {
    final Path path;
    private final Set<WriteOption> options;
    private final Path temp;
    private FileChannel channel;

    private Target(Path path, Set<WriteOption> options, Path temp, FileChannel channel) {
        this.path = path;
        this.options = options;
        this.temp = temp;
        this.channel = channel;
    }

    static Set<WriteOption> options(String op, WriteOption... options) {
        java.util.Objects.requireNonNull(options, op + ": options");
        EnumSet<WriteOption> set = EnumSet.noneOf(WriteOption.class);
        for (WriteOption o : options) {
            set.add(java.util.Objects.requireNonNull(o, op + ": options must not contain null"));
        }
        if (set.contains(WriteOption.APPEND) && set.contains(WriteOption.ATOMIC)) {
            throw new IllegalArgumentException(
                    op + ": options APPEND and ATOMIC cannot be combined (an atomic write replaces"
                            + " the whole file); drop one of them");
        }
        return set;
    }

    /** Opens the target (or its temporary sibling) on a virtual thread; the result lands in {@code holder[0]}. */
    static Target open(String op, Path path, Set<WriteOption> options, Target[] holder) {
        return Io.blocking(() -> {
            Io.notADirectory(op, path);
            try {
                if (options.contains(WriteOption.ATOMIC)) {
                    if (options.contains(WriteOption.CREATE_NEW) && Files.exists(path)) {
                        throw new FileAlreadyExistsException(path.toString());
                    }
                    Path dir = path.toAbsolutePath().getParent();
                    Path temp = Files.createTempFile(dir, "." + path.getFileName() + ".", ".tmp");
                    try {
                        keepPermissions(path, temp);
                        holder[0] = new Target(
                                path, options, temp, Io.opened(FileChannel.open(temp, StandardOpenOption.WRITE)));
                    } catch (IOException | RuntimeException e) {
                        Files.deleteIfExists(temp);
                        throw e;
                    }
                } else {
                    Set<OpenOption> open = new java.util.HashSet<>();
                    open.add(StandardOpenOption.WRITE);
                    if (options.contains(WriteOption.CREATE_NEW)) {
                        open.add(StandardOpenOption.CREATE_NEW);
                    } else {
                        open.add(StandardOpenOption.CREATE);
                    }
                    open.add(
                            options.contains(WriteOption.APPEND)
                                    ? StandardOpenOption.APPEND
                                    : StandardOpenOption.TRUNCATE_EXISTING);
                    holder[0] = new Target(path, options, null, Io.opened(FileChannel.open(path, open)));
                }
            } catch (java.nio.file.FileSystemException e) {
                throw Io.openFailed(op, path, e);
            }
            return holder[0];
        });
    }

    /** The replaced file keeps its POSIX permissions (a temporary file starts as owner-only). */
    private static void keepPermissions(Path target, Path temp) throws IOException {
        if (Files.exists(target)) {
            try {
                Files.setPosixFilePermissions(temp, Files.getPosixFilePermissions(target));
            } catch (UnsupportedOperationException notPosix) {
                // nothing to keep on this file system
            }
        }
    }

    /** Writes all of {@code buffer} (on a virtual thread). */
    void write(ByteBuffer buffer) {
        FileChannel ch = channel;
        if (ch == null) {
            throw new IllegalStateException("write to " + path + " after close; write before closing the writer");
        }
        Io.blocking(() -> {
            while (buffer.hasRemaining()) {
                ch.write(buffer);
            }
            return null;
        });
    }

    /** Closes the channel and, under ATOMIC, moves the temporary file into place (forced to disk first). */
    void commit() throws IOException {
        FileChannel ch = channel;
        if (ch == null) {
            return;
        }
        if (temp == null) {
            closeChannel();
            return;
        }
        try {
            Io.blocking(() -> {
                ch.force(true);
                try {
                    Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING);
                }
                return null;
            });
        } finally {
            abort();
        }
    }

    /** Closes the channel and deletes the temporary file, if any; never throws for the delete. */
    void abort() throws IOException {
        try {
            closeChannel();
        } finally {
            if (temp != null) {
                Files.deleteIfExists(temp);
            }
        }
    }

    boolean atomic() {
        return temp != null;
    }

    boolean isOpen() {
        return channel != null;
    }

    private void closeChannel() throws IOException {
        FileChannel ch = channel;
        if (ch != null) {
            channel = null;
            Io.closed();
            ch.close();
        }
    }
}
