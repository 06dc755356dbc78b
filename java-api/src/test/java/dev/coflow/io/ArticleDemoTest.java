package dev.coflow.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coflow.AsyncFlow;
import dev.coflow.bridge.Suspend;
import dev.coflow.bridge.Task;
import dev.coflow.test.CoflowExtension;
import dev.coflow.test.VirtualTime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The article's demo: "the background task runs during file reading". On the single thread of a
 * virtual-time test dispatcher, a ticker coroutine in the same scope keeps counting while a large
 * file is read (and while one is written): the reads are awaited, not run on that thread, so the
 * ticker's count moves between the reader's steps. Observed through the shared counter, not timing.
 */
class ArticleDemoTest {
    @RegisterExtension
    static final CoflowExtension COFLOW = CoflowExtension.withLeakGrace(Duration.ZERO);

    @TempDir
    Path dir;

    private static Task<Void> ticker(dev.coflow.test.VirtualTimeScope scope, AtomicLong ticks) {
        return scope.launch(() -> {
            while (true) {
                ticks.incrementAndGet();
                Suspend.yieldNow();
            }
        });
    }

    @Test
    void aTaskInTheSameScopeKeepsRunningWhileALargeFileIsRead() throws IOException {
        Path big = dir.resolve("big.txt");
        AsyncFiles.write(
                big, AsyncFlow.range(0, 200_000).map(i -> "line " + i + " of the big file")); // ~5 MB, 80 reads
        assertTrue(Files.size(big) > 4_000_000);
        AtomicLong ticks = new AtomicLong();
        TreeSet<Long> seenByReader = new TreeSet<>();
        long lines = VirtualTime.call(scope -> {
            Task<Void> background = ticker(scope, ticks);
            long n = AsyncFiles.lines(big)
                    .onEach(line -> {
                        if (line.endsWith("000 of the big file")) {
                            seenByReader.add(ticks.get());
                        }
                    })
                    .count();
            background.cancel();
            return n;
        });
        assertEquals(200_000, lines);
        assertEquals(200, seenByReader.size() + countDuplicates(seenByReader, 200), "sampled every 1,000 lines");
        assertTrue(
                seenByReader.size() >= 40,
                "the ticker moved between at least 40 of the 200 samples (once per 64 KiB read):"
                        + " it ran during the reading; saw " + seenByReader.size() + " distinct counts, last "
                        + seenByReader.last());
    }

    @Test
    void aTaskInTheSameScopeKeepsRunningWhileALargeFileIsWritten() throws IOException {
        Path out = dir.resolve("out.txt");
        AtomicLong ticks = new AtomicLong();
        TreeSet<Long> seenByWriter = new TreeSet<>();
        VirtualTime.run(scope -> {
            Task<Void> background = ticker(scope, ticks);
            try (AsyncWriter w = AsyncFiles.open(out)) {
                for (int i = 0; i < 200_000; i++) {
                    w.write("line " + i + " of the big file\n");
                    if (i % 1_000 == 0) {
                        seenByWriter.add(ticks.get());
                    }
                }
            }
            background.cancel();
        });
        assertEquals(200_000, Files.readAllLines(out).size());
        assertTrue(
                seenByWriter.size() >= 40,
                "the ticker moved while the writer wrote (once per 64 Ki chars written):" + " saw "
                        + seenByWriter.size() + " distinct counts");
    }

    private static int countDuplicates(TreeSet<Long> distinct, int samples) {
        return samples - distinct.size();
    }

    @SuppressWarnings("unused")
    private static final List<String> ARTICLE =
            List.of("async with aiofiles.open(...)", "the background task runs during file reading");
}
