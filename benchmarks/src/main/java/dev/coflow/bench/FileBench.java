package dev.coflow.bench;

import dev.coflow.io.AsyncFiles;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Issue 14: reading one file of {@code mb} megabytes (UTF-8 lines of 20..120 characters, some
 * non-ASCII, mixed {@code \n} and {@code \r\n}), per invocation. {@code lines}: coflow's
 * {@code AsyncFiles.lines(path).count()} against {@code BufferedReader.readLine} and
 * {@code Files.lines(path).count()}; {@code chunks}: {@code AsyncFiles.chunks(path, 64 KiB)}
 * summing lengths against a plain {@code FileChannel.read} loop into one reused 64 KiB buffer. The
 * file is in the page cache after the first warm-up, so this measures decoding and the library,
 * not the disk.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FileBench {
    /** File size in megabytes. */
    @Param("100")
    public int mb;

    private Path dir;
    private Path file;

    @Setup(Level.Trial)
    public void makeFile() throws IOException {
        dir = Files.createTempDirectory("coflow-filebench");
        file = dir.resolve("lines.txt");
        java.util.Random random = new java.util.Random(14);
        String alphabet = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 éü€";
        long bytes = 0;
        StringBuilder line = new StringBuilder();
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            while (bytes < mb * 1_000_000L) {
                line.setLength(0);
                int len = 20 + random.nextInt(101);
                for (int i = 0; i < len; i++) {
                    line.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                line.append(random.nextInt(4) == 0 ? "\r\n" : "\n");
                w.write(line.toString());
                bytes += line.toString().getBytes(StandardCharsets.UTF_8).length;
            }
        }
    }

    @TearDown(Level.Trial)
    public void removeFile() throws IOException {
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir);
    }

    /** coflow {@code AsyncFiles.lines(path).count()}, blocking terminal from Java. */
    @Benchmark
    public long coflowLines() {
        return AsyncFiles.lines(file).count();
    }

    /** {@code BufferedReader.readLine} in a loop, counting. */
    @Benchmark
    public long bufferedReader() throws IOException {
        long n = 0;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            while (r.readLine() != null) {
                n++;
            }
        }
        return n;
    }

    /** {@code Files.lines(path).count()}. */
    @Benchmark
    public long filesLines() throws IOException {
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.count();
        }
    }

    /** coflow {@code AsyncFiles.chunks(path, 64 KiB)}, summing the chunk lengths. */
    @Benchmark
    public long coflowChunks() {
        return AsyncFiles.chunks(file, 64 * 1024).fold(0L, (n, chunk) -> n + chunk.length);
    }

    /** A plain {@code FileChannel.read} loop into one reused 64 KiB heap buffer. */
    @Benchmark
    public long fileChannel() throws IOException {
        long n = 0;
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            int r;
            while ((r = ch.read(buffer)) >= 0) {
                n += r;
                buffer.clear();
            }
        }
        return n;
    }
}
