package dev.coflow;

import static org.junit.jupiter.api.Assertions.*;

import dev.coflow.bridge.Coroutines;
import dev.coflow.bridge.Suspend;
import dev.coflow.test.CoflowExtension;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import kotlinx.coroutines.BuildersKt;
import kotlinx.coroutines.Dispatchers;
import kotlinx.coroutines.flow.FlowKt;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Many random pipelines over generator bodies, stopped at random points, on all three body-driver
 * paths (inline, direct calls on Default, handoff). Every body that started must have run its
 * {@code finally} exactly once, and nothing may be left running. Slow: {@code mvn verify -Pstress}.
 */
@Tag("stress")
class StressTest {
    private static final int ROUNDS = 20_000;

    @Test
    void randomPipelinesAlwaysCleanUp() throws Exception {
        SplittableRandom random = new SplittableRandom(42);
        AtomicInteger started = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        for (int round = 0; round < ROUNDS; round++) {
            int size = random.nextInt(1, 50);
            int stopAt = random.nextInt(0, 60);
            int shape = random.nextInt(6);
            AsyncFlow<Integer> source = AsyncFlow.generate(e -> {
                started.incrementAndGet();
                try {
                    for (int i = 0; i < size; i++) {
                        if (i % 7 == 3) {
                            Suspend.yieldNow();
                        }
                        e.emit(i);
                    }
                } finally {
                    finished.incrementAndGet();
                }
            });
            AsyncFlow<Integer> pipeline = switch (shape) {
                case 0 -> source.take(Math.max(1, stopAt));
                case 1 -> source.buffer(random.nextInt(0, 4)).take(Math.max(1, stopAt));
                case 2 -> source.zip(source, Integer::sum).take(Math.max(1, stopAt));
                case 3 -> source.flatMapMerge(2, v -> AsyncFlow.of(v, v)).take(Math.max(1, stopAt));
                case 4 ->
                    source.map(v -> {
                        if (v == stopAt) {
                            throw new IllegalStateException("stop");
                        }
                        return v;
                    });
                default -> source.conflate().take(Math.max(1, stopAt));
            };
            int path = random.nextInt(3);
            try {
                switch (path) {
                    case 0 -> pipeline.toList(); // inline
                    case 1 ->
                        BuildersKt.runBlocking(
                                Dispatchers.getDefault(), // direct calls
                                (s, c) -> FlowKt.toList(pipeline, new java.util.ArrayList<>(), c));
                    default ->
                        Coroutines.run(
                                kotlinx.coroutines.ExecutorsKt.from(SINGLE), // handoff
                                scope -> pipeline.toList());
                }
            } catch (IllegalStateException expected) {
                assertEquals("stop", expected.getMessage());
            }
        }
        CoflowExtension.assertNoBodiesRunning(Duration.ofSeconds(10));
        assertEquals(started.get(), finished.get(), "every body that started ran its finally");
        assertTrue(started.get() >= ROUNDS);
        SINGLE.shutdown();
    }

    private static final java.util.concurrent.ExecutorService SINGLE =
            java.util.concurrent.Executors.newSingleThreadExecutor();
}
