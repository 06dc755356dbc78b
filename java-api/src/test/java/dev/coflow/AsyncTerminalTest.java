package dev.coflow;

import static org.junit.jupiter.api.Assertions.*;

import dev.coflow.bridge.Suspend;
import dev.coflow.test.CoflowExtension;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** toListAsync, collectAsync, forEachAsync. */
class AsyncTerminalTest {
    private static final Duration GUARD = Duration.ofSeconds(20);

    @Test
    void asyncTerminalsCompleteWithTheElements() throws Exception {
        AsyncFlow<Integer> f = AsyncFlow.range(0, 5);
        assertEquals(List.of(0, 1, 2, 3, 4), f.toListAsync().get(20, TimeUnit.SECONDS));
        assertEquals(
                "01234",
                f.map(String::valueOf).collectAsync(Collectors.joining()).get(20, TimeUnit.SECONDS));
        List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
        assertNull(f.forEachAsync(seen::add).get(20, TimeUnit.SECONDS));
        assertEquals(List.of(0, 1, 2, 3, 4), seen);
    }

    @Test
    void asyncTerminalFailsWithTheOriginalCheckedException() {
        AsyncFlow<Integer> f = AsyncFlow.generate(e -> {
            e.emit(1);
            throw new IOException("disk gone");
        });
        for (CompletableFuture<?> future :
                List.of(f.toListAsync(), f.forEachAsync(x -> {}), f.collectAsync(Collectors.toList()))) {
            var e = assertThrows(ExecutionException.class, () -> future.get(20, TimeUnit.SECONDS));
            Throwable cause = e.getCause();
            assertInstanceOf(IOException.class, cause);
            assertEquals("disk gone", cause.getMessage());
        }
    }

    @Test
    void forEachAsyncConsumerFailureCompletesTheFuture() {
        var e = assertThrows(
                ExecutionException.class,
                () -> AsyncFlow.range(0, 10)
                        .forEachAsync(x -> {
                            if (x == 3) {
                                throw new IllegalArgumentException("no threes");
                            }
                        })
                        .get(20, TimeUnit.SECONDS));
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
        assertEquals("no threes", e.getCause().getMessage());
    }

    @Test
    void cancellingTheFutureCancelsTheGeneratorAndRunsFinally() {
        assertTimeoutPreemptively(GUARD, () -> {
            for (int variant = 0; variant < 3; variant++) {
                CountDownLatch waiting = new CountDownLatch(1);
                CountDownLatch cleaned = new CountDownLatch(1);
                List<String> log = Collections.synchronizedList(new ArrayList<>());
                AsyncFlow<Integer> f = AsyncFlow.generate(e -> {
                    try {
                        e.emit(1);
                        waiting.countDown();
                        Suspend.await(new CompletableFuture<Void>());
                    } catch (CancellationException ce) {
                        log.add("cancelled");
                        throw ce;
                    } finally {
                        log.add("finally");
                        cleaned.countDown();
                    }
                });
                CompletableFuture<?> future = switch (variant) {
                    case 0 -> f.toListAsync();
                    case 1 -> f.collectAsync(Collectors.counting());
                    default -> f.forEachAsync(x -> {});
                };
                waiting.await();
                assertTrue(future.cancel(true));
                assertThrows(CancellationException.class, future::join);
                cleaned.await();
                assertEquals(List.of("cancelled", "finally"), log);
            }
            // the body has finished its finally; the driver may still be completing
            CoflowExtension.assertNoBodiesRunning(Duration.ofSeconds(10));
        });
    }

    @Test
    void nullActionRejected() {
        var e = assertThrows(NullPointerException.class, () -> AsyncFlow.of(1).forEachAsync(null));
        assertEquals("action", e.getMessage());
    }

    @Test
    void cancellingFromInsideTheConsumerStopsTheCollection() {
        assertTimeoutPreemptively(GUARD, () -> {
            @SuppressWarnings("unchecked")
            CompletableFuture<Void>[] holder = new CompletableFuture[1];
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch go = new CountDownLatch(1);
            holder[0] = AsyncFlow.range(0, Integer.MAX_VALUE).forEachAsync(x -> {
                if (x == 5) {
                    started.countDown();
                    go.await();
                    holder[0].cancel(true);
                }
            });
            started.await();
            go.countDown();
            assertThrows(CancellationException.class, () -> holder[0].join());
        });
    }
}
