package dev.coflow.io;

import dev.coflow.AsyncFlow;
import dev.coflow.bridge.Suspend;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Files as flows: read lazily, one line or one chunk at a time, and write a flow of lines. Each
 * collection opens the file afresh and closes it when the collection ends, fails or is cancelled
 * ({@code take}, {@code first}, a failing consumer), before the terminal returns. I/O errors reach
 * blocking terminals as {@link UncheckedIOException} with the original {@link IOException} as the
 * cause. Python counterpart: {@code aiofiles}; kotlinx has none.
 *
 * {@snippet :
 * long errors = AsyncFiles.lines(Path.of("app.log"))
 *         .filter(line -> line.contains("ERROR"))
 *         .count();                                    // constant memory, any file size
 * }
 */
public final class AsyncFiles {
    /** Files opened by this class and not yet closed; package-private so tests can check closure. */
    static final AtomicInteger OPEN = new AtomicInteger();

    private AsyncFiles() {}

    /**
     * The lines of a UTF-8 text file, read lazily (the whole file is never in memory). The file
     * is opened when the flow is collected. Reading blocks the generator body's own thread (a
     * virtual thread, or the collecting thread), never a kotlinx dispatcher thread.
     *
     * @param path the file
     * @return a cold flow of lines, without line terminators
     */
    public static AsyncFlow<String> lines(Path path) {
        return lines(path, StandardCharsets.UTF_8);
    }

    /**
     * The lines of a text file in the given charset, read lazily; see {@link #lines(Path)}.
     *
     * @param path the file
     * @param charset its encoding
     * @return a cold flow of lines, without line terminators
     */
    public static AsyncFlow<String> lines(Path path, Charset charset) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(charset, "charset");
        return AsyncFlow.generate(emitter -> {
            BufferedReader reader = opened(Files.newBufferedReader(path, charset));
            try (reader) {
                String line;
                while ((line = reader.readLine()) != null) {
                    emitter.emit(line);
                }
            } finally {
                OPEN.decrementAndGet();
            }
        });
    }

    /**
     * The bytes of a file in chunks of {@code size} bytes (the last one may be shorter), read with
     * an {@link AsynchronousFileChannel} whose reads are awaited without blocking a thread. Each
     * chunk is a fresh array that the collector may keep.
     *
     * {@snippet :
     * MessageDigest sha = MessageDigest.getInstance("SHA-256");
     * AsyncFiles.chunks(path, 64 * 1024).forEach(sha::update);
     * }
     *
     * @param path the file
     * @param size the chunk size in bytes, {@code >= 1}
     * @return a cold flow of chunks; empty for an empty file
     * @throws IllegalArgumentException if {@code size < 1}
     */
    public static AsyncFlow<byte[]> chunks(Path path, int size) {
        Objects.requireNonNull(path, "path");
        if (size < 1) {
            throw new IllegalArgumentException("size must be >= 1 byte, was " + size + "; e.g. 64 * 1024");
        }
        return AsyncFlow.generate(emitter -> {
            AsynchronousFileChannel channel = opened(AsynchronousFileChannel.open(path, StandardOpenOption.READ));
            try (channel) {
                ByteBuffer buffer = ByteBuffer.allocate(size);
                long position = 0;
                while (true) {
                    buffer.clear();
                    int n = 0;
                    int read;
                    // fill the buffer so every chunk but the last has exactly size bytes
                    while (buffer.hasRemaining() && (read = Suspend.await(read(channel, buffer, position + n))) >= 0) {
                        n += read;
                    }
                    if (n == 0) {
                        break;
                    }
                    emitter.emit(Arrays.copyOf(buffer.array(), n));
                    position += n;
                    if (n < size) {
                        break;
                    }
                }
            } finally {
                OPEN.decrementAndGet();
            }
        });
    }

    /**
     * Writes each line of {@code lines} followed by a line separator to a UTF-8 file, creating it
     * or replacing its content, and returns the number of lines written. A terminal operation:
     * blocks until the flow completes (inside a coroutine body it suspends instead). The file is
     * closed in every case; after a failure it holds the lines written so far. The writes run in
     * the collecting coroutine, which from plain Java is the calling thread: call it from a plain
     * (preferably virtual) thread rather than from inside a coroutine body on a shared dispatcher.
     *
     * {@snippet :
     * long n = AsyncFiles.write(Path.of("overdue.txt"), books.filter(Book::isOverdue).map(Book::title));
     * }
     *
     * @param path the file
     * @param lines the lines to write
     * @return how many lines were written
     * @throws UncheckedIOException if the file cannot be opened or written
     */
    public static long write(Path path, AsyncFlow<String> lines) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(lines, "lines");
        long[] count = new long[1];
        try {
            BufferedWriter writer = opened(Files.newBufferedWriter(path, StandardCharsets.UTF_8));
            try (writer) {
                lines.forEach(line -> {
                    writer.write(line);
                    writer.newLine();
                    count[0]++;
                });
            } finally {
                OPEN.decrementAndGet();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("write " + path + ": " + e.getMessage(), e);
        }
        return count[0];
    }

    /** Number of files opened here and not closed yet: a leak check for tests. */
    static int openFiles() {
        return OPEN.get();
    }

    private static <C extends AutoCloseable> C opened(C resource) {
        OPEN.incrementAndGet();
        return resource;
    }

    private static CompletableFuture<Integer> read(AsynchronousFileChannel channel, ByteBuffer buffer, long position) {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        channel.read(buffer, position, null, new CompletionHandler<Integer, Void>() {
            @Override
            public void completed(Integer result, Void attachment) {
                f.complete(result);
            }

            @Override
            public void failed(Throwable exc, Void attachment) {
                f.completeExceptionally(exc);
            }
        });
        return f;
    }
}
