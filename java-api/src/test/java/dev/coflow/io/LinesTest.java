package dev.coflow.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.coflow.AsyncFlow;
import dev.coflow.test.CoflowExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The line rules of {@link AsyncFiles#lines} and {@link ByteFlows#lines}, case by case. */
class LinesTest {
    @RegisterExtension
    static final CoflowExtension COFLOW = CoflowExtension.withLeakGrace(Duration.ZERO);

    @TempDir
    Path dir;

    @AfterEach
    void everythingClosed() {
        assertEquals(0, AsyncFiles.openFiles(), "a file is still open");
    }

    private List<String> fileLines(byte[] bytes) throws IOException {
        return AsyncFiles.lines(Files.write(dir.resolve("f.txt"), bytes)).toList();
    }

    /** The same bytes through ByteFlows.lines, cut into chunks of {@code size}. */
    static List<String> chunkedLines(byte[] bytes, int size) {
        List<byte[]> chunks = new ArrayList<>();
        for (int i = 0; i < bytes.length; i += size) {
            chunks.add(java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + size)));
        }
        return ByteFlows.lines(AsyncFlow.fromIterable(chunks), StandardCharsets.UTF_8)
                .toList();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 64 * 1024})
    void everyTerminatorAndTheLastLine(int chunk) throws IOException {
        String text = "a\nb\r\nc\rd\n\ne\r\rf";
        List<String> expected = List.of("a", "b", "c", "d", "", "e", "", "f");
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        assertEquals(expected, fileLines(bytes));
        assertEquals(expected, chunkedLines(bytes, chunk));
        assertEquals(expected, Files.readAllLines(dir.resolve("f.txt")), "the reference agrees");
    }

    @Test
    void aTerminatorAtTheEndAddsNoEmptyLine() throws IOException {
        assertEquals(List.of("a"), fileLines("a\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of("a"), fileLines("a\r\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of("a"), fileLines("a\r".getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of(""), fileLines("\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of(), fileLines(new byte[0]));
    }

    @Test
    void aCrLfSplitBetweenChunksIsOneTerminator() {
        assertEquals(
                List.of("a", "b"),
                ByteFlows.lines(AsyncFlow.of(bytes("a\r"), bytes("\nb")), StandardCharsets.UTF_8)
                        .toList());
        assertEquals(
                List.of("a", "", "b"),
                ByteFlows.lines(AsyncFlow.of(bytes("a\r"), bytes("\rb")), StandardCharsets.UTF_8)
                        .toList());
        assertEquals(
                List.of("a", "b"),
                ByteFlows.lines(AsyncFlow.of(bytes("a\r"), new byte[0], bytes("\nb")), StandardCharsets.UTF_8)
                        .toList(),
                "an empty chunk in between changes nothing");
    }

    @Test
    void theUtf8ByteOrderMarkIsDroppedOnlyAtTheStart() throws IOException {
        assertEquals(List.of("x", "\uFEFFy"), fileLines(bytes("\uFEFFx\n\uFEFFy")));
        assertEquals(List.of("x"), chunkedLines(bytes("\uFEFFx"), 1), "a BOM split byte by byte");
        assertEquals("x\n", AsyncFiles.readString(Files.write(dir.resolve("bom.txt"), bytes("\uFEFFx\n"))));
    }

    @Test
    void aLineLongerThanEveryBufferIsWhole() throws IOException {
        String longLine =
                "é".repeat(200_000) + "😀".repeat(50_000); // 600 KB of multi-byte characters, no terminator inside
        byte[] bytes = bytes("short\n" + longLine + "\r\nend");
        assertEquals(List.of("short", longLine, "end"), fileLines(bytes));
        assertEquals(List.of("short", longLine, "end"), chunkedLines(bytes, 8191));
    }

    @Test
    void fourByteCharactersSplitAtEveryOffset() {
        byte[] bytes = bytes("😀a😀\n€");
        for (int size = 1; size <= bytes.length; size++) {
            assertEquals(List.of("😀a😀", "€"), chunkedLines(bytes, size), "chunks of " + size);
        }
    }

    @Test
    void malformedInputFailsNamingTheFileAndTheOffset() throws IOException {
        byte[] bytes = new byte[100_005];
        java.util.Arrays.fill(bytes, (byte) 'a');
        bytes[70_000] = '\n';
        bytes[100_001] = (byte) 0xC3; // a lead byte followed by 'a': malformed at 100001
        Path file = Files.write(dir.resolve("bad.txt"), bytes);
        UncheckedIOException e = assertThrows(
                UncheckedIOException.class, () -> AsyncFiles.lines(file).count());
        MalformedTextException bad = assertInstanceOf(MalformedTextException.class, e.getCause());
        assertEquals(100_001, bad.offset());
        assertEquals(file.toString(), bad.source());
        assertEquals(
                "malformed UTF-8 input in " + file + " at byte offset 100001 (1 byte); decode with the right charset,"
                        + " or pass CodingErrorAction.REPLACE to replace bad input with U+FFFD",
                e.getMessage());
        List<String> lines = AsyncFiles.lines(file, StandardCharsets.UTF_8, CodingErrorAction.REPLACE)
                .toList();
        assertEquals(2, lines.size());
        assertEquals('\uFFFD', lines.get(1).charAt(100_001 - 70_001), "replaced where it was");

        UncheckedIOException s = assertThrows(UncheckedIOException.class, () -> AsyncFiles.readString(file));
        assertEquals(
                100_001,
                assertInstanceOf(MalformedTextException.class, s.getCause()).offset());
    }

    @Test
    void aTruncatedCharacterAtTheEndIsMalformedAtItsOffset() {
        byte[] bytes = bytes("ok\n😀");
        byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 1);
        UncheckedIOException e = assertThrows(
                UncheckedIOException.class,
                () -> ByteFlows.lines(AsyncFlow.of(cut), StandardCharsets.UTF_8).toList());
        MalformedTextException bad = assertInstanceOf(MalformedTextException.class, e.getCause());
        assertEquals(3, bad.offset());
        assertEquals("a byte flow (ByteFlows.lines)", bad.source());
    }

    @Test
    void readStringAndReadAllBytes() throws IOException {
        Path file = Files.write(dir.resolve("t.txt"), bytes("ä\r\nb"));
        assertEquals("ä\r\nb", AsyncFiles.readString(file));
        assertEquals("Ã¤\r\nb", AsyncFiles.readString(file, StandardCharsets.ISO_8859_1));
        assertArrayEquals(bytes("ä\r\nb"), AsyncFiles.readAllBytes(file));
    }

    @Test
    void otherCharsets() throws IOException {
        Path file = Files.write(dir.resolve("16.txt"), "ü\n\uD83D\uDE00".getBytes(StandardCharsets.UTF_16LE));
        assertEquals(
                List.of("ü", "\uD83D\uDE00"),
                AsyncFiles.lines(file, StandardCharsets.UTF_16LE).toList());
        Path latin = Files.write(dir.resolve("l.txt"), "ü\nx".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(
                List.of("ü", "x"),
                AsyncFiles.lines(latin, StandardCharsets.ISO_8859_1).toList());
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
