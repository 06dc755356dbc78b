package dev.coflow;

import static dev.coflow.OperatorTestBase.inVirtualTime;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coflow.OperatorTestBase.Timed;
import dev.coflow.bridge.Suspend;
import dev.coflow.test.CoflowExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** debounce and sample, exact in virtual time; errors and cancellation. */
class DebounceSampleTest {
    /** After each test, no coroutine body it started may still be running (the harness's leak check). */
    @RegisterExtension
    static final CoflowExtension COFLOW = CoflowExtension.withLeakGrace(Duration.ZERO);

    private final List<String> log = new CopyOnWriteArrayList<>();

    /** Emits each value after the gap before it (ms), then logs "finally". */
    private AsyncFlow<Integer> timed(long[] gaps, int... values) {
        return AsyncFlow.generate(out -> {
            try {
                for (int i = 0; i < values.length; i++) {
                    Suspend.delay(gaps[i]);
                    out.emit(values[i]);
                }
            } finally {
                log.add("finally");
            }
        });
    }

    @Test
    void debounceKeepsValuesFollowedByAQuietPeriod() {
        // values at 0, 90, 195, 700, 1700 ms; quiet period 500 ms
        AsyncFlow<Integer> source = timed(new long[] {0, 90, 105, 505, 1_000}, 1, 2, 3, 4, 5);
        Timed<List<Integer>> t =
                inVirtualTime(() -> source.debounce(Duration.ofMillis(500)).toList());
        assertEquals(List.of(3, 4, 5), t.value());
        assertEquals(1_700, t.virtualMillis(), "the last value is emitted as soon as the source ends");
    }

    @Test
    void sampleEmitsTheLatestValueOncePerPeriod() {
        // a value every 110 ms for 1 s, sampled every 300 ms
        long[] gaps = new long[9];
        java.util.Arrays.fill(gaps, 110);
        Timed<List<Integer>> t = inVirtualTime(() -> timed(gaps, 1, 2, 3, 4, 5, 6, 7, 8, 9)
                .sample(Duration.ofMillis(300))
                .toList());
        // at 300: 2 (220); at 600: 5 (550); at 900: 8 (880); the source ends at 990, 9 is lost
        assertEquals(List.of(2, 5, 8), t.value());
    }

    @Test
    void upstreamFailurePassesThrough() {
        Timed<String> t = inVirtualTime(() -> {
            try {
                AsyncFlow.<Integer>generate(out -> {
                            out.emit(1);
                            Suspend.delay(50);
                            throw new IllegalStateException("source failed");
                        })
                        .debounce(Duration.ofMillis(100))
                        .toList();
                return "no failure";
            } catch (IllegalStateException e) {
                return e.getMessage();
            }
        });
        assertEquals("source failed", t.value());
        assertEquals(50, t.virtualMillis());
    }

    @Test
    void earlyExitCancelsTheUpstream() {
        long[] gaps = new long[100];
        java.util.Arrays.fill(gaps, 200);
        int[] values = java.util.stream.IntStream.range(0, 100).toArray();
        Timed<List<Integer>> t = inVirtualTime(() ->
                timed(gaps, values).debounce(Duration.ofMillis(100)).take(2).toList());
        assertEquals(List.of(0, 1), t.value());
        assertEquals(List.of("finally"), log);
        Timed<List<Integer>> s = inVirtualTime(
                () -> timed(gaps, values).sample(Duration.ofMillis(300)).take(2).toList());
        assertEquals(2, s.value().size());
        assertEquals(List.of("finally", "finally"), log);
    }

    @Test
    void argumentsAreChecked() {
        AsyncFlow<Integer> f = AsyncFlow.of(1);
        assertSame(f, f.debounce(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> f.debounce(Duration.ofMillis(-1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.sample(Duration.ZERO));
        assertTrue(e.getMessage().contains("period must be positive"), e.getMessage());
        assertEquals(2, Delay.ceilMillis(Duration.ofNanos(1_000_001)));
        assertEquals(Long.MAX_VALUE, Delay.ceilMillis(Duration.ofSeconds(Long.MAX_VALUE)));
    }
}
