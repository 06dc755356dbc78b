package dev.coflow.io;

import dev.coflow.bridge.Suspend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;

/**
 * A text file open for writing, for the article's {@code async with aiofiles.open(...) as f:
 * await f.write(...)}: {@link #write}, {@link #flush} and {@link #close} are suspend-like. Text is
 * buffered in memory (64 Ki chars) and written by a blocking call on a virtual thread when the
 * buffer fills, on {@code flush()} and on {@code close()}; inside a coroutine body those calls
 * suspend the coroutine (it is cancellable there, and other coroutines keep running), from plain
 * Java they block the calling thread. Made by {@link AsyncFiles#open}; not thread-safe (one writer,
 * one coroutine, like a {@code BufferedWriter}).
 *
 * {@snippet :
 * Coroutines.run(scope -> {
 *     try (AsyncWriter w = AsyncFiles.open(Path.of("out.txt"))) {   // async with aiofiles.open(...) as f:
 *         w.write("Line 1\n");                                      //     await f.write("Line 1\n")
 *         w.flush();
 *     }
 *     return null;
 * });
 * }
 *
 * <p>Under {@link WriteOption#ATOMIC} the text goes to a temporary file that {@code close()} moves
 * over the target; {@code close()} in a cancelled coroutine, or {@link #abort()}, deletes it instead
 * and leaves the target untouched. (A try-with-resources block that fails by an exception still
 * commits in {@code close()}: call {@code abort()} in a {@code catch}, or use
 * {@link AsyncFiles#write(java.nio.file.Path, dev.coflow.AsyncFlow, WriteOption...)}, which does.)
 * Whatever happens, the file handle is closed by {@code close()} or {@code abort()}.
 *
 * <p>Errors: I/O failures throw {@link UncheckedIOException} with the JDK's exception as the cause;
 * text that the charset cannot encode (a lone surrogate) throws one whose cause is a
 * {@link CharacterCodingException}. kotlinx counterpart: none (kotlinx has no file I/O);
 * Python counterpart: {@code aiofiles.open(path, "w")}.
 */
public final class AsyncWriter implements AutoCloseable {
    private static final int BUFFER = 64 * 1024;
    private final Target target;
    private final CharsetEncoder encoder;
    private final StringBuilder pending = new StringBuilder();
    private boolean closed;

    AsyncWriter(Target target, Charset charset) {
        this.target = target;
        this.encoder = charset.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    /**
     * Appends {@code text}; writes to the file when the buffer is full.
     *
     * @param text the text, with any line separators it needs
     * @throws NullPointerException if {@code text} is null
     * @throws IllegalStateException after {@code close()}
     * @throws UncheckedIOException if the file cannot be written
     */
    public void write(CharSequence text) {
        java.util.Objects.requireNonNull(text, "AsyncWriter.write: text");
        open();
        pending.append(text);
        if (pending.length() >= BUFFER) {
            drain(false);
        }
    }

    /**
     * Writes the buffered text to the file (not forced to the disk device; see
     * {@code FileChannel.force}).
     *
     * @throws IllegalStateException after {@code close()}
     * @throws UncheckedIOException if the file cannot be written
     */
    public void flush() {
        open();
        drain(true);
    }

    /**
     * Writes what is buffered and closes the file (under ATOMIC: moves the temporary file into
     * place). In a cancelled coroutine it only closes the file (and deletes an ATOMIC temporary
     * file): buffered text is dropped. Calling it again does nothing.
     *
     * @throws UncheckedIOException if the last write or the move fails; the file is closed anyway
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        boolean done = false;
        try {
            if (Suspend.isActive()) {
                drain(true);
                target.commit();
                done = true;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("AsyncWriter.close: " + target.path + ": " + e.getMessage(), e);
        } finally {
            if (!done) {
                abortQuietly();
            }
        }
    }

    /**
     * Closes the file without writing what is buffered; under ATOMIC deletes the temporary file,
     * so the target keeps its old content. Calling it after {@code close()} does nothing.
     */
    public void abort() {
        closed = true;
        abortQuietly();
    }

    /**
     * Ends the writer after {@code failure} of the code writing with it: an ATOMIC writer is
     * aborted; any other one writes what is buffered (if the coroutine is still active) and closes,
     * so the file keeps what was written before the failure. Problems doing so are added to
     * {@code failure} as suppressed.
     */
    void closeAfter(Throwable failure) {
        try {
            if (target.atomic()) {
                abort();
            } else {
                close();
            }
        } catch (RuntimeException | Error e) {
            failure.addSuppressed(e);
        }
    }

    private void abortQuietly() {
        pending.setLength(0);
        try {
            target.abort();
        } catch (IOException e) {
            throw new UncheckedIOException("AsyncWriter: closing " + target.path + ": " + e.getMessage(), e);
        }
    }

    private void open() {
        if (closed) {
            throw new IllegalStateException(
                    "AsyncWriter for " + target.path + " is closed; open a new one with AsyncFiles.open");
        }
    }

    /** Encodes and writes the pending text; unless {@code all}, a trailing high surrogate waits for its pair. */
    private void drain(boolean all) {
        int end = pending.length();
        if (!all && end > 0 && Character.isHighSurrogate(pending.charAt(end - 1))) {
            end--;
        }
        if (end == 0) {
            return;
        }
        ByteBuffer bytes;
        try {
            bytes = encoder.encode(CharBuffer.wrap(pending, 0, end));
        } catch (CharacterCodingException e) {
            throw new UncheckedIOException(
                    "AsyncWriter.write: " + target.path + ": text not encodable in "
                            + encoder.charset().name() + " (a lone surrogate?): " + e.getMessage(),
                    e);
        }
        pending.delete(0, end);
        target.write(bytes);
    }
}
