package dev.coflow.examples.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coflow.test.CoflowExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The simulation's three sources, the checkout log they append to and the follower that reads it. */
class FollowedLogTest {
    @Test
    void everyLineAppendedDuringTheRunIsFollowedExactlyOnce() throws Exception {
        LibraryDashboard.Options options = new LibraryDashboard.Options(
                Duration.ofMillis(2), 7, new LibraryDb.Size(400, 30, 500), 25, Duration.ZERO, 0, 0, 100, 1);
        Path dir;
        try (LibraryDashboard d = LibraryDashboard.start(options)) {
            dir = d.logDirectory();
            long lines = d.awaitSimulation(Duration.ofSeconds(60));
            assertEquals(3 * 25, lines, "25 checkouts, 25 returns, 25 sign-ins or sign-outs");
            Stats s = d.stats().value();
            assertEquals(75, s.events());
            try (Stream<String> file = Files.lines(dir.resolve("checkouts.log"))) {
                List<String> all = file.toList();
                assertEquals(75, all.size());
                assertEquals(
                        25, all.stream().filter(l -> l.contains("\tCHECKOUT\t")).count());
                assertEquals(
                        25, all.stream().filter(l -> l.contains("\tRETURN\t")).count());
            }
            // 25 checkouts half a simulated minute apart all fall within the chart's 30 minutes
            assertEquals(Activity.MINUTES, s.checkoutsPerMinute().size());
            assertEquals(
                    25,
                    s.checkoutsPerMinute().stream().mapToInt(MinuteCount::count).sum(),
                    s.checkoutsPerMinute()::toString);
            assertEquals("09:12", s.checkoutsPerMinute().getLast().minute(), "event 24 is at 09:12:00-09:12:29");
            assertTrue(s.overdueBooks().size() <= LibraryDb.OVERDUE_SHOWN);
            // the web page's overdue list: most overdue first
            for (int i = 1; i < s.overdueBooks().size(); i++) {
                assertTrue(s.overdueBooks().get(i - 1).daysOverdue()
                        >= s.overdueBooks().get(i).daysOverdue());
            }
        }
        assertFalse(Files.exists(dir), "closing deletes the log");
        CoflowExtension.assertNoBodiesRunning(Duration.ZERO);
    }

    @Test
    void theSameSeedTellsTheSameStoryPerSource() throws Exception {
        LibraryDashboard.Options options = new LibraryDashboard.Options(
                Duration.ofMillis(1), 11, new LibraryDb.Size(300, 20, 300), 15, Duration.ZERO, 0, 0, 100, 1);
        List<List<String>> runs = new java.util.ArrayList<>();
        for (int run = 0; run < 2; run++) {
            try (LibraryDashboard d = LibraryDashboard.start(options)) {
                d.awaitSimulation(Duration.ofSeconds(60));
                try (Stream<String> file = Files.lines(d.logDirectory().resolve("checkouts.log"))) {
                    // the sources interleave differently on each run; each source's own story does not
                    runs.add(file.filter(l -> l.contains("\tLOGIN\t") || l.contains("\tLOGOUT\t"))
                            .toList());
                }
            }
        }
        assertEquals(15, runs.get(0).size());
        assertEquals(runs.get(0), runs.get(1));
    }
}
