package dev.coflow.io;

import dev.coflow.AsyncFlow;
import dev.coflow.bridge.Suspend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * {@link AsyncFiles#follow}: a poll loop on the coroutine's clock. Each round reads everything
 * appended since the last one (emitting complete lines; an unfinished last line waits for its
 * terminator), then looks at the path: a different file there (another file key: rotation by
 * rename and re-creation) means the old file is read to its end, its unfinished line emitted, and
 * the new one read from byte 0; a file shorter than the position read (truncation) is read again
 * from byte 0; no file there starts the grace period, after which the flow fails.
 */
final class Follow {
    private static final String OP = "AsyncFiles.follow";

    private Follow() {}

    static AsyncFlow<String> follow(Path path, FollowOptions options) {
        long poll = options.pollInterval.toMillis();
        long grace = options.deletedGrace.toMillis();
        return AsyncFlow.generate(emitter -> {
            FileChannel[] holder = new FileChannel[1];
            try {
                FileChannel ch = Reading.open(OP, path, holder);
                Object key = Io.blocking(() -> fileKey(path));
                long position = options.fromBeginning ? 0 : Io.blocking(ch::size);
                LineDecoder decoder = new LineDecoder(options.charset, CodingErrorAction.REPORT, path.toString());
                Consumer<String> sink = emitter::emit;
                long missingSince = -1;
                while (true) {
                    position = readAvailable(ch, position, decoder, sink);
                    long at = position;
                    FileChannel current = ch;
                    Object[] seen = Io.blocking(() -> look(path, current, at));
                    if (seen == null) {
                        long now = Suspend.clockMillis();
                        if (missingSince < 0) {
                            missingSince = now;
                        }
                        if (now - missingSince >= grace) {
                            throw new UncheckedIOException(
                                    OP + ": " + path + " was deleted and did not come back within "
                                            + options.deletedGrace
                                            + "; raise FollowOptions.withDeletedGrace if it is rotated slowly",
                                    new NoSuchFileException(path.toString()));
                        }
                    } else {
                        missingSince = -1;
                        if (!Objects.equals(seen[0], key)) {
                            // rotated: the old file is read to its end above; its unfinished line is a line
                            if (decoder.holdsInput()) {
                                decoder.decode(true, sink);
                            }
                            Reading.close(holder);
                            ch = Reading.open(OP, path, holder);
                            key = Io.blocking(() -> fileKey(path));
                            position = 0;
                            decoder.restart();
                            continue;
                        }
                        if ((Boolean) seen[1]) {
                            position = 0; // truncated: start again
                            decoder.restart();
                            continue;
                        }
                    }
                    Suspend.delay(poll);
                }
            } finally {
                Reading.close(holder);
            }
        });
    }

    /** Reads from {@code position} to the current end of the file, decoding as it goes; returns the new position. */
    private static long readAvailable(FileChannel ch, long position, LineDecoder decoder, Consumer<String> sink) {
        long pos = position;
        while (true) {
            ByteBuffer in = decoder.input();
            long at = pos;
            int n = Io.blocking(() -> ch.read(in, at));
            if (n <= 0) {
                return pos;
            }
            pos += n;
            decoder.decode(false, sink);
        }
    }

    /** {@code null} if nothing is at {@code path}; else its file key and whether the open file shrank below {@code position}. */
    private static Object[] look(Path path, FileChannel ch, long position) throws IOException {
        Object key;
        try {
            key = fileKey(path);
        } catch (NoSuchFileException e) {
            return null;
        }
        return new Object[] {key, ch.size() < position};
    }

    private static Object fileKey(Path path) throws IOException {
        BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
        Object key = a.fileKey();
        return key != null ? key : a.creationTime();
    }
}
