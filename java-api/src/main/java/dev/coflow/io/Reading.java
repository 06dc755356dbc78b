package dev.coflow.io;

import dev.coflow.AsyncFlow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.function.Consumer;

/** The reading side of {@link AsyncFiles}: every read is an {@link Io#blocking} call. */
final class Reading {
    private Reading() {}

    /** Opens {@code path} for reading on a virtual thread; the channel lands in {@code holder[0]} even if the caller is cancelled meanwhile. */
    static FileChannel open(String op, Path path, FileChannel[] holder) {
        return Io.blocking(() -> {
            Io.notADirectory(op, path);
            try {
                holder[0] = Io.opened(FileChannel.open(path, StandardOpenOption.READ));
            } catch (IOException e) {
                throw Io.openFailed(op, path, e);
            }
            return holder[0];
        });
    }

    static void close(FileChannel[] holder) throws IOException {
        FileChannel ch = holder[0];
        if (ch != null) {
            holder[0] = null;
            Io.closed();
            ch.close();
        }
    }

    /** Reads until {@code buffer} is full or the file ends; returns -1 at the end of the file, else the bytes read. */
    static int fill(FileChannel ch, ByteBuffer buffer) throws IOException {
        int total = 0;
        while (buffer.hasRemaining()) {
            int n = ch.read(buffer);
            if (n < 0) {
                return -1;
            }
            total += n;
        }
        return total;
    }

    static AsyncFlow<String> lines(Path path, Charset charset, CodingErrorAction onMalformed) {
        return AsyncFlow.generate(emitter -> {
            FileChannel[] holder = new FileChannel[1];
            try {
                FileChannel ch = open("AsyncFiles.lines", path, holder);
                LineDecoder decoder = new LineDecoder(charset, onMalformed, path.toString());
                Consumer<String> sink = emitter::emit;
                while (true) {
                    ByteBuffer in = decoder.input();
                    int n = Io.blocking(() -> fill(ch, in));
                    decoder.decode(n < 0, sink);
                    if (n < 0) {
                        break;
                    }
                }
            } finally {
                close(holder);
            }
        });
    }

    static AsyncFlow<byte[]> chunks(Path path, int size) {
        return AsyncFlow.generate(emitter -> {
            FileChannel[] holder = new FileChannel[1];
            try {
                FileChannel ch = open("AsyncFiles.chunks", path, holder);
                // read in large blocks, cut into chunks: one virtual-thread call per 64 KiB, not per chunk
                ByteBuffer buffer = ByteBuffer.allocate(Math.max(size, LineDecoder.BUFFER / size * size));
                boolean eof = false;
                while (!eof) {
                    eof = Io.blocking(() -> fill(ch, buffer)) < 0;
                    buffer.flip();
                    byte[] a = buffer.array();
                    int off = 0;
                    while (buffer.limit() - off >= size || (eof && off < buffer.limit())) {
                        int n = Math.min(size, buffer.limit() - off);
                        emitter.emit(Arrays.copyOfRange(a, off, off + n));
                        off += n;
                    }
                    buffer.position(off);
                    buffer.compact();
                }
            } finally {
                close(holder);
            }
        });
    }

    static byte[] readAllBytes(String op, Path path) {
        return Io.blocking(() -> {
            Io.notADirectory(op, path);
            try {
                return Files.readAllBytes(path);
            } catch (IOException e) {
                if (e instanceof java.nio.file.FileSystemException) {
                    throw Io.openFailed(op, path, e);
                }
                throw e;
            }
        });
    }

    static String readString(Path path, Charset charset, CodingErrorAction onMalformed) {
        byte[] bytes = readAllBytes("AsyncFiles.readString", path);
        return decode(bytes, charset, onMalformed, path.toString());
    }

    /** Decodes a whole byte array: a leading BOM of a UTF charset dropped, bad input reported with its offset. */
    static String decode(byte[] bytes, Charset charset, CodingErrorAction onMalformed, String source) {
        CharsetDecoder decoder =
                charset.newDecoder().onMalformedInput(onMalformed).onUnmappableCharacter(onMalformed);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate((int)
                Math.min(Integer.MAX_VALUE - 16, (long) (bytes.length * (double) decoder.maxCharsPerByte()) + 16));
        CoderResult r = decoder.decode(in, out, true);
        if (r.isError()) {
            MalformedTextException bad =
                    new MalformedTextException(source, in.position(), r.length(), charset, r.isUnmappable());
            throw new UncheckedIOException(bad.getMessage(), bad);
        }
        decoder.flush(out);
        out.flip();
        if (out.hasRemaining() && out.get(0) == '\uFEFF' && charset.name().startsWith("UTF")) {
            out.position(1);
        }
        return out.toString();
    }
}
