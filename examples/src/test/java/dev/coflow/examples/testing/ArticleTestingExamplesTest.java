package dev.coflow.examples.testing;

import static org.junit.jupiter.api.Assertions.*;

import dev.coflow.AsyncFlow;
import dev.coflow.bridge.Suspend;
import dev.coflow.test.CoflowTest;
import dev.coflow.test.FlowTester;
import dev.coflow.test.VirtualTimeScope;
import java.util.ArrayList;
import java.util.List;

/**
 * The article's three pytest-asyncio examples ("Testing Async Iterators"), ported to the harness:
 * {@code @pytest.mark.asyncio} becomes {@link CoflowTest} with a {@link VirtualTimeScope}, so the
 * generator's sleeps cost no wall-clock time.
 */
class ArticleTestingExamplesTest {

    /** {@code async def sample_generator(): for i in range(3): await asyncio.sleep(0.01); yield i * 2} */
    private static AsyncFlow<Integer> sampleGenerator() {
        return AsyncFlow.generate(out -> {
            for (int i = 0; i < 3; i++) {
                Suspend.delay(10);
                out.emit(i * 2);
            }
        });
    }

    /** {@code async for value in sample_generator(): results.append(value)} */
    @CoflowTest
    void testAsyncGenerator(VirtualTimeScope scope) {
        List<Integer> results = new ArrayList<>();
        sampleGenerator().forEach(results::add); // a blocking terminal: virtual time inside the test
        assertEquals(List.of(0, 2, 4), results);
        assertEquals(30, scope.currentTime(), "three 10 ms sleeps, on the virtual clock");
    }

    /** {@code results = [v async for v in sample_generator()]}, and the same with FlowTester. */
    @CoflowTest
    void testAsyncComprehension(VirtualTimeScope scope) {
        List<Integer> results = sampleGenerator().toList();
        assertEquals(List.of(0, 2, 4), results);

        FlowTester.test(sampleGenerator(), t -> {
            assertEquals(0, t.awaitItem());
            assertEquals(2, t.awaitItem());
            assertEquals(4, t.awaitItem());
            t.awaitComplete();
        });
    }

    /** {@code with pytest.raises(ValueError): async for _ in failing_generator(): pass} */
    @CoflowTest
    void testErrorHandling(VirtualTimeScope scope) {
        AsyncFlow<Integer> failingGenerator = AsyncFlow.generate(out -> {
            out.emit(1);
            throw new IllegalArgumentException("Test error"); // Python's ValueError
        });

        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> failingGenerator.forEach(v -> {}));
        assertEquals("Test error", e.getMessage());

        FlowTester.test(failingGenerator, t -> {
            assertEquals(1, t.awaitItem());
            Throwable error = t.awaitError();
            assertInstanceOf(IllegalArgumentException.class, error);
            assertEquals("Test error", error.getMessage());
        });
    }
}
