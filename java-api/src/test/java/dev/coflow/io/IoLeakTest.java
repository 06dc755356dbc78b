package dev.coflow.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coflow.AsyncFlow;
import dev.coflow.test.CoflowExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * No leaked file descriptors: 10,000 cancelled reads, follows and writes (10,000 of each under
 * {@code -Pstress}), counted in
 * {@code /proc/self/fd} (the kernel's view, not only the library's own counter).
 */
class IoLeakTest {
    /** 10,002 cancelled operations by default (a third of each kind); 10,000 of each under {@code -Pstress}. */
    private static final int ROUNDS = 3_334;

    @RegisterExtension
    static final CoflowExtension COFLOW = CoflowExtension.withLeakGrace(Duration.ZERO);

    @TempDir
    Path dir;

    static long openFds() throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    void tenThousandCancelledReadsFollowsAndWritesLeaveNoDescriptorOpen() throws IOException {
        check(ROUNDS);
    }

    @Test
    @org.junit.jupiter.api.Tag("stress")
    void tenThousandOfEachLeaveNoDescriptorOpen() throws IOException {
        check(10_000);
    }

    private void check(int rounds) throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Files.isDirectory(Path.of("/proc/self/fd")), "skipped: no /proc/self/fd here");
        Path file = dir.resolve("lines.txt");
        AsyncFiles.write(file, AsyncFlow.range(0, 20_000).map(i -> "line " + i));
        Path out = dir.resolve("out.txt");
        // warm up: classes loaded, virtual-thread scheduler and its pollers started
        for (int i = 0; i < 200; i++) {
            round(file, out, i);
        }
        long before = openFds();
        for (int i = 0; i < rounds; i++) {
            round(file, out, i);
        }
        long after = openFds();
        assertEquals(0, AsyncFiles.openFiles(), "the library's own count");
        assertTrue(
                after <= before + 2,
                "descriptors open before: " + before + ", after 3 x " + rounds + " cancelled operations: " + after);
    }

    private static void round(Path file, Path out, int i) {
        assertEquals(2, AsyncFiles.lines(file).take(2).count()); // cancelled read
        assertEquals(
                1,
                AsyncFiles.follow(file, FollowOptions.defaults().fromBeginning())
                        .take(1)
                        .count()); // cancelled follow
        WriteOption[] options = i % 2 == 0 ? new WriteOption[0] : new WriteOption[] {WriteOption.ATOMIC};
        assertThrows(
                CancellationException.class,
                () -> AsyncFiles.write(
                        out,
                        AsyncFlow.of("a", "b").onEach(s -> {
                            if (s.equals("b")) {
                                throw new CancellationException("stop writing"); // cancelled write
                            }
                        }),
                        options));
    }
}
