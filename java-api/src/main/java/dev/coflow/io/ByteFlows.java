package dev.coflow.io;

import dev.coflow.AsyncFlow;
import dev.coflow.CloseableIterator;
import dev.coflow.function.ThrowingSupplier;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.util.Arrays;
import java.util.Objects;

/**
 * Byte streams beyond files: decode a flow of byte chunks into lines, read any
 * {@link InputStream} as a flow of chunks, and hand a flow of chunks to an API that wants an
 * {@code InputStream}.
 *
 * {@snippet :
 * HttpResponse<InputStream> r = client.send(request, BodyHandlers.ofInputStream());
 * long errors = ByteFlows.lines(ByteFlows.fromInputStream(r::body, 8192), StandardCharsets.UTF_8)
 *         .filter(line -> line.contains("ERROR"))
 *         .count();
 * }
 *
 * <p>kotlinx counterpart: none (kotlinx-io's {@code Source} is a pull API, not a flow).
 */
public final class ByteFlows {
    private static final byte[] END = new byte[0];

    private ByteFlows() {}

    /**
     * Decodes a flow of byte chunks into lines, with the rules of {@link AsyncFiles#lines(java.nio.file.Path)}:
     * {@code \n}, {@code \r\n} and a lone {@code \r} end a line (also when split between chunks),
     * a last line needs no terminator, a leading byte order mark of a UTF charset is dropped, a
     * character split between chunks is decoded whole, and malformed input fails with a
     * {@link MalformedTextException} giving the byte offset from the start of the flow. Memory is
     * bounded by the longest line plus 128 KiB, whatever the chunk sizes. Chunks are read, never
     * kept or changed.
     *
     * {@snippet :
     * AsyncFlow<String> lines = ByteFlows.lines(AsyncFiles.chunks(path, 8192), StandardCharsets.UTF_8);
     * }
     *
     * <p>kotlinx counterpart: none; Reactor's {@code StringDecoder} in Spring, Python's
     * {@code async for line in stream}.
     *
     * @param chunks the bytes, in order; empty chunks are allowed
     * @param charset their encoding
     * @return a cold flow of lines without terminators; each collection collects {@code chunks} once
     */
    public static AsyncFlow<String> lines(AsyncFlow<byte[]> chunks, Charset charset) {
        return lines(chunks, charset, CodingErrorAction.REPORT);
    }

    /**
     * {@link #lines(AsyncFlow, Charset)} with a choice for malformed input:
     * {@link CodingErrorAction#REPLACE} puts U+FFFD in its place, {@code IGNORE} drops it,
     * {@code REPORT} fails.
     *
     * @param chunks the bytes, in order
     * @param charset their encoding
     * @param onMalformed what to do with bytes that are not valid in {@code charset}
     * @return a cold flow of lines without terminators
     */
    public static AsyncFlow<String> lines(AsyncFlow<byte[]> chunks, Charset charset, CodingErrorAction onMalformed) {
        Objects.requireNonNull(chunks, "ByteFlows.lines: chunks");
        Objects.requireNonNull(charset, "ByteFlows.lines: charset");
        Objects.requireNonNull(onMalformed, "ByteFlows.lines: onMalformed");
        return AsyncFlow.defer(() -> {
            LineDecoder decoder = new LineDecoder(charset, onMalformed, "a byte flow (ByteFlows.lines)");
            return AsyncFlow.concat(chunks, AsyncFlow.of(END)).<String>transform((chunk, out) -> {
                if (chunk == END) {
                    decoder.decode(true, out::emit);
                } else {
                    decoder.feed(chunk, 0, chunk.length, out::emit);
                }
            });
        });
    }

