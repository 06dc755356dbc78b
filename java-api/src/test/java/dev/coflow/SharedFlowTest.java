package dev.coflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coflow.bridge.Suspend;
import dev.coflow.test.CoflowExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import kotlinx.coroutines.channels.BufferOverflow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SharedFlowTest {
    /** After each test, no coroutine body it started may still be running (the harness's leak check). */
    @RegisterExtension
    static final CoflowExtension COFLOW = CoflowExtension.withLeakGrace(Duration.ZERO);

    private final VirtualScope v = new VirtualScope();

    @AfterEach
    void nothingLeftRunning() {
        v.shutdown();
    }

    @Test
    void newSubscriberReceivesTheReplayCacheFirst() {
        MutableAsyncSharedFlow<Integer> shared = MutableAsyncSharedFlow.create(2);
        assertTrue(shared.tryEmit(1));
        assertTrue(shared.tryEmit(2));
        assertTrue(shared.tryEmit(3));
        assertEquals(List.of(2, 3), shared.replayCache());
        CompletableFuture<List<Integer>> seen =
                v.start(() -> shared.asFlow().take(3).toList());
        v.runCurrent();
        shared.emit(4);
        v.runCurrent();
        assertEquals(List.of(2, 3, 4), seen.join());
        shared.resetReplayCache();
        assertEquals(List.of(), shared.replayCache());
    }

    @Test
    void withoutReplayValuesEmittedWithNoSubscriberAreLost() {
        MutableAsyncSharedFlow<String> shared = MutableAsyncSharedFlow.create();
        assertTrue(shared.tryEmit("lost"));
        assertEquals(List.of(), shared.replayCache());
        CompletableFuture<List<String>> seen =
                v.start(() -> shared.asFlow().take(1).toList());
        v.runCurrent();
        assertEquals(1, shared.subscriptionCount().value());
        // a rendezvous emit waits for the subscriber, which runs on the virtual scheduler: emit from there
        v.start(() -> {
            shared.emit("kept");
            return null;
        });
        v.runCurrent();
        assertEquals(List.of("kept"), seen.join());
    }

    @Test
    void emitWaitsForASlowSubscriberInVirtualTime() {
        MutableAsyncSharedFlow<Integer> shared = MutableAsyncSharedFlow.create();
        CompletableFuture<List<Integer>> seen = v.start(() -> shared.asFlow()
                .take(3)
                .<Integer>transform((x, out) -> {
                    Suspend.delay(1_000); // the subscriber needs 1 s per value
                    out.emit(x);
                })
                .toList());
        v.runCurrent();
        List<Long> emittedAt = new CopyOnWriteArrayList<>();
        v.start(() -> {
            for (int i = 1; i <= 3; i++) {
                shared.emit(i);
                emittedAt.add(v.now());
            }
            return null;
        });
        v.scheduler.advanceUntilIdle();
        assertEquals(List.of(1, 2, 3), seen.join());
        assertEquals(List.of(0L, 1_000L, 2_000L), emittedAt, "each emit waits until the subscriber takes the value");
        assertEquals(3_000L, v.now());
    }

    @Test
    void tryEmitFailsWhenASuspendBufferIsFullAndDropPoliciesNeverFail() {
        MutableAsyncSharedFlow<Integer> suspend = MutableAsyncSharedFlow.create(0, 1, BufferOverflow.SUSPEND);
        MutableAsyncSharedFlow<Integer> dropOldest = MutableAsyncSharedFlow.create(0, 1, BufferOverflow.DROP_OLDEST);
        CompletableFuture<List<Integer>> a =
                v.start(() -> suspend.asFlow().take(1).toList());
        CompletableFuture<List<Integer>> b =
                v.start(() -> dropOldest.asFlow().take(1).toList());
        v.runCurrent();
        assertTrue(suspend.tryEmit(1));
        assertFalse(suspend.tryEmit(2), "buffer of 1 holds a value the subscriber has not taken yet");
        assertTrue(dropOldest.tryEmit(1));
        assertTrue(dropOldest.tryEmit(2));
        v.runCurrent();
        assertEquals(List.of(1), a.join());
        assertEquals(List.of(2), b.join(), "DROP_OLDEST dropped 1 for 2");
    }

    @Test
    void subscriptionCountFollowsSubscribersComingAndGoing() {
        MutableAsyncSharedFlow<Integer> shared = MutableAsyncSharedFlow.create();
        AsyncStateFlow<Integer> count = shared.subscriptionCount();
        assertEquals(0, count.value());
        CompletableFuture<List<Integer>> one =
                v.start(() -> shared.asFlow().take(1).toList());
        CompletableFuture<List<Integer>> two =
                v.start(() -> shared.asFlow().take(5).toList());
        v.runCurrent();
        assertEquals(2, count.value());
        v.start(() -> {
            shared.emit(7); // the first subscriber is done after one value
            return null;
        });
        v.runCurrent();
        assertEquals(List.of(7), one.join());
        assertEquals(1, count.value());
        two.cancel(true);
        v.runCurrent();
        assertEquals(0, count.value());
    }

    @Test
    void readOnlyViewAndBadInput() {
        MutableAsyncSharedFlow<String> shared = MutableAsyncSharedFlow.create(1);
        AsyncSharedFlow<String> ro = shared.asReadOnly();
        assertFalse(ro instanceof MutableAsyncSharedFlow<?>);
        shared.tryEmit("x");
        assertEquals(List.of("x"), ro.replayCache());
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> MutableAsyncSharedFlow.create(-1));
        assertTrue(e.getMessage().contains("replay"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class, () -> MutableAsyncSharedFlow.create(0, -1, BufferOverflow.SUSPEND));
        e = assertThrows(
                IllegalArgumentException.class, () -> MutableAsyncSharedFlow.create(0, 0, BufferOverflow.DROP_OLDEST));
        assertTrue(e.getMessage().contains("extraBufferCapacity > 0"), e.getMessage());
        assertThrows(NullPointerException.class, () -> shared.emit(null));
        assertThrows(NullPointerException.class, () -> shared.tryEmit(null));
    }
}
