package dev.coflow;

import static dev.coflow.OperatorTestBase.inVirtualTime;
import static org.junit.jupiter.api.Assertions.*;

import dev.coflow.OperatorTestBase.Timed;
import dev.coflow.bridge.Coroutines;
import dev.coflow.bridge.Suspend;
import dev.coflow.test.CoflowExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** AsyncFlow.generate: the Java async generator. */
class GenerateTest {
    @Test
    void loopsAndTransforms() {
        AsyncFlow<Integer> f = AsyncFlow.generate(e -> {
            for (int i = 0; i < 5; i++) {
                e.emit(i);
            }
        });
        assertEquals(List.of(0, 10, 20, 30, 40), f.map(x -> x * 10).toList());
        assertEquals("0,1,2,3,4", f.map(String::valueOf).collect(Collectors.joining(",")));
        assertEquals(499500L, (long) AsyncFlow.<Integer>generate(e -> {
                    for (int i = 0; i < 1000; i++) {
                        e.emit(i);
                    }
                })
                .buffer(16)
                .collect(Collectors.summingLong(x -> x)));
    }

    @Test
    void emptyBodyAndEmitAll() {
        assertEquals(List.of(), AsyncFlow.generate(e -> {}).toList());
        assertEquals(
                List.of("a", "b", "c"),
                AsyncFlow.<String>generate(e -> e.emitAll(List.of("a", "b", "c")))
                        .toList());
    }

    @Test
    void delaysAndAwaitsUseTheCollectorsClock() {
        Timed<List<String>> r = inVirtualTime(() -> AsyncFlow.<String>generate(e -> {
                    Suspend.delay(1_000);
                    e.emit(Suspend.await(CompletableFuture.completedFuture("ready")));
                    Suspend.delay(2_000);
                    e.emit("done");
                })
                .toList());
        assertEquals(List.of("ready", "done"), r.value());
        assertEquals(3_000, r.virtualMillis());
    }

    @Test
    void emitAllForwardsAnotherFlowFromTheBodyInEveryContext() throws Exception {
        AsyncFlow<Integer> inner = AsyncFlow.generate(e -> {
            e.emit(1);
            e.emit(2);
        });
        AsyncFlow<Integer> outer = AsyncFlow.generate(e -> {
            e.emit(0);
            e.emitAll(inner); // kotlinx emitAll(flow)
            e.emitAll(List.of(3));
        });
        assertEquals(List.of(0, 1, 2, 3), outer.toList()); // inline
        assertEquals(List.of(0, 1, 2, 3), outer.buffer(1).toList()); // on a virtual thread
        assertEquals(
                List.of(0, 1, 2, 3),
                kotlinx.coroutines.BuildersKt.runBlocking(
                        kotlinx.coroutines.Dispatchers.getDefault(),
                        (s, c) -> kotlinx.coroutines.flow.FlowKt.toList(outer, new java.util.ArrayList<>(), c)));
        AsyncFlow<Integer> withNull =
                AsyncFlow.generate(e -> e.emitAll(kotlinx.coroutines.flow.FlowKt.flowOf(new Integer[] {1, null})));
        NullPointerException npe = assertThrows(NullPointerException.class, withNull::toList);
        assertTrue(npe.getMessage().contains("null"), npe.getMessage());
    }

    @Test
    void aBodyMayBlockAndCollectOtherFlows() {
        AsyncFlow<Integer> inner = AsyncFlow.range(0, 3);
        AsyncFlow<Integer> outer = AsyncFlow.generate(e -> {
            new java.util.concurrent.CountDownLatch(0).await(); // a plain blocking call is allowed in a body
            List<Integer> firstPass = inner.toList();
            e.emit(firstPass.size());
            try (var it = inner.iterator()) {
                while (it.hasNext()) {
                    e.emit(it.next() * 100);
                }
            }
        });
        assertEquals(List.of(3, 0, 100, 200), outer.toList());
        CoflowExtension.assertNoBodiesRunning(Duration.ZERO);
    }

    @Test
    void nestedGeneratorsInsideRun() {
        List<Integer> r = Coroutines.run(s -> AsyncFlow.<Integer>generate(e -> {
                    Suspend.delay(1);
                    e.emit(1);
                })
                .toList());
        assertEquals(List.of(1), r);
    }

    @Test
    void manyElements() {
        assertEquals(
                10_000,
                AsyncFlow.<Integer>generate(e -> {
                            for (int i = 0; i < 10_000; i++) {
                                e.emit(i);
                            }
                        })
                        .count());
    }

    @Test
    void forwardingAnotherFlowFromABody() {
        AsyncFlow<Integer> inner = AsyncFlow.generate(e -> {
            e.emit(1);
            e.emit(2);
        });
        AsyncFlow<Integer> forwarded = AsyncFlow.generate(e -> {
            try (var it = inner.iterator()) {
                while (it.hasNext()) {
                    e.emit(it.next() * 10);
                }
            }
        });
        assertEquals(List.of(10, 20), forwarded.toList());
        assertEquals(List.of(10, 20), inVirtualTime(forwarded::toList).value());
        assertEquals(
                List.of(10, 20),
                assertTimeoutPreemptively(
                        java.time.Duration.ofSeconds(20),
                        () -> forwarded.toListAsync().get()));
        CoflowExtension.assertNoBodiesRunning(Duration.ZERO);
    }

    @Test
    void nullBodyRejected() {
        var e = assertThrows(NullPointerException.class, () -> AsyncFlow.generate(null));
        assertEquals("body", e.getMessage());
    }

    @Test
    void bodyCanRecoverFromItsOwnErrors() {
        List<String> r = AsyncFlow.<String>generate(e -> {
                    for (String s : new ArrayList<>(List.of("1", "x", "3"))) {
                        try {
                            e.emit(String.valueOf(Integer.parseInt(s) * 2));
                        } catch (NumberFormatException bad) {
                            e.emit("skip " + s);
                        }
                    }
                })
                .toList();
        assertEquals(List.of("2", "skip x", "6"), r);
    }
}
