package dev.coflow.io;

import dev.coflow.AsyncFlow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Files as flows: read lazily, one line or one chunk at a time, tail a growing file, and write a
 * flow of lines or bytes (atomically if asked). Each collection opens the file afresh and closes
 * it when the collection ends, fails or is cancelled ({@code take}, {@code first}, a failing
 * consumer, a cancelled scope), before the terminal returns. Python counterpart: {@code aiofiles};
 * kotlinx has none. The long form, with the rules for line endings and bad input, is
 * {@code docs/io.md}.
 *
 * <p><b>Threads.</b> Every blocking file operation (open, read, write, move) runs as a bridge body
 * on a virtual thread of its own, awaited by the collecting coroutine: it never blocks a kotlinx
 * dispatcher thread nor the event loop of a blocking caller, and other coroutines of the same
 * scope keep running while it is in flight (docs/semantics.md §6). Reads are 64 KiB at a time, so
 * the cost of that hop is spread over many lines. The waits of {@link #follow} are on the
 * coroutine's clock (virtual time in tests, docs/semantics.md §8).
 *
 * <p><b>Errors.</b> They reach blocking terminals as {@link UncheckedIOException} (docs/semantics.md
 * §5) whose message names the operation, the file and the fix, with the JDK's exception as the
 * cause: {@link java.nio.file.NoSuchFileException} for a missing file,
 * {@link java.nio.file.AccessDeniedException} without permission, a {@link MalformedTextException}
 * (with the byte offset) for bytes that are not valid text. Argument checks throw at once.
 *
 * {@snippet :
 * long errors = AsyncFiles.lines(Path.of("app.log"))
 *         .filter(line -> line.contains("ERROR"))
 *         .count();                                    // constant memory, any file size
 * }
 */
public final class AsyncFiles {
    /** Files opened by this package and not yet closed; package-private so tests can check closure. */
    static final AtomicInteger OPEN = Io.OPEN;

    private AsyncFiles() {}

    // ---- reading -----------------------------------------------------------------------------------

    /**
     * The lines of a UTF-8 text file, read lazily in bounded memory (64 KiB of bytes, 64 Ki chars,
     * plus the longest line). A line ends at {@code \n}, {@code \r\n} or a lone {@code \r}, as
     * with {@code BufferedReader.readLine}; a last line without a terminator is a line, a
     * terminator at the very end adds no empty line; a leading byte order mark is dropped; a
     * character split between two reads is decoded whole. Malformed UTF-8 fails the flow with a
     * {@link MalformedTextException} (the cause of the {@link UncheckedIOException}) naming the
     * file and the byte offset; {@link #lines(Path, Charset, CodingErrorAction)} can replace it.
     *
     * {@snippet :
     * List<String> firstTen = AsyncFiles.lines(Path.of("big.csv")).take(10).toList();   // reads 64 KiB, closes
     * }
     *
     * <p>kotlinx counterpart: none; Java's {@code Files.lines}, Python's {@code async for line in f}.
     *
     * @param path the file
     * @return a cold flow of lines, without line terminators
     */
    public static AsyncFlow<String> lines(Path path) {
        return lines(path, StandardCharsets.UTF_8);
    }

    /**
     * The lines of a text file in the given charset; see {@link #lines(Path)}. A leading U+FEFF is
     * dropped for the UTF charsets only.
     *
     * @param path the file
     * @param charset its encoding
     * @return a cold flow of lines, without line terminators
     */
    public static AsyncFlow<String> lines(Path path, Charset charset) {
        return lines(path, charset, CodingErrorAction.REPORT);
    }

    /**
     * The lines of a text file, with a choice for bytes that are not valid in {@code charset}:
     * {@link CodingErrorAction#REPORT} fails (as {@link #lines(Path, Charset)}),
     * {@code REPLACE} puts U+FFFD in their place, {@code IGNORE} drops them.
     *
     * {@snippet :
     * AsyncFiles.lines(Path.of("legacy.log"), UTF_8, CodingErrorAction.REPLACE).forEach(System.out::println);
     * }
     *
     * @param path the file
     * @param charset its encoding
     * @param onMalformed what to do with malformed or unmappable input
     * @return a cold flow of lines, without line terminators
     */
    public static AsyncFlow<String> lines(Path path, Charset charset, CodingErrorAction onMalformed) {
        Objects.requireNonNull(path, "AsyncFiles.lines: path");
        Objects.requireNonNull(charset, "AsyncFiles.lines: charset");
        Objects.requireNonNull(onMalformed, "AsyncFiles.lines: onMalformed");
        return Reading.lines(path, charset, onMalformed);
    }

    /**
     * The whole of a UTF-8 text file as a string (a leading byte order mark dropped; malformed
     * input fails as in {@link #lines(Path)}). A suspend-like terminal: inside a coroutine body it
     * suspends while a virtual thread reads; from plain Java it blocks. For files that fit in
     * memory; stream bigger ones with {@link #lines(Path)}.
     *
     * {@snippet :
     * String config = AsyncFiles.readString(Path.of("config.json"));   // await f.read()
     * }
     *
     * <p>kotlinx counterpart: none; {@code Files.readString}.
     *
     * @param path the file
     * @return its text
     * @throws UncheckedIOException if it cannot be read or is not valid UTF-8
     */
    public static String readString(Path path) {
        return readString(path, StandardCharsets.UTF_8);
    }

    /**
     * The whole of a text file in {@code charset}; see {@link #readString(Path)}.
     *
     * @param path the file
     * @param charset its encoding
     * @return its text
     * @throws UncheckedIOException if it cannot be read or is not valid in {@code charset}
     */
    public static String readString(Path path, Charset charset) {
        Objects.requireNonNull(path, "AsyncFiles.readString: path");
        Objects.requireNonNull(charset, "AsyncFiles.readString: charset");
        return Reading.readString(path, charset, CodingErrorAction.REPORT);
    }

    /**
     * The whole of a file as bytes. A suspend-like terminal, like {@link #readString(Path)}.
     *
     * {@snippet :
     * byte[] png = AsyncFiles.readAllBytes(Path.of("logo.png"));
     * }
     *
     * <p>kotlinx counterpart: none; {@code Files.readAllBytes}.
     *
     * @param path the file
     * @return its bytes
     * @throws UncheckedIOException if it cannot be read
     */
    public static byte[] readAllBytes(Path path) {
        Objects.requireNonNull(path, "AsyncFiles.readAllBytes: path");
        return Reading.readAllBytes("AsyncFiles.readAllBytes", path);
    }

    /**
     * The bytes of a file in chunks of {@code size} bytes (the last one may be shorter). Each
     * chunk is a fresh array that the collector may keep. Reads are 64 KiB (or {@code size}, if
     * larger) at a time, on a virtual thread.
     *
     * {@snippet :
     * MessageDigest sha = MessageDigest.getInstance("SHA-256");
     * AsyncFiles.chunks(path, 64 * 1024).forEach(sha::update);
     * }
     *
     * <p>kotlinx counterpart: none; Reactor's {@code DataBufferUtils.read}.
     *
     * @param path the file
     * @param size the chunk size in bytes, {@code >= 1}
     * @return a cold flow of chunks; empty for an empty file
     * @throws IllegalArgumentException if {@code size < 1}
     */
    public static AsyncFlow<byte[]> chunks(Path path, int size) {
        Objects.requireNonNull(path, "AsyncFiles.chunks: path");
        if (size < 1) {
            throw new IllegalArgumentException("size must be >= 1 byte, was " + size + "; e.g. 64 * 1024");
        }
        return Reading.chunks(path, size);
    }

    /**
     * Tails a growing UTF-8 file, like {@code tail -F}: the lines appended after the collection
     * starts, as they are completed; see {@link #follow(Path, FollowOptions)}.
     *
     * {@snippet :
     * AsyncFiles.follow(Path.of("app.log"))
     *         .filter(line -> line.contains("ERROR"))
     *         .forEach(dashboard::show);                 // runs until cancelled
     * }
     *
     * @param path the file; it must exist when the collection starts
     * @return a cold flow that ends only when cancelled (or fails)
     */
    public static AsyncFlow<String> follow(Path path) {
        return follow(path, FollowOptions.defaults());
    }

    /**
     * Tails a growing file. Each poll, on the coroutine's clock ({@code Suspend.delay} of the
     * options' interval, virtual time in tests), reads what was appended and emits the completed
     * lines (an unfinished last line waits for its terminator). It survives rotation (the file
     * renamed away and a new one created at the path: the old one is read to its end, its
     * unfinished line emitted, then the new one is read from its start) and truncation (the
     * file shorter than what was read: read again from byte 0). If nothing is at the path for
     * longer than the options' grace period the flow fails with an {@link UncheckedIOException}
     * whose cause is a {@link java.nio.file.NoSuchFileException}. Otherwise it ends only when
     * cancelled ({@code take}, a timeout, the scope), closing the file first. Line rules are
     * those of {@link #lines(Path)}; malformed input fails.
     *
     * {@snippet :
     * AsyncFiles.follow(log, FollowOptions.defaults().fromBeginning().withPollInterval(Duration.ofSeconds(1)))
     *         .takeWhile(line -> !line.equals("DONE"))
     *         .forEach(System.out::println);
     * }
     *
     * <p>kotlinx counterpart: none; a poll loop of {@code flow { while (true) { ...; delay(...) } }}.
     *
     * @param path the file; it must exist when the collection starts (else it fails at once)
     * @param options where to start, how often to poll, the grace period, the charset
     * @return a cold flow that ends only when cancelled (or fails)
     */
    public static AsyncFlow<String> follow(Path path, FollowOptions options) {
        Objects.requireNonNull(path, "AsyncFiles.follow: path");
        Objects.requireNonNull(options, "AsyncFiles.follow: options");
        return Follow.follow(path, options);
    }

    // ---- writing -----------------------------------------------------------------------------------

    /**
     * Writes each line of {@code lines} followed by the platform's line separator to a UTF-8 file,
     * creating it or replacing its content, and returns the number of lines written; see
     * {@link #write(Path, AsyncFlow, Charset, WriteOption...)}.
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
        return write(path, lines, StandardCharsets.UTF_8);
    }

    /**
     * Writes lines to a UTF-8 file with options; see {@link #write(Path, AsyncFlow, Charset, WriteOption...)}.
     *
     * {@snippet :
     * AsyncFiles.write(Path.of("report.txt"), rows.map(Row::toCsv), WriteOption.ATOMIC);
     * }
     *
     * @param path the file
     * @param lines the lines to write
     * @param options {@code APPEND}, {@code CREATE_NEW}, {@code ATOMIC}
     * @return how many lines were written
     */
    public static long write(Path path, AsyncFlow<String> lines, WriteOption... options) {
        return write(path, lines, StandardCharsets.UTF_8, options);
    }

    /**
     * Writes each line of {@code lines} followed by the platform's line separator, and returns the
     * number of lines written. A terminal operation: it collects {@code lines} (blocking from plain
     * Java, suspending inside a coroutine body); text is buffered (64 Ki chars) and written by
     * blocking calls on a virtual thread. The file is closed in every case, before this returns.
     * After a failure or a cancellation the file holds the lines written so far; with
     * {@link WriteOption#ATOMIC} it is untouched instead (the temporary file is deleted).
     *
     * {@snippet :
     * AsyncFiles.write(Path.of("names.txt"), names, StandardCharsets.ISO_8859_1, WriteOption.APPEND);
     * }
     *
     * <p>kotlinx counterpart: none; {@code Files.write(path, lines, charset, options)}.
     *
     * @param path the file
     * @param lines the lines to write
     * @param charset the file's encoding; text it cannot encode fails the write
     * @param options {@code APPEND}, {@code CREATE_NEW}, {@code ATOMIC} ({@code APPEND} with {@code ATOMIC} is refused)
     * @return how many lines were written
     * @throws IllegalArgumentException if the options contradict each other
     * @throws UncheckedIOException if the file cannot be opened or written
     */
    public static long write(Path path, AsyncFlow<String> lines, Charset charset, WriteOption... options) {
        Objects.requireNonNull(path, "AsyncFiles.write: path");
        Objects.requireNonNull(lines, "AsyncFiles.write: lines");
        Objects.requireNonNull(charset, "AsyncFiles.write: charset");
        Set<WriteOption> set = Target.options("AsyncFiles.write", options);
        String separator = System.lineSeparator();
        long[] count = new long[1];
        withWriter(
                "AsyncFiles.write",
                path,
                charset,
                set,
                w -> lines.forEach(line -> {
                    w.write(line);
                    w.write(separator);
                    count[0]++;
                }));
        return count[0];
    }

    /**
     * Writes a flow of byte chunks to a file and returns the number of bytes written; options,
     * threads and failure behaviour as in {@link #write(Path, AsyncFlow, Charset, WriteOption...)}.
     *
     * {@snippet :
     * long copied = AsyncFiles.writeBytes(Path.of("copy.bin"), AsyncFiles.chunks(source, 64 * 1024));
     * }
     *
     * <p>kotlinx counterpart: none; Jox's {@code runToFile}.
     *
     * @param path the file
     * @param chunks the bytes; chunks are read, not kept
     * @param options {@code APPEND}, {@code CREATE_NEW}, {@code ATOMIC}
     * @return how many bytes were written
     */
    public static long writeBytes(Path path, AsyncFlow<byte[]> chunks, WriteOption... options) {
        Objects.requireNonNull(path, "AsyncFiles.writeBytes: path");
        Objects.requireNonNull(chunks, "AsyncFiles.writeBytes: chunks");
        Set<WriteOption> set = Target.options("AsyncFiles.writeBytes", options);
        long[] count = new long[1];
        Target[] holder = new Target[1];
        boolean done = false;
        try {
            Target t = Target.open("AsyncFiles.writeBytes", path, set, holder);
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            chunks.forEach(chunk -> {
                if (chunk.length >= buffer.capacity()) {
                    buffer.flip();
                    t.write(buffer);
                    buffer.clear();
                    t.write(ByteBuffer.wrap(chunk));
                } else {
                    if (chunk.length > buffer.remaining()) {
                        buffer.flip();
                        t.write(buffer);
                        buffer.clear();
                    }
                    buffer.put(chunk);
                }
                count[0] += chunk.length;
            });
            buffer.flip();
            t.write(buffer);
            t.commit();
            done = true;
        } catch (IOException e) {
            throw new UncheckedIOException("AsyncFiles.writeBytes: " + path + ": " + e.getMessage(), e);
        } finally {
            if (!done && holder[0] != null) {
                abortQuietly(holder[0]);
            }
        }
        return count[0];
    }

    /**
     * Writes {@code text} to a UTF-8 file (no separator added). A suspend-like call; options as in
     * {@link #write(Path, AsyncFlow, Charset, WriteOption...)}.
     *
     * {@snippet :
     * AsyncFiles.writeString(Path.of("state.json"), json, WriteOption.ATOMIC);
     * }
     *
     * <p>kotlinx counterpart: none; {@code Files.writeString}.
     *
     * @param path the file
     * @param text the text
     * @param options {@code APPEND}, {@code CREATE_NEW}, {@code ATOMIC}
     */
    public static void writeString(Path path, CharSequence text, WriteOption... options) {
        writeString(path, text, StandardCharsets.UTF_8, options);
    }

    /**
     * Writes {@code text} to a file in {@code charset}; see {@link #writeString(Path, CharSequence, WriteOption...)}.
     *
     * @param path the file
     * @param text the text
     * @param charset the file's encoding
     * @param options {@code APPEND}, {@code CREATE_NEW}, {@code ATOMIC}
     */
    public static void writeString(Path path, CharSequence text, Charset charset, WriteOption... options) {
        Objects.requireNonNull(path, "AsyncFiles.writeString: path");
        Objects.requireNonNull(text, "AsyncFiles.writeString: text");
        Objects.requireNonNull(charset, "AsyncFiles.writeString: charset");
        Set<WriteOption> set = Target.options("AsyncFiles.writeString", options);
        withWriter("AsyncFiles.writeString", path, charset, set, w -> w.write(text));
    }

    /**
     * Opens a UTF-8 file for writing: the article's {@code async with aiofiles.open(path, "w") as f}.
     * A suspend-like call (the file is opened on a virtual thread); see {@link AsyncWriter}.
     *
     * {@snippet :
     * try (AsyncWriter w = AsyncFiles.open(Path.of("out.txt"))) {
     *     w.write("Line 1\n");
     *     w.flush();
     * }
     * }
     *
     * <p>kotlinx counterpart: none; {@code Files.newBufferedWriter}.
     *
     * @param path the file
     * @param options {@code APPEND}, {@code CREATE_NEW}, {@code ATOMIC}
     * @return an open writer; close it
     * @throws UncheckedIOException if the file cannot be opened
     */
    public static AsyncWriter open(Path path, WriteOption... options) {
        return open(path, StandardCharsets.UTF_8, options);
    }

    /**
     * Opens a file for writing text in {@code charset}; see {@link #open(Path, WriteOption...)}.
     *
     * @param path the file
     * @param charset the file's encoding
     * @param options {@code APPEND}, {@code CREATE_NEW}, {@code ATOMIC}
     * @return an open writer; close it
     */
    public static AsyncWriter open(Path path, Charset charset, WriteOption... options) {
        Objects.requireNonNull(path, "AsyncFiles.open: path");
        Objects.requireNonNull(charset, "AsyncFiles.open: charset");
        Set<WriteOption> set = Target.options("AsyncFiles.open", options);
        Target[] holder = new Target[1];
        try {
            return new AsyncWriter(Target.open("AsyncFiles.open", path, set, holder), charset);
        } catch (RuntimeException | Error e) {
            if (holder[0] != null) {
                abortQuietly(holder[0]);
            }
            throw e;
        }
    }

    /** Number of files opened here and not closed yet: a leak check for tests. */
    static int openFiles() {
        return OPEN.get();
    }

    private interface WriterBody {
        void accept(AsyncWriter w);
    }

    /** Runs {@code body} with a writer; commits on success, aborts (closing the file, deleting an atomic temporary) otherwise. */
    private static void withWriter(String op, Path path, Charset charset, Set<WriteOption> set, WriterBody body) {
        Target[] holder = new Target[1];
        AsyncWriter w;
        try {
            w = new AsyncWriter(Target.open(op, path, set, holder), charset);
        } catch (RuntimeException | Error e) {
            if (holder[0] != null) {
                abortQuietly(holder[0]);
            }
            throw e;
        }
        try {
            body.accept(w);
        } catch (RuntimeException | Error e) {
            w.closeAfter(e);
            throw e;
        }
        w.close();
    }

    private static void abortQuietly(Target t) {
        try {
            t.abort();
        } catch (IOException | RuntimeException suppressed) {
            // the original failure is what the caller needs; the handle is closed either way
        }
    }
}
