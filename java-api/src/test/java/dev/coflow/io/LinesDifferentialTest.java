package dev.coflow.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.coflow.AsyncFlow;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Differential round trips: generated text (random line lengths, random Unicode including 4-byte
 * code points and characters that are line terminators' neighbours, every mix of {@code \n},
 * {@code \r\n} and a lone {@code \r}, with and without a BOM and a final terminator) is written as
 * UTF-8 and read back by {@link AsyncFiles#lines} from a file and by {@link ByteFlows#lines} from
 * chunks of a random size in 1..8192; both must equal a reference decoder
 * ({@code BufferedReader.readLine} over the bytes after the BOM), and {@link Files#readAllLines}
 * for files without one. {@code -Pstress} runs a twin with ten times as many tries.
 */
class LinesDifferentialTest {
    private static Path dir;

    @BeforeContainer
    static void makeDir() throws IOException {
        dir = Files.createTempDirectory("coflow-lines-diff");
    }

    @AfterContainer
    static void removeDir() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
        assertEquals(0, AsyncFiles.openFiles(), "a file is still open");
    }

    /** One generated file: its lines, the terminator after each, and whether it starts with a BOM. */
    record Text(List<String> lines, List<String> terminators, boolean bom, boolean finalTerminator) {
        byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (bom) {
                out.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
            }
            for (int i = 0; i < lines.size(); i++) {
                out.writeBytes(lines.get(i).getBytes(StandardCharsets.UTF_8));
                if (i < lines.size() - 1 || finalTerminator) {
                    out.writeBytes(terminators.get(i).getBytes(StandardCharsets.UTF_8));
                }
            }
            return out.toByteArray();
        }
    }

    @Provide
    Arbitrary<Text> texts() {
        Arbitrary<Integer> codePoints = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.integers().between(0x20, 0x7E)), // ASCII
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0xA0, 0x7FF)), // 2 bytes
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0x800, 0xD7FF)), // 3 bytes
                net.jqwik.api.Tuple.of(
                        1, Arbitraries.of(0xFEFF, 0xFFFD, 0x2028, 0x85, 0x0B, 0x0C)), // BOM-like, other "line" chars
                net.jqwik.api.Tuple.of(
                        2, Arbitraries.integers().between(0x10000, 0x10FFFF))); // 4 bytes (surrogate pairs)
        Arbitrary<String> line = codePoints.list().ofMaxSize(120).map(cps -> {
            StringBuilder sb = new StringBuilder();
            cps.forEach(sb::appendCodePoint);
            return sb.toString();
        });
        Arbitrary<String> longLine =
                Arbitraries.integers().between(33_000, 40_000).map(n -> "ж".repeat(n));
        Arbitrary<String> anyLine =
                Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(200, line), net.jqwik.api.Tuple.of(1, longLine));
        Arbitrary<String> terminator = Arbitraries.of("\n", "\r\n", "\r");
        return Arbitraries.integers()
                .between(0, 60)
                .flatMap(n -> Combinators.combine(
                                anyLine.list().ofSize(n),
                                terminator.list().ofSize(n),
                                Arbitraries.of(true, false),
                                Arbitraries.of(true, false))
                        .as(Text::new));
    }

    @Provide
    Arbitrary<Integer> chunkSizes() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, 8)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(1, 8192)));
    }

    @Property(tries = 100)
    void linesMatchTheReference(@ForAll("texts") Text text, @ForAll("chunkSizes") int chunkSize) throws IOException {
        check(text, chunkSize);
    }

    @Property(tries = 1_000)
    @Tag("stress")
    void linesMatchTheReferenceStress(@ForAll("texts") Text text, @ForAll("chunkSizes") int chunkSize)
            throws IOException {
        check(text, chunkSize);
    }

    private static void check(Text text, int requestedChunkSize) throws IOException {
        byte[] bytes = text.bytes();
        // at most ~4,000 chunks per file keeps the default run fast; small files still get every small size
        int chunkSize = Math.max(requestedChunkSize, bytes.length / 4_000);
        // a first line that starts with U+FEFF is a BOM too, whatever the generator meant
        boolean bom =
                bytes.length >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF;
        List<String> expected = reference(bytes, bom);
        Path file = Files.write(dir.resolve("t.txt"), bytes);
        if (!bom) {
            assertEquals(expected, Files.readAllLines(file), "the two references agree");
        }
        assertEquals(expected, AsyncFiles.lines(file).toList(), "AsyncFiles.lines");
        List<byte[]> chunks = new ArrayList<>();
        for (int i = 0; i < bytes.length; i += chunkSize) {
            chunks.add(Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + chunkSize)));
        }
        assertEquals(
                expected,
                ByteFlows.lines(AsyncFlow.fromIterable(chunks), StandardCharsets.UTF_8)
                        .toList(),
                "ByteFlows.lines over chunks of " + chunkSize);
        assertEquals(
                expected,
                ByteFlows.lines(AsyncFiles.chunks(file, chunkSize), StandardCharsets.UTF_8)
                        .toList(),
                "ByteFlows.lines over AsyncFiles.chunks of " + chunkSize);
        String all = new String(bytes, StandardCharsets.UTF_8);
        assertEquals(bom ? all.substring(1) : all, AsyncFiles.readString(file), "readString");
    }

    /** The JDK's decoder and readLine, after dropping the 3 bytes of a BOM. */
    static List<String> reference(byte[] bytes, boolean bom) throws IOException {
        int skip = bom ? 3 : 0;
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new ByteArrayInputStream(bytes, skip, bytes.length - skip), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
            }
        }
        return lines;
    }
}
