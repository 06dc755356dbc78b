package dev.coflow;

import static dev.coflow.OperatorTestBase.inVirtualTime;
import static org.junit.jupiter.api.Assertions.*;

import dev.coflow.OperatorTestBase.Timed;
import dev.coflow.bridge.Suspend;
import dev.coflow.test.CoflowExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import kotlinx.coroutines.Dispatchers;
import org.junit.jupiter.api.Test;

/** iterator() and stream(): pull-based terminals. */
class IteratorTerminalTest {
    private static final Duration GUARD = Duration.ofSeconds(20);
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger produced = new AtomicInteger();

    private AsyncFlow<Integer> naturals() {
        return AsyncFlow.generate(e -> {
            try {
                for (int i = 0; ; i++) {
                    produced.incrementAndGet();
                    e.emit(i);
                }
            } finally {
                log.add("finally");
            }
        });
    }

    @Test
    void iteratesToTheEnd() {
        List<Integer> seen = new ArrayList<>();
        try (CloseableIterator<Integer> it =
                AsyncFlow.range(0, 4).map(x -> x * 2).iterator()) {
            while (it.hasNext()) {
                seen.add(it.next());
            }
            assertFalse(it.hasNext());
            assertThrows(NoSuchElementException.class, it::next);
        }
        assertEquals(List.of(0, 2, 4, 6), seen);
        CoflowExtension.assertNoBodiesRunning(Duration.ZERO);
    }

    @Test
    void nextWithoutHasNextAndRepeatedHasNext() {
        try (var it = AsyncFlow.of("a", "b").iterator()) {
            assertTrue(it.hasNext());
            assertTrue(it.hasNext());
            assertEquals("a", it.next());
            assertEquals("b", it.next());
            assertThrows(NoSuchElementException.class, it::next);
        }
    }

    @Test
    void closingEarlyCancelsTheProducerAndItsFinallyHasRun() {
        try (var it = naturals().iterator()) {
            assertEquals(0, it.next());
            assertEquals(1, it.next());
            assertEquals(List.of(), log);
            it.close();
            assertEquals(List.of("finally"), log);
            CoflowExtension.assertNoBodiesRunning(Duration.ZERO);
            assertFalse(it.hasNext());
            it.close();
        }
        assertEquals(List.of("finally"), log);
    }

    @Test
    void producerRunsAtMostOneElementAhead() {
        try (var it = naturals().iterator()) {
            for (int k = 0; k < 50; k++) {
                assertEquals(k, it.next());
                int p = produced.get();
                assertTrue(p <= k + 2, "consumer at " + k + " but producer already produced " + p);
            }
        }
    }

    @Test
    void nothingRunsBeforeTheFirstHasNext() {
        CloseableIterator<Integer> it = naturals().iterator();
        assertEquals(0, produced.get());
        it.close();
        assertEquals(0, produced.get());
        assertFalse(it.hasNext());
        assertEquals(List.of(), log);
    }

    @Test
    void failureIsThrownFromHasNextAfterTheElementsBeforeIt() {
        AsyncFlow<Integer> f = AsyncFlow.generate(e -> {
            try {
                e.emit(1);
                e.emit(2);
                throw new IllegalStateException("broken at 3");
            } finally {
                log.add("finally");
            }
        });
        List<Integer> seen = new ArrayList<>();
        try (var it = f.iterator()) {
            var e = assertThrows(IllegalStateException.class, () -> {
                while (it.hasNext()) {
                    seen.add(it.next());
                }
            });
            assertEquals("broken at 3", e.getMessage());
            assertFalse(it.hasNext());
        }
        assertEquals(List.of(1, 2), seen);
        assertEquals(List.of("finally"), log);
    }

    @Test
    void checkedFailureIsWrapped() {
        AsyncFlow<Integer> f = AsyncFlow.generate(e -> {
            throw new IOException("no file");
        });
        try (var it = f.iterator()) {
            var e = assertThrows(UncheckedIOException.class, it::hasNext);
            assertInstanceOf(IOException.class, e.getCause());
            assertEquals("no file", e.getCause().getMessage());
        }
    }