    /**
     * Reads an {@link InputStream} as a flow of chunks of at most {@code chunkSize} bytes (each a
     * fresh array the collector may keep; a chunk is what one {@code read} returned, so it may be
     * shorter). The supplier is called at each collection, and the stream it returns is closed
     * when the collection ends, fails or is cancelled, before the terminal returns. Every
     * {@code read} (and the supplier) runs on a virtual thread of its own, awaited by the
     * collecting coroutine, so a slow stream never blocks a kotlinx dispatcher thread or the
     * caller's event loop; as with all blocking Java calls, a cancelled collection ends after the
     * {@code read} in flight returns (docs/semantics.md §3).
     *
     * {@snippet :
     * AsyncFlow<byte[]> body = ByteFlows.fromInputStream(() -> socket.getInputStream(), 16 * 1024);
     * }
     *
     * <p>kotlinx counterpart: none; Reactor's {@code DataBufferUtils.readInputStream}.
     *
     * @param supplier opens the stream; must not return null
     * @param chunkSize the largest chunk, {@code >= 1}
     * @return a cold flow of chunks
     * @throws IllegalArgumentException if {@code chunkSize < 1}
     */
    public static AsyncFlow<byte[]> fromInputStream(ThrowingSupplier<? extends InputStream> supplier, int chunkSize) {
        Objects.requireNonNull(supplier, "ByteFlows.fromInputStream: supplier");
        if (chunkSize < 1) {
            throw new IllegalArgumentException(
                    "ByteFlows.fromInputStream: chunkSize must be >= 1 byte, was " + chunkSize + "; e.g. 8192");
        }
        return AsyncFlow.generate(emitter -> {
            InputStream[] holder = new InputStream[1];
            try {
                InputStream in = Io.blocking(() -> {
                    InputStream s =
                            Objects.requireNonNull(supplier.get(), "ByteFlows.fromInputStream: supplier returned null");
                    holder[0] = Io.opened(s);
                    return s;
                });
                byte[] buffer = new byte[chunkSize];
                while (true) {
                    int n = Io.blocking(() -> in.read(buffer, 0, chunkSize));
                    if (n < 0) {
                        break;
                    }
                    if (n > 0) {
                        emitter.emit(Arrays.copyOf(buffer, n));
                    }
                }
            } finally {
                InputStream s = holder[0];
                if (s != null) {
                    Io.closed();
                    s.close();
                }
            }
        });
    }

    /**
     * An {@link InputStream} over a flow of chunks, for APIs that want one (a parser, an HTTP
     * client's body publisher). Nothing runs before the first {@code read}; each read takes bytes
     * from the current chunk and pulls the next one from the flow when it is used up (the flow
     * never runs more than one chunk ahead, see {@link AsyncFlow#iterator()}). {@code close()}
     * cancels the flow (its {@code finally} blocks run before {@code close} returns). A failure
     * of the flow is thrown by {@code read}: an {@link IOException} as itself, anything else as
     * it came. Not thread-safe, like most streams.
     *
     * {@snippet :
     * try (InputStream in = ByteFlows.toInputStream(AsyncFiles.chunks(path, 8192))) {
     *     Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
     * }
     * }
     *
     * <p>kotlinx counterpart: none; Reactor's {@code DataBufferUtils} plus a pipe.
     *
     * @param chunks the bytes; empty chunks are skipped
     * @return a stream that reads {@code chunks} once
     */
    public static InputStream toInputStream(AsyncFlow<byte[]> chunks) {
        Objects.requireNonNull(chunks, "ByteFlows.toInputStream: chunks");
        return new FlowInputStream(chunks);
    }

    /** {@link #toInputStream}. */
    private static final class FlowInputStream extends InputStream {
        private final AsyncFlow<byte[]> flow;
        private CloseableIterator<byte[]> it;
        private byte[] chunk = END;
        private int pos;
        private boolean closed;
        private boolean ended;

        FlowInputStream(AsyncFlow<byte[]> flow) {
            this.flow = flow;
        }

        /** Makes the current chunk non-empty; false at the end of the flow. */
        private boolean fill() throws IOException {
            if (closed) {
                throw new IOException("ByteFlows.toInputStream: the stream is closed; read before closing it");
            }
            while (pos >= chunk.length) {
                if (ended) {
                    return false;
                }
                if (it == null) {
                    it = flow.iterator();
                }
                try {
                    if (!it.hasNext()) {
                        ended = true;
                        return false;
                    }
                    chunk = Objects.requireNonNull(it.next(), "ByteFlows.toInputStream: the flow emitted null");
                    pos = 0;
                } catch (java.io.UncheckedIOException e) {
                    throw e.getCause();
                }
            }
            return true;
        }

        @Override
        public int read() throws IOException {
            if (!fill()) {
                return -1;
            }
            return chunk[pos++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, chunk.length - pos);
            System.arraycopy(chunk, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public int available() {
            return closed ? 0 : chunk.length - pos;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                chunk = END;
                if (it != null) {
                    it.close();
                }
            }
        }
    }
}
