package dev.coflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coflow.bridge.Coroutines;
import dev.coflow.bridge.Suspend;
import dev.coflow.test.CoflowExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import kotlinx.coroutines.JobKt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SharingTest {
    /** After each test, no coroutine body it started may still be running (the harness's leak check). */
    @RegisterExtension
    static final CoflowExtension COFLOW = CoflowExtension.withLeakGrace(Duration.ZERO);

    private final VirtualScope v = new VirtualScope();
    private final AtomicInteger starts = new AtomicInteger();
    private final List<Long> stoppedAt = new CopyOnWriteArrayList<>();

    /** Emits 1, 2, 3, ... one per virtual second, forever; records starts and stop times. */
    private final AsyncFlow<Integer> ticker = AsyncFlow.generate(out -> {
        starts.incrementAndGet();
        try {
            for (int i = 1; ; i++) {
                Suspend.delay(1_000);
                out.emit(i);
            }
        } finally {
            stoppedAt.add(v.now());
        }
    });

    @AfterEach
    void nothingLeftRunning() {
        v.shutdown();
    }

    @Test
    void stateInEagerlyRunsAtOnceAndFollowsTheUpstream() {
        AsyncStateFlow<Integer> state = ticker.stateIn(v.scope, SharingStarted.EAGERLY, 0);
        v.runCurrent();
        assertEquals(1, starts.get());
        assertEquals(0, state.value());
        v.advanceBy(1_000);
        assertEquals(1, state.value());
        v.advanceBy(2_500);
        assertEquals(3, state.value());
        v.scope.cancel();
        v.runCurrent();
        assertEquals(List.of(3_500L), stoppedAt, "cancelling the scope stops the upstream at once");
    }

    @Test
    void shareInLazilyStartsWithTheFirstSubscriberAndNeverStops() {
        AsyncSharedFlow<Integer> shared = ticker.shareIn(v.scope, SharingStarted.LAZILY, 1);
        v.advanceBy(5_000);
        assertEquals(0, starts.get(), "no subscriber yet");
        CompletableFuture<List<Integer>> first =
                v.start(() -> shared.asFlow().take(2).toList());
        v.advanceBy(2_000);
        assertEquals(List.of(1, 2), first.join());
        assertEquals(1, starts.get());
        v.advanceBy(10_000);
        assertEquals(List.of(), stoppedAt, "LAZILY keeps running without subscribers");
        assertEquals(List.of(12), shared.replayCache());
        CompletableFuture<List<Integer>> late =
                v.start(() -> shared.asFlow().take(2).toList());
        v.advanceBy(1_000);
        assertEquals(List.of(12, 13), late.join(), "replay 1, then live values");
        assertEquals(1, starts.get(), "one upstream for all subscribers");
    }

    @Test
    void whileSubscribedStopsAfterTheTimeoutAndRestartsForANewSubscriber() {
        AsyncSharedFlow<Integer> shared =
                ticker.shareIn(v.scope, SharingStarted.whileSubscribed(Duration.ofSeconds(5)), 0);
        v.advanceBy(10_000);
        assertEquals(0, starts.get());
        CompletableFuture<List<Integer>> a =
                v.start(() -> shared.asFlow().take(2).toList());
        v.advanceBy(2_000); // t = 12 s: the subscriber got 1, 2 and left
        assertEquals(List.of(1, 2), a.join());
        v.advanceBy(4_999);
        assertEquals(List.of(), stoppedAt, "still within the stop timeout");
        v.advanceBy(1);
        assertEquals(List.of(17_000L), stoppedAt, "stopped exactly 5 s after the last subscriber left");
        CompletableFuture<List<Integer>> b =
                v.start(() -> shared.asFlow().take(1).toList());
        v.advanceBy(1_000);
        assertEquals(List.of(1), b.join(), "a fresh upstream run");
        assertEquals(2, starts.get());
    }

    @Test
    void whileSubscribedKeepsRunningForASubscriberThatComesBackInTime() {
        AsyncStateFlow<Integer> state =
                ticker.stateIn(v.scope, SharingStarted.whileSubscribed(Duration.ofSeconds(5)), 0);
        CompletableFuture<List<Integer>> a =
                v.start(() -> state.asFlow().take(2).toList());
        v.advanceBy(1_000);
        assertEquals(List.of(0, 1), a.join());
        v.advanceBy(3_000);
        CompletableFuture<List<Integer>> b =
                v.start(() -> state.asFlow().take(2).toList());
        v.advanceBy(1_000);
        assertEquals(List.of(4, 5), b.join());
        assertEquals(1, starts.get(), "the upstream was never restarted");
        assertEquals(List.of(), stoppedAt);
    }

    @Test
    void closingAFlowScopeCancelsAndWaitsForEverythingInIt() {
        List<String> log = new CopyOnWriteArrayList<>();
        FlowScope scope = FlowScope.create();
        AsyncFlow<Integer> source = AsyncFlow.generate(out -> {
            try {
                out.emit(1);
                Suspend.await(new CompletableFuture<Void>()); // waits until cancelled
            } finally {
                log.add("finally");
            }
        });
        AsyncStateFlow<Integer> state = source.stateIn(scope, SharingStarted.EAGERLY, 0);
        AsyncSharedFlow<Integer> shared = source.shareIn(scope, SharingStarted.EAGERLY, 1);
        assertEquals(1, state.asFlow().filter(x -> x == 1).first().orElseThrow());
        assertEquals(1, shared.asFlow().first().orElseThrow());
        scope.close();
        assertFalse(scope.isActive());
        assertEquals(List.of("finally", "finally"), log);
        CoflowExtension.assertNoBodiesRunning(Duration.ZERO);
        scope.close(); // idempotent
    }

    @Test
    void stateInATaskScopeIsAChildOfItsBody() {
        AsyncFlow<Integer> source = AsyncFlow.generate(out -> {
            out.emit(1);
            out.emit(2);
            out.emit(3);
            Suspend.await(new CompletableFuture<Void>());
        });
        List<Integer> seen = new CopyOnWriteArrayList<>();
        assertThrows(
                CancellationException.class,
                () -> Coroutines.run(scope -> {
                    AsyncStateFlow<Integer> state = source.stateIn(scope, SharingStarted.EAGERLY, 0);
                    seen.add(state.asFlow().filter(x -> x == 3).first().orElseThrow());
                    scope.cancel(); // the sharing coroutine is a child: the body's scope waits for it otherwise
                    return null;
                }));
        assertEquals(List.of(3), seen);
        CoflowExtension.assertNoBodiesRunning(Duration.ZERO);
    }

    @Test
    void badInput() {
        assertThrows(IllegalArgumentException.class, () -> ticker.shareIn(v.scope, SharingStarted.EAGERLY, -1));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> SharingStarted.whileSubscribed(Duration.ofSeconds(-1)));
        assertTrue(e.getMessage().contains("stopTimeout"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FlowScope.create(JobKt.Job(null)));
        assertThrows(NullPointerException.class, () -> ticker.stateIn(v.scope, SharingStarted.LAZILY, null));
        assertEquals(
                "SharingStarted.whileSubscribed(PT5S)",
                SharingStarted.whileSubscribed(Duration.ofSeconds(5)).toString());
    }
}
