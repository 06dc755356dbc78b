package dev.coflow.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coflow.AsyncFlow;
import dev.coflow.test.CoflowExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ByteFlows}: input streams closed on every exit path, and an InputStream that pulls a flow. */
class ByteFlowsTest {
    @RegisterExtension
    static final CoflowExtension COFLOW = CoflowExtension.withLeakGrace(Duration.ZERO);

    @AfterEach
    void everythingClosed() {
        assertEquals(0, AsyncFiles.openFiles(), "a stream is still open");
    }

    /** A stream that counts its closes, optionally failing after {@code failAfter} bytes. */
    static final class Counted extends ByteArrayInputStream {
        final AtomicInteger closes;
        private final int failAfter;

        Counted(byte[] data, AtomicInteger closes, int failAfter) {
            super(data);
            this.closes = closes;
            this.failAfter = failAfter;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            if (pos >= failAfter) {
                throw new UncheckedIOException(new IOException("cable cut at " + pos));
            }
            return super.read(b, off, len);
        }

        @Override
        public void close() throws IOException {
            closes.incrementAndGet();
            super.close();
        }
    }

    @Test
    void fromInputStreamIsClosedOnCompletionTakeAndFailure() {
        byte[] data = "hello\nworld\n".getBytes(StandardCharsets.UTF_8);
        AtomicInteger closes = new AtomicInteger();
        AsyncFlow<byte[]> flow = ByteFlows.fromInputStream(() -> new Counted(data, closes, Integer.MAX_VALUE), 5);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        flow.forEach(all::writeBytes);
        assertArrayEquals(data, all.toByteArray());
        assertEquals(1, closes.get(), "closed after completion");
        assertEquals(
                List.of("hello", "world"),
                ByteFlows.lines(flow, StandardCharsets.UTF_8).toList());
        assertEquals(2, closes.get());
        assertEquals(1, flow.take(1).count());
        assertEquals(3, closes.get(), "closed after take(1), before count() returned");
        AsyncFlow<byte[]> failing = ByteFlows.fromInputStream(() -> new Counted(data, closes, 5), 5);
        UncheckedIOException e = assertThrows(UncheckedIOException.class, failing::count);
        assertEquals("java.io.IOException: cable cut at 5", e.getMessage());
        assertEquals(4, closes.get(), "closed after a failure");
        assertThrows(IllegalArgumentException.class, () -> ByteFlows.fromInputStream(() -> null, 0));
        NullPointerException npe = assertThrows(
                NullPointerException.class,
                () -> ByteFlows.fromInputStream(() -> null, 1).count());
        assertEquals("ByteFlows.fromInputStream: supplier returned null", npe.getMessage());
    }

    @Test
    void toInputStreamPullsTheFlowAndCloseCancelsIt() throws IOException {
        List<String> events = new CopyOnWriteArrayList<>();
        AsyncFlow<byte[]> chunks = AsyncFlow.generate(out -> {
            try {
                for (int i = 0; i < 1_000; i++) {
                    events.add("emit " + i);
                    out.emit(new byte[] {(byte) i, (byte) (i + 1)});
                }
            } finally {
                events.add("finally");
            }
        });
        InputStream in = ByteFlows.toInputStream(chunks);
        assertEquals(List.of(), events, "nothing runs before the first read");
        assertEquals(0, in.read());
        assertEquals(1, in.read());
        byte[] b = new byte[10];
        assertEquals(2, in.read(b, 0, 10), "one chunk at most per read");
        assertEquals(1, b[0]);
        assertEquals(List.of("emit 0", "emit 1"), events.subList(0, 2));
        in.close();
        assertEquals("finally", events.get(events.size() - 1), "close cancels the flow before it returns");
        assertEquals(3, events.size(), "the flow never ran more than one chunk ahead");
        IOException closed = assertThrows(IOException.class, in::read);
        assertEquals("ByteFlows.toInputStream: the stream is closed; read before closing it", closed.getMessage());
    }

    @Test
    void toInputStreamReadsToTheEndAndRethrowsAnIoFailure() throws IOException {
        byte[] data = new byte[100_000];
        new java.util.Random(7).nextBytes(data);
        try (InputStream in =
                ByteFlows.toInputStream(ByteFlows.fromInputStream(() -> new ByteArrayInputStream(data), 999))) {
            assertArrayEquals(data, in.readAllBytes());
            assertEquals(-1, in.read());
        }
        IOException boom = new IOException("boom");
        try (InputStream in = ByteFlows.toInputStream(AsyncFlow.generate(out -> {
            out.emit(new byte[] {1});
            throw boom;
        }))) {
            assertEquals(1, in.read());
            IOException thrown = assertThrows(IOException.class, in::read);
            // the flow's own exception (under -ea kotlinx's debug mode may hand back a copy: same type and message)
            assertEquals("boom", thrown.getMessage());
            assertTrue(thrown == boom || thrown.getCause() == boom, "the original, or a copy caused by it");
        }
    }
}
