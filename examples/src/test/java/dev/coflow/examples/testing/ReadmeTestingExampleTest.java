package dev.coflow.examples.testing;

import static org.junit.jupiter.api.Assertions.*;

import dev.coflow.AsyncFlow;
import dev.coflow.bridge.Suspend;
import dev.coflow.test.CoflowTest;
import dev.coflow.test.FlowTester;
import dev.coflow.test.VirtualTimeScope;
import java.time.Duration;
import java.util.List;

/** The README's "Testing" example, compiled and run so that it stays true. */
class ReadmeTestingExampleTest {

    // A generator that sleeps an hour before each number.
    static AsyncFlow<Integer> slowNumbers() {
        return AsyncFlow.generate(out -> {
            for (int i = 1; i <= 3; i++) {
                Suspend.delay(Duration.ofHours(1));
                out.emit(i);
            }
        });
    }

    @CoflowTest
    void collectsThreeHoursOfNumbersInstantly(VirtualTimeScope scope) {
        assertEquals(List.of(1, 2, 3), slowNumbers().toList());
        assertEquals(Duration.ofHours(3).toMillis(), scope.currentTime());
    }

    @CoflowTest
    void awaitsInsideTheLoop(VirtualTimeScope scope) {
        // async for n in slow_numbers(): await process(n)   -- the consumer waits too
        slowNumbers().forEach(n -> Suspend.delay(Duration.ofMinutes(30)));
        assertEquals(Duration.ofMinutes(3 * 90).toMillis(), scope.currentTime());
        // with a buffer the generator's hours and the consumer's half hours overlap
        slowNumbers().buffer(3).forEach(n -> Suspend.delay(Duration.ofMinutes(30)));
        assertEquals(Duration.ofMinutes(3 * 90 + 3 * 60 + 30).toMillis(), scope.currentTime());
    }

    @CoflowTest
    void emitsOneNumberPerHour(VirtualTimeScope scope) {
        FlowTester.test(slowNumbers(), Duration.ofHours(2), t -> {
            t.expectNoEvents(); // nothing before the first hour
            assertEquals(1, t.awaitItem());
            assertEquals(3_600_000, scope.currentTime());
            t.skipItems(1);
            assertEquals(3, t.awaitItem());
            t.awaitComplete();
        });
    }

    @CoflowTest
    void reportsFailures(VirtualTimeScope scope) {
        AsyncFlow<Integer> failing = AsyncFlow.generate(out -> {
            out.emit(1);
            throw new IllegalArgumentException("Test error");
        });
        FlowTester.test(failing, t -> {
            assertEquals(1, t.awaitItem());
            assertEquals("Test error", t.awaitError().getMessage());
        });
    }
}
