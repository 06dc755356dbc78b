package dev.coflow;

/**
 * The child process of {@link MemoryBoundTest}, started with a small heap ({@code -Xmx64m}): pushes
 * {@code args[0]} elements (default 10 million) through {@code generate -> map -> buffer(64) -> count()}
 * and prints {@code count=<n>}. Nothing may be retained per element: a leak of even a few bytes per
 * element exhausts 64 MiB long before the end (the child exits with an {@code OutOfMemoryError}).
 */
public final class MemoryBoundMain {
    private MemoryBoundMain() {}

    public static void main(String[] args) {
        long n = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        long start = System.nanoTime();
        long count = AsyncFlow.<Long>generate(out -> {
                    for (long i = 0; i < n; i++) {
                        out.emit(i);
                    }
                })
                .map(v -> v + 1)
                .buffer(64)
                .count();
        long millis = (System.nanoTime() - start) / 1_000_000;
        Runtime rt = Runtime.getRuntime();
        System.out.println("count=" + count + " millis=" + millis + " maxHeap=" + rt.maxMemory() + " usedHeap="
                + (rt.totalMemory() - rt.freeMemory()));
    }
}
