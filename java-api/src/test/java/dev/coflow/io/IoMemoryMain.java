package dev.coflow.io;

import java.nio.file.Path;

/** Child JVM of {@link IoMemoryTest}: streams a file through {@code lines}, {@code chunks} and {@code ByteFlows.lines}. */
public final class IoMemoryMain {
    private IoMemoryMain() {}

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        long lines = AsyncFiles.lines(file).count();
        long bytes = AsyncFiles.chunks(file, 8192).fold(0L, (n, c) -> n + c.length);
        long decoded = ByteFlows.lines(AsyncFiles.chunks(file, 1000), java.nio.charset.StandardCharsets.UTF_8).count();
        Runtime rt = Runtime.getRuntime();
        System.out.println("lines=" + lines + " bytes=" + bytes + " decoded=" + decoded + " maxHeap=" + rt.maxMemory());
    }
}