    @Test
    void interruptingAThreadBlockedInHasNextCancelsTheProducer() {
        assertTimeoutPreemptively(GUARD, () -> {
            CountDownLatch waiting = new CountDownLatch(1);
            AsyncFlow<Integer> f = AsyncFlow.generate(e -> {
                try {
                    waiting.countDown();
                    Suspend.await(new CompletableFuture<Integer>());
                } finally {
                    log.add("finally");
                }
            });
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicBoolean interruptFlag = new AtomicBoolean();
            List<String> seenAfter = new ArrayList<>();
            Thread consumer = Thread.ofPlatform().start(() -> {
                try (var it = f.iterator()) {
                    it.hasNext();
                } catch (Throwable t) {
                    thrown.set(t);
                    interruptFlag.set(Thread.currentThread().isInterrupted());
                    seenAfter.addAll(log);
                }
            });
            waiting.await();
            consumer.interrupt();
            consumer.join();
            assertInstanceOf(CancellationException.class, thrown.get());
            assertTrue(interruptFlag.get(), "the interrupt flag must stay set");
            assertEquals(List.of("finally"), seenAfter);
        });
    }

    @Test
    void iteratorInsideACoroutineBodyUsesItsClock() {
        Timed<List<Integer>> r = inVirtualTime(() -> {
            AsyncFlow<Integer> slow = AsyncFlow.generate(e -> {
                for (int i = 0; i < 3; i++) {
                    Suspend.delay(1_000);
                    e.emit(i);
                }
            });
            List<Integer> seen = new ArrayList<>();
            try (var it = slow.iterator()) {
                while (it.hasNext()) {
                    seen.add(it.next());
                }
            }
            return seen;
        });
        assertEquals(List.of(0, 1, 2), r.value());
        assertEquals(3_000, r.virtualMillis());
    }

    @Test
    void iteratorInsideABodyClosedEarlyRunsFinallyInVirtualTime() {
        Timed<Integer> r = inVirtualTime(() -> {
            try (var it = naturals().iterator()) {
                return it.next() + it.next();
            }
        });
        assertEquals(1, r.value());
        assertEquals(List.of("finally"), log);
    }

    @Test
    void streamReadsLazilyAndCloseCancels() {
        try (Stream<Integer> s = naturals().stream()) {
            assertEquals(List.of(0, 2, 4), s.filter(x -> x % 2 == 0).limit(3).toList());
        }
        assertEquals(List.of("finally"), log);
        CoflowExtension.assertNoBodiesRunning(Duration.ZERO);
        try (Stream<Integer> s = AsyncFlow.range(1, 101).stream()) {
            assertEquals(5050, s.mapToInt(Integer::intValue).sum());
        }
    }

    @Test
    void streamFailureIsThrownByTheTerminalOperation() {
        AsyncFlow<Integer> f = AsyncFlow.generate(e -> {
            e.emit(1);
            throw new IllegalArgumentException("bad row");
        });
        try (Stream<Integer> s = f.stream()) {
            var e = assertThrows(IllegalArgumentException.class, s::toList);
            assertEquals("bad row", e.getMessage());
        }
    }

    private AsyncFlow<Integer> gen(int n) {
        return AsyncFlow.generate(e -> {
            try {
                for (int i = 0; i < n; i++) {
                    if (i % 5 == 0) {
                        Suspend.delay(1);
                    }
                    e.emit(i);
                }
            } finally {
                log.add("finally");
            }
        });
    }

    @Test
    void iteratorOverFlowOnAndBuffer() {
        assertTimeoutPreemptively(GUARD, () -> {
            try (var it = gen(50).flowOn(Dispatchers.getIO()).buffer(4).iterator()) {
                for (int i = 0; i < 10; i++) assertEquals(i, it.next());
            }
            assertEquals(List.of("finally"), log);
        });
    }

    @Test
    void twoIteratorsInterleaved() {
        assertTimeoutPreemptively(GUARD, () -> {
            try (var a = gen(20).iterator();
                    var b = gen(20).iterator()) {
                for (int i = 0; i < 20; i++) {
                    assertEquals(i, a.next());
                    assertEquals(i, b.next());
                }
                assertFalse(a.hasNext());
                assertFalse(b.hasNext());
            }
            assertEquals(List.of("finally", "finally"), log);
        });
    }

    @Test
    void streamOfNestedGeneratorInBody() {
        Timed<Integer> r = inVirtualTime(() -> {
            try (var s = gen(10).stream()) {
                return s.mapToInt(Integer::intValue).sum();
            }
        });
        assertEquals(45, r.value());
        assertEquals(2, r.virtualMillis());
    }
}
