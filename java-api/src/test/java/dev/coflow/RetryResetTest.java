package dev.coflow;

import static dev.coflow.OperatorTestBase.inVirtualTime;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.coflow.OperatorTestBase.Timed;
import dev.coflow.bridge.Suspend;
import dev.coflow.test.CoflowExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Back-off for long-lived streams: the attempt counter of {@code retry(Backoff)} starts again after
 * a collection that emitted ({@code resetAfterElement}) or ran long enough ({@code resetAfter}).
 */
class RetryResetTest {
    /** After each test, no coroutine body it started may still be running (the harness's leak check). */
    @RegisterExtension
    static final CoflowExtension COFLOW = CoflowExtension.withLeakGrace(Duration.ZERO);

    private static final Backoff BASE = Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(10), 3);

    /**
     * Attempt {@code a} (0-based) runs {@code runMillis[a]} ms, emits {@code emits[a]} elements
     * and then fails, except the attempt after the last listed one, which completes; each attempt
     * logs when it starts (coroutine clock, ms from the first).
     */
    private static AsyncFlow<String> attempts(List<String> starts, long[] runMillis, int[] emits) {
        AtomicInteger attempt = new AtomicInteger();
        long[] origin = {Long.MIN_VALUE};
        return AsyncFlow.generate(out -> {
            int a = attempt.getAndIncrement();
            if (origin[0] == Long.MIN_VALUE) {
                origin[0] = Suspend.clockMillis();
            }
            starts.add(a + "@" + (Suspend.clockMillis() - origin[0]));
            if (a >= emits.length) {
                out.emit("done");
                return;
            }
            Suspend.delay(runMillis[a]);
            for (int i = 0; i < emits[a]; i++) {
                out.emit("a" + a + "e" + i);
            }
            throw new IllegalStateException("attempt " + a + " failed");
        });
    }

    @Test
    void withoutResetTheCounterGrowsAcrossHealthyRuns() {
        List<String> starts = new ArrayList<>();
        Timed<Exception> t = inVirtualTime(() -> {
            try {
                attempts(starts, new long[] {0, 0, 0, 0}, new int[] {1, 1, 1, 1})
                        .retry(BASE)
                        .toList();
                return null;
            } catch (IllegalStateException e) {
                return e;
            }
        });
        assertEquals("attempt 2 failed", t.value().getMessage(), "3 attempts in all, however much each emitted");
        assertEquals(List.of("0@0", "1@100", "2@300"), starts);
    }

    @Test
    void resetAfterElementKeepsAStreamThatMakesProgressAliveWithShortWaits() {
        List<String> starts = new ArrayList<>();
        Timed<List<String>> t =
                inVirtualTime(() -> attempts(starts, new long[] {0, 0, 0, 0, 0}, new int[] {1, 1, 1, 1, 1})
                        .retry(BASE.resetAfterElement())
                        .toList());
        assertEquals(List.of("a0e0", "a1e0", "a2e0", "a3e0", "a4e0", "done"), t.value());
        assertEquals(
                List.of("0@0", "1@100", "2@200", "3@300", "4@400", "5@500"), starts, "every wait is the first one");
    }

    @Test
    void resetAfterElementStillGivesUpOnAStreamThatFailsAtOnce() {
        List<String> starts = new ArrayList<>();
        Timed<Exception> t = inVirtualTime(() -> {
            try {
                attempts(starts, new long[] {0, 0, 0, 0}, new int[] {1, 0, 0, 0})
                        .retry(BASE.resetAfterElement())
                        .toList();
                return null;
            } catch (IllegalStateException e) {
                return e;
            }
        });
        // attempt 0 emitted: reset; attempts 1 and 2 fail empty: counted; 3 attempts after the reset
        assertEquals("attempt 2 failed", t.value().getMessage());
        assertEquals(List.of("0@0", "1@100", "2@300"), starts);
    }

    @Test
    void resetAfterAQuietPeriodCountsOnlyShortRuns() {
        List<String> starts = new ArrayList<>();
        Timed<List<String>> t =
                inVirtualTime(() -> attempts(starts, new long[] {5_000, 10, 5_000, 10}, new int[] {0, 0, 0, 0})
                        .retry(BASE.resetAfter(Duration.ofSeconds(1)))
                        .toList());
        assertEquals(List.of("done"), t.value());
        // 0 ran 5 s: reset, wait 100; 1 ran 10 ms: wait 200; 2 ran 5 s: reset, wait 100; 3: wait 200
        assertEquals(List.of("0@0", "1@5100", "2@5310", "3@10410", "4@10620"), starts);
    }

    @Test
    void badInputAndDescription() {
        assertEquals(
                "Backoff.resetAfter: quietPeriod must be positive, was PT0S",
                assertThrows(IllegalArgumentException.class, () -> BASE.resetAfter(Duration.ZERO))
                        .getMessage());
        assertEquals(
                "Backoff[initial=PT0.1S, multiplier=2.0, max=PT10S, maxAttempts=3, resetAfterElement, resetAfter=PT1M]",
                BASE.resetAfterElement().resetAfter(Duration.ofMinutes(1)).toString());
    }
}
