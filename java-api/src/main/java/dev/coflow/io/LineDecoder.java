package dev.coflow.io;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.util.function.Consumer;

/**
 * Bytes in, lines out, incrementally and in bounded memory: the one decoder behind
 * {@link AsyncFiles#lines}, {@link AsyncFiles#follow} and {@link ByteFlows#lines}. A line ends at
 * {@code \n}, {@code \r\n} or a lone {@code \r} (as {@code BufferedReader.readLine}); a last line
 * without a terminator is a line; a leading byte order mark (U+FEFF) of a UTF charset is dropped;
 * a multi-byte character split between two inputs is decoded whole; a line longer than the
 * buffers is assembled in a builder that is released again after a very long line. Malformed
 * input fails with a {@link MalformedTextException} naming the source and the byte offset, unless
 * the decoder was made with {@link CodingErrorAction#REPLACE} or {@code IGNORE}.
 *
 * <p>Not thread-safe: one instance per collection.
 */
final class LineDecoder {
    static final int BUFFER = 64 * 1024;
    private static final int KEEP_BUILDER = 1 << 20;

    private final CharsetDecoder decoder;
    private final Charset charset;
    private final String source;
    private final ByteBuffer in;
    private final CharBuffer out;
    private StringBuilder partial = new StringBuilder();
    /** Bytes of the source before {@code in}'s index 0. */
    private long consumed;

    private boolean skipLf;
    private boolean atStart = true;
    private final boolean unicode;

    LineDecoder(Charset charset, CodingErrorAction onMalformed, String source) {
        this(charset, onMalformed, source, BUFFER);
    }

    LineDecoder(Charset charset, CodingErrorAction onMalformed, String source, int bufferSize) {
        this.charset = charset;
        this.source = source;
        this.decoder = charset.newDecoder().onMalformedInput(onMalformed).onUnmappableCharacter(onMalformed);
        this.in = ByteBuffer.allocate(Math.max(bufferSize, 16));
        this.out = CharBuffer.allocate(Math.max(bufferSize, 16));
        this.unicode = charset.name().startsWith("UTF");
    }

    /** The input buffer, in write mode: fill it, then call {@link #decode}. */
    ByteBuffer input() {
        return in;
    }

    /** Bytes of the source decoded so far plus those waiting in the input buffer. */
    long position() {
        return consumed + in.position();
    }

    /** Copies {@code bytes} in and decodes them, as many times as the input buffer needs. */
    void feed(byte[] bytes, int offset, int length, Consumer<String> sink) {
        while (length > 0) {
            int n = Math.min(in.remaining(), length);
            in.put(bytes, offset, n);
            offset += n;
            length -= n;
            decode(false, sink);
        }
    }

    /**
     * Decodes what is in the input buffer, passing every completed line to {@code sink}; an
     * incomplete character stays in the buffer for the next input. With {@code endOfInput} the
     * source is over: an incomplete character is malformed and the last line is emitted.
     */
    void decode(boolean endOfInput, Consumer<String> sink) {
        in.flip();
        try {
            while (true) {
                CoderResult r = decoder.decode(in, out, endOfInput);
                if (r.isError()) {
                    MalformedTextException bad = new MalformedTextException(
                            source, consumed + in.position(), r.length(), charset, r.isUnmappable());
                    throw new java.io.UncheckedIOException(bad.getMessage(), bad);
                }
                drain(sink);
                if (r.isUnderflow()) {
                    break;
                }
            }
            if (endOfInput) {
                CoderResult r;
                while ((r = decoder.flush(out)).isOverflow()) {
                    drain(sink);
                }
                drain(sink);
                if (partial.length() > 0) {
                    String last = partial.toString();
                    resetPartial();
                    sink.accept(last);
                }
                decoder.reset();
                skipLf = false;
                atStart = true;
            }
        } finally {
            consumed += in.position();
            in.compact();
        }
    }

    /** Forgets an unfinished line and any buffered input: the source starts again (a truncated file). */
    void restart() {
        resetPartial();
        in.clear();
        out.clear();
        decoder.reset();
        skipLf = false;
        atStart = true;
        consumed = 0;
    }

    /** Whether an unfinished line or undecoded bytes are held. */
    boolean holdsInput() {
        return partial.length() > 0 || in.position() > 0;
    }

    private void drain(Consumer<String> sink) {
        out.flip();
        char[] a = out.array();
        int i = 0;
        int end = out.limit();
        if (end == 0) {
            out.clear();
            return;
        }
        if (atStart) {
            atStart = false;
            if (unicode && a[0] == '\uFEFF') {
                i = 1;
            }
        }
        if (skipLf && i < end) {
            skipLf = false;
            if (a[i] == '\n') {
                i++;
            }
        }
        int start = i;
        for (; i < end; i++) {
            char ch = a[i];
            if (ch <= '\r' && (ch == '\n' || ch == '\r')) {
                String line;
                if (partial.length() == 0) {
                    line = new String(a, start, i - start);
                } else {
                    partial.append(a, start, i - start);
                    line = partial.toString();
                    resetPartial();
                }
                if (ch == '\r') {
                    if (i + 1 < end) {
                        if (a[i + 1] == '\n') {
                            i++;
                        }
                    } else {
                        skipLf = true;
                    }
                }
                start = i + 1;
                sink.accept(line);
            }
        }
        if (start < end) {
            partial.append(a, start, end - start);
        }
        out.clear();
    }

    private void resetPartial() {
        if (partial.capacity() > KEEP_BUILDER) {
            partial = new StringBuilder();
        } else {
            partial.setLength(0);
        }
    }
}
