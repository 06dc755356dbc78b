package dev.coflow.io;

import java.nio.file.Path;

/** Child JVM of {@link IoMemoryTest}: streams a file through {@code lines} (with {@code all}: also {@code chunks} and {@code ByteFlows.lines}). */
public final class IoMemoryMain {
    private IoMemoryMain() {}

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        boolean all = args.length > 1 && args[1].equals("all");
        long lines = AsyncFiles.lines(file).count();
        long bytes = all ? AsyncFiles.chunks(file, 8192).fold(0L, (n, c) -> n + c.length) : -1;
        long decoded = all
                ? ByteFlows.lines(AsyncFiles.chunks(file, 1000), java.nio.charset.StandardCharsets.UTF_8)
                        .count()
                : -1;
        Runtime rt = Runtime.getRuntime();
        System.out.println("lines=" + lines + " bytes=" + bytes + " decoded=" + decoded + " maxHeap=" + rt.maxMemory());
    }
}
