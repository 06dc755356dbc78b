package dev.coflow.bridge;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Suspend#delay}: the owning coroutine's clock inside a body, a sleep outside. */
class SuspendDelayTest {

    @Test
    void delayMillisUsesTheCoroutineClock() {
        VirtualClock clock = new VirtualClock();
        long[] at = new long[3];
        clock.run(scope -> {
            Suspend.delay(250);
            at[0] = clock.now();
            Suspend.delay(0);
            at[1] = clock.now();
            Suspend.delay(750);
            at[2] = clock.now();
            return null;
        });
        assertArrayEquals(new long[] {250, 250, 1000}, at);
    }

    @Test
    void delayDurationRoundsDownToMillisButNeverToZero() {
        VirtualClock clock = new VirtualClock();
        List<Long> at = new ArrayList<>();
        clock.run(scope -> {
            Suspend.delay(Duration.ofSeconds(2));
            at.add(clock.now());
            Suspend.delay(Duration.ofNanos(1)); // positive below 1 ms: waits 1 ms, as kotlinx does
            at.add(clock.now());
            Suspend.delay(Duration.ofNanos(2_999_999));
            at.add(clock.now());
            Suspend.delay(Duration.ZERO);
            at.add(clock.now());
            return null;
        });
        assertEquals(List.of(2000L, 2001L, 2003L, 2003L), at);
    }

    @Test
    void hugeDurationWaitsUntilCancelled() {
        VirtualClock clock = new VirtualClock();
        var f = clock.start(scope -> {
            Suspend.delay(Duration.ofSeconds(Long.MAX_VALUE)); // overflows toMillis: treated as forever
            return "woke";
        });
        clock.advanceTimeBy(365L * 24 * 3600 * 1000);
        assertFalse(f.isDone());
        f.cancel(true);
        clock.advanceUntilIdle();
        assertTrue(f.isCancelled());
        assertEquals(0, Coroutines.activeBodies());
    }

    @Test
    void delayInsideRealRunReturns() {
        assertEquals("done", Coroutines.run(scope -> {
            Suspend.delay(1);
            Suspend.delay(Duration.ofMillis(1));
            return "done";
        }));
    }

    @Test
    void outsideACoroutineDelayBlocksTheCallingThread() {
        assertFalse(Suspend.inCoroutine());
        long t0 = System.nanoTime();
        Suspend.delay(20);
        Suspend.delay(Duration.ZERO);
        assertTrue(System.nanoTime() - t0 >= 20_000_000L, "delay(20) outside a coroutine must sleep at least 20 ms");
    }
}
