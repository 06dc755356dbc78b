package dev.coflow;

import static dev.coflow.OperatorTestBase.inVirtualTime;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coflow.OperatorTestBase.Timed;
import dev.coflow.bridge.Suspend;
import dev.coflow.test.CoflowExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** channelFlow: several producers into one flow, failure, cancellation, timing in virtual time. */
class ChannelFlowTest {
    /** After each test, no coroutine body it started may still be running (the harness's leak check). */
    @RegisterExtension
    static final CoflowExtension COFLOW = CoflowExtension.withLeakGrace(Duration.ZERO);

    private final List<String> log = new CopyOnWriteArrayList<>();

    /** The battery with channelFlow used as an operator: the body forwards the upstream. */
    @Nested
    class Forwarding extends OperatorTestBase {
        protected AsyncFlow<?> apply(AsyncFlow<Integer> up) {
            return AsyncFlow.<Integer>channelFlow(p -> up.forEach(p::send));
        }

        protected List<?> expected() {
            return List.of(1, 2, 3, 4, 5);
        }

        protected List<String> expectedOrder() {
            return null;
        }
    }

    /** Sends {@code prefix1..prefixN}, one every {@code every} ms, logging its end. */
    private dev.coflow.bridge.SuspendRunnable ticker(Producer<String> p, String prefix, int n, long every) {
        return () -> {
            try {
                for (int i = 1; i <= n; i++) {
                    Suspend.delay(every);
                    p.send(prefix + i);
                }
            } catch (CancellationException e) {
                log.add(prefix + " cancelled");
                throw e;
            } finally {
                log.add(prefix + " finally");
            }
        };
    }

    @Test
    void severalProducersInterleaveByTime() {
        Timed<List<String>> t = inVirtualTime(() -> AsyncFlow.<String>channelFlow(p -> {
                    p.launch(ticker(p, "a", 3, 100));
                    p.launch(ticker(p, "b", 2, 130));
                })
                .toList());
        assertEquals(List.of("a1", "b1", "a2", "b2", "a3"), t.value());
        assertEquals(300, t.virtualMillis());
    }

    @Test
    void theBodyItselfAndLaunchedBodiesAllSend() {
        List<String> got = AsyncFlow.<String>channelFlow(p -> {
                    p.launch(() -> p.send("launched"));
                    p.send("body");
                })
                .toList();
        assertEquals(List.of("body", "launched"), got.stream().sorted().toList());
    }

    @Test
    void aPlainThreadMaySend() {
        List<Integer> got = AsyncFlow.<Integer>channelFlow(p -> {
                    Thread t = Thread.ofPlatform().start(() -> {
                        for (int i = 1; i <= 3; i++) {
                            p.send(i);
                        }
                    });
                    t.join(); // a producer body may block
                })
                .toList();
        assertEquals(List.of(1, 2, 3), got);
    }

    @Test
    void aFailingProducerCancelsTheOthersAndFailsTheFlow() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> AsyncFlow.<String>channelFlow(p -> {
                            p.launch(ticker(p, "slow", 1_000, 1_000));
                            p.launch(() -> {
                                Suspend.delay(10);
                                throw new IllegalStateException("producer failed");
                            });
                        })
                        .toList());
        assertEquals("producer failed", e.getMessage());
        assertEquals(List.of("slow cancelled", "slow finally"), log);
    }

    @Test
    void earlyExitCancelsEveryProducer() {
        Timed<List<String>> t = inVirtualTime(() -> AsyncFlow.<String>channelFlow(p -> {
                    p.launch(ticker(p, "a", 1_000, 100));
                    p.launch(ticker(p, "b", 1_000, 100));
                })
                .take(3)
                .toList());
        assertEquals(3, t.value().size());
        assertTrue(log.containsAll(List.of("a cancelled", "a finally", "b cancelled", "b finally")), log::toString);
        assertEquals(200, t.virtualMillis());
    }

    @Test
    void checkedFailureOfTheBodyIsWrapped() {
        java.io.UncheckedIOException e = assertThrows(
                java.io.UncheckedIOException.class,
                () -> AsyncFlow.<String>channelFlow(p -> {
                            p.send("x");
                            throw new java.io.IOException("socket closed");
                        })
                        .toList());
        assertEquals("socket closed", e.getCause().getMessage());
    }

    @Test
    void sendingNullFailsWithAMessage() {
        NullPointerException e = assertThrows(
                NullPointerException.class,
                () -> AsyncFlow.<String>channelFlow(p -> p.send(null)).toList());
        assertTrue(e.getMessage().contains("channelFlow"), e.getMessage());
    }

    @Test
    void closeWithCauseFailsTheFlowAfterBufferedElements() {
        List<String> got = new CopyOnWriteArrayList<>();
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> AsyncFlow.<String>channelFlow(p -> {
                            p.send("before");
                            p.close(new IllegalArgumentException("remote error"));
                        })
                        .forEach(got::add));
        assertEquals("remote error", e.getMessage());
        assertEquals(List.of("before"), got);
    }
}
