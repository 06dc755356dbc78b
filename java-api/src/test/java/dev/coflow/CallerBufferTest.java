package dev.coflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.coflow.bridge.Suspend;
import dev.coflow.test.CoflowExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import kotlinx.coroutines.YieldKt;
import kotlinx.coroutines.channels.BufferOverflow;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link CallerBuffer}: the ring a suspending {@code buffer} uses under a blocking terminal. Every
 * test collects with a blocking terminal, so the ring (not kotlinx's channel) is under test.
 */
class CallerBufferTest {
    /** After each test, no coroutine body it started may still be running (the harness's leak check). */
    @RegisterExtension
    static final CoflowExtension COFLOW = CoflowExtension.withLeakGrace(Duration.ZERO);

    /** Capacities to cover; {@code -2} is kotlinx's {@code BUFFERED} (the default, 64). */
    private static final int[] CAPACITIES = {1, 2, 64, kotlinx.coroutines.channels.Channel.BUFFERED};

    private final List<String> log = new CopyOnWriteArrayList<>();

    private static AsyncFlow<Integer> buffered(AsyncFlow<Integer> f, int capacity) {
        return capacity == kotlinx.coroutines.channels.Channel.BUFFERED
                ? f.buffer()
                : f.buffer(capacity, BufferOverflow.SUSPEND);
    }

    private static int slots(int capacity) {
        return capacity == kotlinx.coroutines.channels.Channel.BUFFERED ? 64 : capacity;
    }

    private AsyncFlow<Integer> endless() {
        return AsyncFlow.generate(e -> {
            try {
                for (int i = 0; ; i++) {
                    e.emit(i);
                }
            } catch (CancellationException c) {
                log.add("cancelled");
                throw c;
            } finally {
                log.add("finally");
            }
        });
    }

    @Test
    void keepsOrderOverManyElementsForEveryCapacity() {
        int n = 100_000;
        for (int capacity : CAPACITIES) {
            AsyncFlow<Integer> gen = AsyncFlow.generate(e -> {
                for (int i = 0; i < n; i++) {
                    e.emit(i);
                }
            });
            int[] next = {0};
            buffered(gen, capacity).forEach(v -> {
                if (v != next[0]++) {
                    fail("capacity " + capacity + ": got " + v + " at position " + (next[0] - 1));
                }
            });
            assertEquals(n, next[0], "capacity " + capacity);
            assertEquals(n, buffered(AsyncFlow.range(0, n), capacity).toList().size());
        }
    }

    /**
     * Counting an element as produced once its {@code emit} returned (it is in the ring) and as
     * consumed once the consumer's lambda receives it, at most {@code capacity + 1} are in between:
     * {@code capacity} in the ring plus the one the consumer has taken out (freeing its slot) but
     * not yet handed to its lambda. The producer can get {@code capacity} ahead while the consumer
     * holds element 1, which also shows that the two overlap.
     */
    @Test
    void producerRunsAtMostCapacityAhead() throws Exception {
        for (int capacity : CAPACITIES) {
            int slots = slots(capacity);
            AtomicInteger ahead = new AtomicInteger();
            AtomicInteger max = new AtomicInteger();
            CountDownLatch fullAhead = new CountDownLatch(1);
            AsyncFlow<Integer> gen = AsyncFlow.generate(e -> {
                for (int i = 1; i <= 5_000; i++) {
                    e.emit(i);
                    max.accumulateAndGet(ahead.incrementAndGet(), Math::max);
                    if (i == slots + 1) {
                        fullAhead.countDown();
                    }
                }
            });
            List<Boolean> reached = new ArrayList<>();
            buffered(gen, capacity).forEach(v -> {
                ahead.decrementAndGet();
                if (v == 1) {
                    reached.add(fullAhead.await(10, TimeUnit.SECONDS));
                }
            });
            assertEquals(List.of(true), reached, "capacity " + capacity + ": producer did not get capacity ahead");
            assertTrue(max.get() <= slots + 1, "capacity " + capacity + ": producer was " + max.get() + " ahead");
            assertTrue(max.get() >= slots, "capacity " + capacity + ": max " + max.get());
        }
    }

    @Test
    void upstreamFailureArrivesAfterTheBufferedElements() throws Exception {
        CountDownLatch producerDone = new CountDownLatch(1);
        AsyncFlow<Integer> gen = AsyncFlow.generate(e -> {
            try {
                for (int i = 1; i <= 10; i++) {
                    e.emit(i);
                }
                throw new IllegalStateException("upstream boom");
            } finally {
                producerDone.countDown();
            }
        });
        List<Integer> got = new ArrayList<>();
        IllegalStateException ex = assertThrows(
                IllegalStateException.class,
                () -> gen.buffer(64).forEach(v -> {
                    if (v == 1) {
                        // the failure is recorded before the consumer takes element 2
                        assertTrue(producerDone.await(10, TimeUnit.SECONDS));
                    }
                    got.add(v);
                }));
        assertEquals("upstream boom", ex.getMessage());
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), got);
    }

    @Test
    void downstreamFailureCancelsTheProducerAndItsFinallyRunsFirst() {
        for (int capacity : CAPACITIES) {
            log.clear();
            IllegalArgumentException ex = assertThrows(
                    IllegalArgumentException.class,
                    () -> buffered(endless(), capacity).forEach(v -> {
                        if (v == 1000) {
                            throw new IllegalArgumentException("consumer boom");
                        }
                    }));
            assertEquals("consumer boom", ex.getMessage());
            assertEquals(List.of("cancelled", "finally"), log, "capacity " + capacity);
        }
    }

    @Test
    void takeStopsTheProducerEarly() {
        for (int capacity : CAPACITIES) {
            log.clear();
            assertEquals(List.of(0, 1, 2), buffered(endless(), capacity).take(3).toList());
            assertEquals(List.of("cancelled", "finally"), log, "capacity " + capacity);
            log.clear();
            assertEquals(0, buffered(endless(), capacity).first().orElseThrow());
            assertEquals(List.of("cancelled", "finally"), log, "capacity " + capacity);
        }
    }

    @Test
    void interruptingTheCallerCancelsBothSides() {
        for (int capacity : CAPACITIES) {
            log.clear();
            int[] seen = {0};
            assertThrows(
                    CancellationException.class,
                    () -> buffered(endless(), capacity).forEach(v -> {
                        if (++seen[0] == 100) {
                            Thread.currentThread().interrupt();
                        }
                    }));
            assertTrue(Thread.interrupted(), "the interrupt flag is kept (and cleared here)");
            assertEquals(List.of("cancelled", "finally"), log, "capacity " + capacity);
        }
    }

    /**
     * A consumer slower than the producer finds the ring full, never waits, and so never lets the
     * caller loop park (where it notices interrupts): the ring's consumer must notice it itself.
     */
    @Test
    void interruptingACallerThatNeverWaitsCancelsToo() {
        long[] work = {0};
        int[] seen = {0};
        // a plain source (no body, ~10 ns per element) keeps well ahead of this consumer
        assertThrows(
                CancellationException.class,
                () -> AsyncFlow.range(0, Integer.MAX_VALUE).buffer(64).forEach(v -> {
                    for (int k = 0; k < 2_000; k++) {
                        work[0] += k ^ v;
                    }
                    if (++seen[0] == 5_000) {
                        Thread.currentThread().interrupt();
                    }
                }));
        assertTrue(Thread.interrupted(), "the interrupt flag is kept (and cleared here)");
        assertTrue(seen[0] >= 5_000 && work[0] != 42);
    }

    @Test
    void blockingProducerAndBlockingConsumerOverlap() {
        CountDownLatch consumerHasOne = new CountDownLatch(1);
        CountDownLatch producerHasTwo = new CountDownLatch(1);
        AsyncFlow<Integer> gen = AsyncFlow.generate(e -> {
            e.emit(1);
            // blocks its thread until the consumer, blocked below, has element 1
            assertTrue(consumerHasOne.await(10, TimeUnit.SECONDS));
            e.emit(2);
            producerHasTwo.countDown();
        });
        List<Boolean> overlapped = new ArrayList<>();
        gen.buffer(4).forEach(v -> {
            if (v == 1) {
                consumerHasOne.countDown();
                overlapped.add(producerHasTwo.await(10, TimeUnit.SECONDS));
            }
        });
        assertEquals(List.of(true), overlapped);
    }

    @Test
    void aSuspendingDownstreamKeepsOrder() {
        int n = 10_000;
        AsyncFlow<Integer> gen = AsyncFlow.generate(e -> {
            for (int i = 0; i < n; i++) {
                e.emit(i);
            }
        });
        // each inner generator yields before emitting, so the ring's consumer sees a suspended emit
        List<Integer> got = gen.buffer(8)
                .flatMapConcat(v -> AsyncFlow.<Integer>generate(e -> {
                    Suspend.call(c -> YieldKt.yield(c));
                    e.emit(v);
                }))
                .toList();
        assertEquals(n, got.size());
        for (int i = 0; i < n; i++) {
            assertEquals(i, got.get(i));
        }
    }

    @Test
    void consecutiveBuffersAndALaterFlowOnStillFuse() {
        AsyncFlow<Integer> gen = AsyncFlow.generate(e -> {
            for (int i = 0; i < 1000; i++) {
                e.emit(i);
            }
        });
        List<Integer> expected = AsyncFlow.range(0, 1000).toList();
        assertEquals(expected, gen.buffer(1).buffer(64).toList());
        assertEquals(
                expected,
                gen.buffer(3).flowOn(kotlinx.coroutines.Dispatchers.getIO()).toList());
        assertEquals(
                expected,
                gen.flowOn(kotlinx.coroutines.Dispatchers.getIO()).buffer(3).toList());
    }

    /** The battery of {@link OperatorTestBase} for the smallest ring. */
    @Nested
    class OneSlot extends OperatorTestBase {
        protected AsyncFlow<?> apply(AsyncFlow<Integer> up) {
            return up.buffer(1, BufferOverflow.SUSPEND);
        }

        protected List<?> expected() {
            return List.of(1, 2, 3, 4, 5);
        }

        protected List<String> expectedOrder() {
            return null;
        }
    }
}
