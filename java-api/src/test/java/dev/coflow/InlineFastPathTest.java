package dev.coflow;

import static org.junit.jupiter.api.Assertions.*;

import dev.coflow.bridge.Suspend;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import kotlinx.coroutines.flow.FlowKt;
import org.junit.jupiter.api.Test;

/** The generator driven directly by a blocking terminal runs on the caller's thread. */
class InlineFastPathTest {
    @Test
    void generatorCollectedByBlockingTerminalRunsOnCallerThread() {
        Thread caller = Thread.currentThread();
        List<Thread> seen = new ArrayList<>();
        AsyncFlow<Integer> f = AsyncFlow.generate(e -> {
            seen.add(Thread.currentThread());
            Suspend.delay(1);
            e.emit(1);
            Suspend.await(CompletableFuture.supplyAsync(() -> 2)).intValue();
            e.emit(2);
        });
        assertEquals(List.of(1, 2), f.toList());
        assertSame(caller, seen.get(0));
        // buffer: the producer runs off the caller's thread, on a virtual thread
        assertEquals(List.of(1, 2), f.buffer(1).toList());
        assertNotSame(caller, seen.get(1));
        assertTrue(seen.get(1).isVirtual());
        // zip collects both sides in child coroutines (a flow scope and a producer): only the
        // root coroutine's own body runs inline, so both get virtual threads
        AsyncFlow<Integer> zipped = AsyncFlow.from(FlowKt.zip(f, f, (x, y, c) -> x + y));
        assertEquals(List.of(2, 4), zipped.toList());
        assertEquals(4, seen.size());
        assertEquals(2, seen.subList(2, 4).stream().filter(Thread::isVirtual).count());
    }

    @Test
    void bufferedBlockingProducerOverlapsWithABlockingConsumer() {
        // The consumer blocks on item 1 until the producer has produced item 2: only possible if
        // the producer runs ahead while the consumer's code holds the calling thread.
        java.util.concurrent.CountDownLatch producedSecond = new java.util.concurrent.CountDownLatch(1);
        AsyncFlow<Integer> f = AsyncFlow.generate(e -> {
            e.emit(1);
            producedSecond.countDown();
            e.emit(2);
        });
        List<Boolean> overlapped = new ArrayList<>();
        assertTimeoutPreemptively(
                java.time.Duration.ofSeconds(20),
                () -> f.buffer(2).forEach(v -> {
                    if (v == 1) {
                        overlapped.add(producedSecond.await(10, java.util.concurrent.TimeUnit.SECONDS));
                    }
                }));
        assertEquals(List.of(true), overlapped);
        // a consumer lambda is not part of the producer's body: it is a step of the consumer's
        // coroutine, and its waits are the consumer's (no protocol error with the producer's fiber)
        assertEquals(
                List.of(true),
                AsyncFlow.of(1)
                        .buffer()
                        .map(v -> {
                            Suspend.delay(1);
                            return Suspend.inCoroutine();
                        })
                        .toList());
    }

    @Test
    void interruptingTheCallerStopsAnInlineGeneratorThatNeverSuspends() {
        // The generator runs inline on this thread and its emits never suspend: the interrupt can
        // only be noticed by the body's periodic check, and must become cancellation.
        List<String> log = new ArrayList<>();
        AsyncFlow<Integer> endless = AsyncFlow.generate(e -> {
            try {
                for (int i = 0; ; i++) {
                    if (i == 100) {
                        Thread.currentThread().interrupt();
                    }
                    e.emit(i);
                }
            } finally {
                log.add("finally");
            }
        });
        assertThrows(java.util.concurrent.CancellationException.class, () -> endless.forEach(v -> {}));
        assertTrue(Thread.interrupted(), "the interrupt flag is kept (and cleared here)");
        assertEquals(List.of("finally"), log);
    }

    @Test
    void zipOfTwoGeneratorsDoesNotDeadlock() {
        AsyncFlow<Integer> a = AsyncFlow.generate(e -> {
            for (int i = 0; i < 100; i++) {
                Suspend.delay(0);
                e.emit(i);
            }
        });
        AsyncFlow<Integer> b = AsyncFlow.generate(e -> {
            for (int i = 0; i < 100; i++) {
                e.emit(i * 10);
            }
        });
        AsyncFlow<Integer> zipped = AsyncFlow.from(FlowKt.zip(a, b, (x, y, c) -> x + y));
        List<Integer> r = zipped.toList();
        assertEquals(100, r.size());
        assertEquals(11 * 99, r.get(99));
    }

    @Test
    void nestedTerminalInsideInlineGenerator() {
        AsyncFlow<Integer> inner = AsyncFlow.generate(e -> {
            e.emit(1);
            e.emit(2);
        });
        AsyncFlow<Integer> outer = AsyncFlow.generate(e -> {
            for (int v : inner.toList()) {
                e.emit(v * 100);
            }
        });
        assertEquals(List.of(100, 200), outer.toList());
    }

    @Test
    void aGeneratorInsideUsingOrEmitAllRunsInlineToo() {
        // the inner body starts inside a call of the inline outer body (using's emitAll, a
        // generator's emitAll): it nests on the caller's thread instead of paying a handoff per element
        Thread caller = Thread.currentThread();
        List<Boolean> onCaller = new ArrayList<>();
        AsyncFlow<Integer> inner = AsyncFlow.generate(e -> {
            onCaller.add(Thread.currentThread() == caller);
            e.emit(1);
            e.emit(2);
        });
        List<String> released = new ArrayList<>();
        assertEquals(
                List.of(1, 2),
                AsyncFlow.using(() -> "r", r -> inner, released::add).toList());
        assertEquals(List.of("r"), released);
        assertEquals(
                List.of(0, 1, 2),
                AsyncFlow.<Integer>generate(e -> {
                            e.emit(0);
                            e.emitAll(inner);
                        })
                        .map(v -> v)
                        .toList());
        assertEquals(List.of(true, true), onCaller);
    }
}
