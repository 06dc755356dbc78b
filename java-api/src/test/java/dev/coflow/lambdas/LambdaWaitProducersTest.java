package dev.coflow.lambdas;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.coflow.AsyncFlow;
import dev.coflow.AsyncSharedFlow;
import dev.coflow.FlowScope;
import dev.coflow.MutableAsyncSharedFlow;
import dev.coflow.MutableAsyncStateFlow;
import dev.coflow.SharingStarted;
import dev.coflow.bridge.Suspend;
import dev.coflow.test.VirtualTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * "Suspend-like everywhere" for producer bodies and hot flows: {@code channelFlow} producers
 * (the body and bodies it launches), {@code callbackFlow} bodies, lambdas collecting a
 * {@link MutableAsyncSharedFlow} or {@link MutableAsyncStateFlow}, and upstream lambdas of a
 * {@code shareIn} sharing coroutine.
 *
 * <p>Rule checked: these lambdas may wait with {@code Suspend.delay} or {@code Suspend.await}
 * with the right results on every driver path; under virtual time (a {@code shareIn} in the
 * test's background scope included) n waits of d ms read exactly n*d; {@code timeout}, a cancelled
 * {@code toListAsync()}, an interrupted caller and closing a {@link FlowScope} cancel a waiting
 * lambda, running its {@code finally} once.
 */
class LambdaWaitProducersTest extends LambdaWaitTestBase {

    /** The producers and hot-flow collectors under test, each yielding 1, 2, 3 (or 1). */
    enum Op {
        CHANNEL_FLOW(List.of(1, 2, 3), 3) {
            AsyncFlow<?> build(Hook h) {
                return AsyncFlow.<Integer>channelFlow(p -> {
                    for (int i = 1; i <= 3; i++) {
                        p.send(h.at(i));
                    }
                });
            }
        },
        CHANNEL_FLOW_LAUNCHED(List.of(1, 2, 3), 3) {
            AsyncFlow<?> build(Hook h) {
                return AsyncFlow.<Integer>channelFlow(p -> p.launch(() -> {
                    for (int i = 1; i <= 3; i++) {
                        p.send(h.at(i));
                    }
                }));
            }
        },
        CALLBACK_FLOW(List.of(1, 2, 3), 3) {
            AsyncFlow<?> build(Hook h) {
                return AsyncFlow.<Integer>callbackFlow(p -> {
                    for (int i = 1; i <= 3; i++) {
                        p.trySend(h.at(i));
                    }
                    p.close();
                    p.awaitClose(() -> {});
                });
            }
        },
        SHARED_FLOW_COLLECTOR(List.of(10, 20, 30), 3) {
            AsyncFlow<?> build(Hook h) {
                MutableAsyncSharedFlow<Integer> hot = MutableAsyncSharedFlow.create(3);
                for (int i = 1; i <= 3; i++) {
                    hot.tryEmit(i); // into the replay cache
                }
                return hot.asFlow().map(i -> h.at(i) * 10).take(3);
            }
        },
        STATE_FLOW_COLLECTOR(List.of(10), 1) {
            AsyncFlow<?> build(Hook h) {
                MutableAsyncStateFlow<Integer> state = MutableAsyncStateFlow.create(1);
                return state.asFlow().map(i -> h.at(i) * 10).take(1);
            }
        };

        final List<?> expected;
        final int calls;

        Op(List<?> expected, int calls) {
            this.expected = expected;
            this.calls = calls;
        }

        abstract AsyncFlow<?> build(Hook hook);
    }

    static Stream<Arguments> everyCombination() {
        return product(Op.values(), Path.values(), Wait.values());
    }

    // ------------------------------------------------------------------ 1 and 3: values on every path

    @ParameterizedTest(name = "{0}, {1}, lambda uses Suspend.{2}")
    @MethodSource("everyCombination")
    void lambdaThatWaitsGivesTheRightValues(Op op, Path path, Wait wait) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        List<?> got = promptly(op + " on " + path, () -> path.toList(op.build(wait.hook(calls))));
        assertEquals(op.expected, got);
        assertEquals(op.calls, calls.get(), "lambda calls");
    }

    // ------------------------------------------------------------------ 2: virtual time

    @ParameterizedTest(name = "{0}: n calls of Suspend.delay(100) take n*100 virtual ms")
    @EnumSource(Op.class)
    void delaysInTheLambdaRunOnTheVirtualClock(Op op) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        long[] now = new long[1];
        List<?> got = promptly(
                op + " under virtual time",
                () -> VirtualTime.call(scope -> {
                    List<?> r = op.build(delayHook(D, calls)).toList();
                    now[0] = scope.currentTime();
                    return r;
                }));
        assertEquals(op.expected, got);
        assertEquals(op.calls * D, now[0], "virtual time after " + op.calls + " waits of " + D + " ms");
    }

    @ParameterizedTest(name = "{0}: Suspend.await of futures a child completes every 100 virtual ms")
    @EnumSource(Op.class)
    void awaitInTheLambdaOfAFutureCompletedByAnotherCoroutine(Op op) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        long[] now = new long[1];
        List<?> got = promptly(
                op + " awaiting a child's futures",
                () -> VirtualTime.call(scope -> {
                    List<?> r = op.build(childCompletedHook(scope, 3, calls)).toList();
                    now[0] = scope.currentTime();
                    return r;
                }));
        assertEquals(op.expected, got);
        assertEquals(op.calls * D, now[0], "virtual time");
    }

    @Test
    void shareInUpstreamLambdaWaitsOnTheVirtualClock() throws Exception {
        // the sharing coroutine is background work, which does not move the clock by itself (as in
        // kotlinx runTest): the test moves it and reads the replay cache at exact instants
        List<List<Integer>> seen = promptly(
                "shareIn in the background scope",
                () -> VirtualTime.call(scope -> {
                    AsyncFlow<Integer> upstream = Source.GENERATOR.flow().map(i -> {
                        Suspend.delay(D);
                        return i * 10;
                    });
                    AsyncSharedFlow<Integer> shared =
                            upstream.shareIn(scope.backgroundScope(), SharingStarted.EAGERLY, 3);
                    List<List<Integer>> r = new ArrayList<>();
                    scope.advanceTimeBy(2 * D + D / 2); // the lambda's waits end at D, 2D, 3D
                    r.add(List.copyOf(shared.replayCache()));
                    scope.advanceTimeBy(D);
                    r.add(List.copyOf(shared.replayCache()));
                    r.add(shared.asFlow().take(3).toList());
                    return r;
                }));
        assertEquals(List.of(10, 20), seen.get(0), "replay cache at virtual " + (2 * D + D / 2) + " ms");
        assertEquals(List.of(10, 20, 30), seen.get(1), "replay cache at virtual " + (3 * D + D / 2) + " ms");
        assertEquals(List.of(10, 20, 30), seen.get(2), "a subscriber's elements");
    }

    @Test
    void shareInUpstreamLambdaWaitsInAFlowScope() throws Exception {
        List<?> got = promptly("shareIn in a FlowScope", () -> {
            try (FlowScope flowScope = FlowScope.create()) {
                AsyncFlow<Integer> upstream = Source.GENERATOR.flow().map(i -> {
                    Suspend.delay(1);
                    return Suspend.await(CompletableFuture.supplyAsync(
                            () -> i * 10, CompletableFuture.delayedExecutor(1, TimeUnit.MILLISECONDS)));
                });
                return upstream.shareIn(flowScope, SharingStarted.EAGERLY, 3)
                        .asFlow()
                        .take(3)
                        .toList();
            }
        });
        assertEquals(List.of(10, 20, 30), got);
    }

    // ------------------------------------------------------------------ 4: cancellation while the lambda waits

    @ParameterizedTest(name = "{0}: timeout(200 ms) cancels a 10 s wait at virtual 200 ms")
    @EnumSource(Op.class)
    void timeoutCancelsTheWaitingLambdaOnTheVirtualClock(Op op) throws Exception {
        assertTimeoutCancelsOnTheVirtualClock(h -> op.build(h).timeout(LIMIT).toList());
    }

    @ParameterizedTest(name = "shared-flow collector waiting 10 s, timeout(200 ms), {0}: fails promptly")
    @EnumSource(
            value = Path.class,
            names = {"BLOCKING", "COROUTINES_RUN"})
    void timeoutAroundAWaitingHotFlowCollectorFailsPromptly(Path path) throws Exception {
        assertTimeoutIsPromptInRealTime(
                h -> path.toList(Op.SHARED_FLOW_COLLECTOR.build(h).timeout(LIMIT)));
    }

    @ParameterizedTest(name = "{0}: cancelling toListAsync() ends the lambda's wait")
    @EnumSource(Op.class)
    void cancellingToListAsyncCancelsTheWaitingLambda(Op op) throws Exception {
        assertCancellingTheFutureCancels(h -> op.build(h).toListAsync());
    }

    @ParameterizedTest(name = "{0}: interrupting the thread blocked in toList() cancels the lambda")
    @EnumSource(Op.class)
    void interruptingTheBlockedCallerCancelsTheWaitingLambda(Op op) throws Exception {
        assertInterruptCancels(h -> op.build(h).toList());
    }

    @Test
    void closingTheFlowScopeCancelsAWaitingShareInUpstreamLambda() throws Exception {
        LongWait w = longWait(TEN_MINUTES);
        Once sourceFinally = new Once();
        FlowScope flowScope = FlowScope.create();
        try {
            Source.GENERATOR.flow(3, sourceFinally).map(w::hook).shareIn(flowScope, SharingStarted.EAGERLY, 1);
            awaitPromptly(w.entered, "the sharing coroutine's lambda never started waiting");
        } finally {
            promptly("FlowScope.close() while the upstream lambda waits", () -> {
                flowScope.close();
                return null;
            });
        }
        assertRanOnce(w.done, "the waiting upstream lambda's finally");
        assertRanOnce(sourceFinally, "the generator's finally");
    }
}
