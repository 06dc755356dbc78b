package dev.coflow.examples.article;

import dev.coflow.AsyncFlow;
import dev.coflow.bridge.Coroutines;
import dev.coflow.bridge.Suspend;
import dev.coflow.io.AsyncFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The article's "Real Async File I/O with aiofiles": write a log file, then read it line by line
 * with {@link AsyncFiles} while a background task runs concurrently ({@code asyncio.gather} is
 * {@link Coroutines#gather}). Reading the file never stops the background task; how the two
 * outputs interleave depends on timing, as in Python.
 *
 * <pre>
 * Setting up demo file...
 * Reading with async I/O...
 * [Background task 0]
 *   Line 1
 *   Line 2
 * [Background task 1]
 *   Line 3
 * [Background task 2]
 * </pre>
 */
public final class AsyncFileExample {
    private AsyncFileExample() {}

    static Void readLogAsync(Path file) {
        System.out.println("Setting up demo file...");
        AsyncFiles.write(file, AsyncFlow.of("Line 1", "Line 2", "Line 3"));
        System.out.println("Reading with async I/O...");
        AsyncFiles.lines(file).forEach(line -> System.out.println("  " + line.strip()));
        return null;
    }

    static Void otherTask() {
        for (int i = 0; i < 3; i++) {
            System.out.println("[Background task " + i + "]");
            Suspend.delay(100);
        }
        return null;
    }

    public static void main(String[] args) throws IOException {
        Path file = Files.createTempFile("sample", ".log");
        try {
            Coroutines.gather(() -> readLogAsync(file), AsyncFileExample::otherTask);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
