package dev.coflow.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coflow.AsyncFlow;
import dev.coflow.bridge.Suspend;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Per-key sequencing with concurrency across keys, upstream order out; no broker needed. */
class MapAsyncPartitionedTest {

    @Test
    void differentKeysRunConcurrentlySameKeysOneAfterAnotherResultsInOrder() {
        Map<Integer, AtomicInteger> inFlightPerKey = new ConcurrentHashMap<>();
        AtomicInteger maxPerKey = new AtomicInteger();
        Map<Integer, List<Integer>> callOrder = new ConcurrentHashMap<>();
        // elements 0 and 1 (keys 0 and 1) meet at a barrier: it only opens if they run at the same time
        AtomicInteger arrived = new AtomicInteger();
        CompletableFuture<Void> barrier = new CompletableFuture<>();

        List<Integer> out = KafkaFlows.mapAsyncPartitioned(AsyncFlow.range(0, 200), 4, i -> i % 5, i -> {
                    int now = inFlightPerKey
                            .computeIfAbsent(i % 5, k -> new AtomicInteger())
                            .incrementAndGet();
                    maxPerKey.accumulateAndGet(now, Math::max);
                    callOrder
                            .computeIfAbsent(i % 5, k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                            .add(i);
                    try {
                        if (i < 2) {
                            if (arrived.incrementAndGet() == 2) {
                                barrier.complete(null);
                            }
                            Suspend.await(barrier.orTimeout(20, TimeUnit.SECONDS));
                        }
                        return i * 10;
                    } finally {
                        inFlightPerKey.get(i % 5).decrementAndGet();
                    }
                })
                .toList();

        assertEquals(IntStream.range(0, 200).map(i -> i * 10).boxed().toList(), out, "results in upstream order");
        assertEquals(1, maxPerKey.get(), "never two calls of one key at once");
        callOrder.forEach(
                (k, calls) -> assertEquals(calls.stream().sorted().toList(), calls, "key " + k + " called in order"));
        assertTrue(barrier.isDone(), "two keys ran at the same time");
    }

    @Test
    void aFailingCallFailsTheFlowAndBadArgumentsAreRefused() {
        var e = assertThrows(
                IllegalStateException.class,
                () -> KafkaFlows.mapAsyncPartitioned(AsyncFlow.range(0, 10), 2, i -> i % 2, i -> {
                            if (i == 5) {
                                throw new IllegalStateException("boom");
                            }
                            return i;
                        })
                        .toList());
        assertEquals("boom", e.getMessage());
        var c = assertThrows(
                IllegalArgumentException.class,
                () -> KafkaFlows.mapAsyncPartitioned(AsyncFlow.range(0, 1), 0, i -> i, i -> i));
        assertTrue(c.getMessage().contains("concurrency"), c.getMessage());
        var k = assertThrows(
                NullPointerException.class,
                () -> KafkaFlows.mapAsyncPartitioned(AsyncFlow.range(0, 1), 1, i -> null, i -> i)
                        .toList());
        assertTrue(k.getMessage().contains("keyFn"), k.getMessage());
    }
}
