package dev.coflow.test;

import static org.junit.jupiter.api.Assertions.*;

import dev.coflow.bridge.Suspend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.FlowKt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FlowTesterTest {

    @AfterEach
    void nothingLeftRunning() {
        CoflowExtension.assertNoBodiesRunning(Duration.ofSeconds(2));
    }

    private static Flow<Integer> ticking(int count, long millis) {
        return JavaGenerator.generate(e -> {
            for (int i = 1; i <= count; i++) {
                Suspend.delay(millis);
                e.emit(i);
            }
        });
    }

    private static Flow<Integer> failingAfter(int items, RuntimeException error) {
        return JavaGenerator.generate(e -> {
            for (int i = 1; i <= items; i++) {
                e.emit(i);
            }
            throw error;
        });
    }

    // ---- passes when it should -----------------------------------------------------------------

    @Test
    void itemsThenCompletionStandalone() {
        FlowTester.test(FlowKt.asFlow(List.of("a", "b")), t -> {
            assertEquals("a", t.awaitItem());
            assertEquals("b", t.awaitItem());
            t.awaitComplete();
        });
    }

    @Test
    void generatorWithDelaysInVirtualTime() {
        VirtualTime.run(scope -> FlowTester.test(ticking(3, 1_000), t -> {
            assertEquals(1, t.awaitItem());
            assertEquals(1_000, scope.currentTime());
            t.skipItems(1);
            assertEquals(3, t.awaitItem());
            t.awaitComplete();
            assertEquals(3_000, scope.currentTime());
        }));
    }

    @Test
    void awaitErrorReturnsTheFlowsException() {
        FlowTester.test(failingAfter(1, new IllegalStateException("boom")), t -> {
            assertEquals(1, t.awaitItem());
            Throwable e = t.awaitError();
            assertInstanceOf(IllegalStateException.class, e);
            assertEquals("boom", e.getMessage());
        });
    }

    @Test
    void expectNoEventsWhileTheFlowIsQuietThenTheItem() {
        VirtualTime.run(scope -> FlowTester.test(ticking(1, 500), t -> {
            t.expectNoEvents();
            scope.advanceTimeBy(499);
            t.expectNoEvents();
            assertEquals(1, t.awaitItem());
            t.awaitComplete();
        }));
    }

    @Test
    void expectMostRecentItemSkipsOlderOnes() {
        VirtualTime.run(scope -> FlowTester.test(ticking(5, 100), t -> {
            scope.advanceTimeBy(301);
            assertEquals(3, t.expectMostRecentItem());
            assertEquals(4, t.awaitItem());
            t.cancelAndIgnoreRemainingEvents();
        }));
    }

    @Test
    void cancelAndConsumeReturnsWhatArrivedInOrder() {
        VirtualTime.run(scope -> FlowTester.test(failingAfter(2, new IllegalArgumentException("x")), t -> {
            List<FlowEvent<Integer>> rest = t.cancelAndConsumeRemainingEvents();
            assertEquals(3, rest.size(), rest.toString());
            assertEquals(new FlowEvent.Item<>(1), rest.get(0));
            assertEquals(new FlowEvent.Item<>(2), rest.get(1));
            assertInstanceOf(FlowEvent.Error.class, rest.get(2));
        }));
    }

    @Test
    void cancellingStopsAnEndlessFlowAndRunsItsFinally() {
        List<String> log = new ArrayList<>();
        VirtualTime.run(scope -> FlowTester.test(
                JavaGenerator.<Integer>generate(e -> {
                    try {
                        for (int i = 0; ; i++) {
                            Suspend.delay(10);
                            e.emit(i);
                        }
                    } catch (CancellationException ce) {
                        synchronized (log) {
                            log.add("cancelled");
                        }
                        throw ce;
                    } finally {
                        synchronized (log) {
                            log.add("finally");
                        }
                    }
                }),
                t -> {
                    assertEquals(0, t.awaitItem());
                    assertEquals(1, t.awaitItem());
                    t.cancelAndIgnoreRemainingEvents();
                }));
        assertEquals(List.of("cancelled", "finally"), log);
    }

    @Test
    void nullItemsOfKotlinFlowsAreItems() {
        FlowTester.test(FlowKt.flowOf((String) null), t -> {
            assertNull(t.awaitItem());
            t.awaitComplete();
        });
    }

    // ---- fails when it should ------------------------------------------------------------------

    @Test
    void awaitItemOnACompletedFlowSaysCompleted() {
        AssertionError e = assertThrows(
                AssertionError.class,
                () -> FlowTester.test(FlowKt.flowOf(1), t -> {
                    assertEquals(1, t.awaitItem());
                    t.awaitItem();
                }));
        assertTrue(e.getMessage().contains("Expected an item but the flow completed"), e.getMessage());
        assertTrue(e.getMessage().contains("[Item(1), Complete]"), "lists what arrived, in order: " + e.getMessage());
    }

    @Test
    void awaitItemOnAFailedFlowSaysErrorAndCarriesTheCause() {
        AssertionError e = assertThrows(
                AssertionError.class,
                () -> FlowTester.test(failingAfter(0, new IllegalStateException("kaput")), FlowTester::awaitItem));
        assertTrue(e.getMessage().contains("error"), e.getMessage());
        assertTrue(e.getMessage().contains("kaput"), e.getMessage());
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals("kaput", e.getCause().getMessage());
    }

    @Test
    void awaitCompleteOnAnItemNamesTheItem() {
        AssertionError e =
                assertThrows(AssertionError.class, () -> FlowTester.test(FlowKt.flowOf(42), FlowTester::awaitComplete));
        assertTrue(e.getMessage().contains("Expected completion but got item 42"), e.getMessage());
    }

    @Test
    void awaitErrorOnCompletionFails() {
        AssertionError e = assertThrows(
                AssertionError.class,
                () -> FlowTester.test(FlowKt.emptyFlow(), t -> {
                    t.awaitError();
                }));
        assertTrue(e.getMessage().contains("Expected an error but the flow completed"), e.getMessage());
    }

    @Test
    void unconsumedEventsFailTheTestAndAreListed() {
        AssertionError e = assertThrows(
                AssertionError.class,
                () -> FlowTester.test(FlowKt.flowOf(1, 2, 3), t -> {
                    assertEquals(1, t.awaitItem());
                }));
        assertTrue(
                e.getMessage().contains("Unconsumed events at the end of the test: [Item(2), Item(3), Complete]"),
                e.getMessage());
    }

    @Test
    void expectNoEventsFailsOnAnArrivedItem() {
        AssertionError e = assertThrows(
                AssertionError.class,
                () -> VirtualTime.run(scope -> FlowTester.test(FlowKt.flowOf(7), FlowTester::expectNoEvents)));
        assertTrue(e.getMessage().contains("Expected no events but got item 7"), e.getMessage());
    }

    @Test
    void expectMostRecentItemFailsWithoutItems() {
        AssertionError e = assertThrows(
                AssertionError.class,
                () -> VirtualTime.run(scope -> FlowTester.test(ticking(1, 1_000), t -> {
                    t.expectMostRecentItem();
                })));
        assertTrue(e.getMessage().contains("at least one item"), e.getMessage());
    }

    @Test
    void skipItemsFailsWhenTheFlowEndsEarly() {
        AssertionError e =
                assertThrows(AssertionError.class, () -> FlowTester.test(FlowKt.flowOf(1), t -> t.skipItems(2)));
        assertTrue(e.getMessage().contains("Expected item 2 of 2 to skip but the flow completed"), e.getMessage());
    }

    @Test
    void virtualTimeoutFailsAtOnceInWallClockTerms() {
        long t0 = System.nanoTime();
        AssertionError e = assertThrows(
                AssertionError.class,
                () -> VirtualTime.run(scope -> FlowTester.test(ticking(1, 60_000), t -> {
                    t.awaitItem();
                })));
        assertTrue(e.getMessage().contains("no event arrived within 3000 ms of virtual time"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "a virtual timeout must not wait in real time");
        VirtualTime.run(scope -> FlowTester.test(ticking(1, 60_000), Duration.ofMinutes(2), t -> {
            assertEquals(1, t.awaitItem());
            t.awaitComplete();
        }));
    }

    @Test
    void wallClockTimeoutStandalone() {
        AssertionError e = assertThrows(
                AssertionError.class,
                () -> FlowTester.test(FlowKt.emptyFlow(), Duration.ofMillis(50), t -> {
                    t.awaitComplete();
                    t.awaitItem();
                }));
        assertTrue(e.getMessage().contains("the flow completed before"), e.getMessage());
        AssertionError timeout = assertThrows(
                AssertionError.class, () -> FlowTester.test(FlowKt.<Integer>flowOf(), Duration.ofMillis(50), t -> {}));
        // an empty flow's completion is an unconsumed event
        assertTrue(timeout.getMessage().contains("Unconsumed events"), timeout.getMessage());
        AssertionError never = assertThrows(
                AssertionError.class,
                () -> FlowTester.test(
                        JavaGenerator.<Integer>generate(
                                em -> Suspend.await(new java.util.concurrent.CompletableFuture<Void>())),
                        Duration.ofMillis(50),
                        t -> {
                            t.awaitItem();
                        }));
        assertTrue(never.getMessage().contains("no event arrived within 50 ms"), never.getMessage());
    }

    @Test
    void bodyFailuresPassThroughUnchanged() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> FlowTester.test(FlowKt.flowOf(1), t -> {
                    throw new IllegalStateException("mine");
                }));
        assertEquals("mine", e.getMessage());
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(NullPointerException.class, () -> FlowTester.test(null, t -> {}));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> FlowTester.test(FlowKt.flowOf(1), Duration.ofSeconds(-1), t -> {}));
        assertTrue(e.getMessage().contains("timeout must be positive"));
    }
}
