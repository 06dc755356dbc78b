package dev.coflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coflow.test.CoflowExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import kotlinx.coroutines.flow.MutableStateFlow;
import kotlinx.coroutines.flow.StateFlowKt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class StateFlowTest {
    /** After each test, no coroutine body it started may still be running (the harness's leak check). */
    @RegisterExtension
    static final CoflowExtension COFLOW = CoflowExtension.withLeakGrace(Duration.ZERO);

    private final VirtualScope v = new VirtualScope();

    @AfterEach
    void nothingLeftRunning() {
        v.shutdown();
    }

    @Test
    void valueSetCompareAndSetAndUpdate() {
        MutableAsyncStateFlow<Integer> counter = MutableAsyncStateFlow.create(0);
        assertEquals(0, counter.value());
        counter.set(5);
        assertEquals(5, counter.value());
        assertFalse(counter.compareAndSet(4, 10));
        assertTrue(counter.compareAndSet(5, 10));
        counter.update(n -> n + 1);
        assertEquals(12, counter.updateAndGet(n -> n + 1));
        assertEquals(List.of(12), counter.replayCache());
        assertEquals(12, counter.asKotlin().getValue());
        assertEquals(12, counter.asReadOnly().value());
    }

    @Test
    void subscriberSeesCurrentValueThenOnlyChanges() {
        MutableAsyncStateFlow<String> state = MutableAsyncStateFlow.create("a");
        CompletableFuture<List<String>> seen =
                v.start(() -> state.asFlow().take(3).toList());
        v.runCurrent();
        assertEquals(1, state.subscriptionCount().value());
        state.set("b");
        v.runCurrent();
        state.set("b"); // equal to the current value: no emission
        v.runCurrent();
        state.emit("c");
        v.runCurrent();
        assertTrue(seen.isDone());
        assertEquals(List.of("a", "b", "c"), seen.join());
        assertEquals(0, state.subscriptionCount().value());
    }

    @Test
    void slowSubscriberIsConflatedToTheLatestValue() {
        MutableAsyncStateFlow<Integer> state = MutableAsyncStateFlow.create(0);
        List<Integer> seen = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> done = v.start(() -> {
            state.asFlow().takeWhile(x -> x < 100).forEach(seen::add);
            return null;
        });
        v.runCurrent();
        assertEquals(List.of(0), seen);
        for (int i = 1; i <= 5; i++) {
            state.set(i); // the subscriber does not run in between
        }
        v.runCurrent();
        assertEquals(List.of(0, 5), seen);
        state.set(100);
        v.runCurrent();
        assertTrue(done.isDone());
    }

    @Test
    void twoSubscribersEachSeeTheCurrentValueAtSubscription() {
        MutableAsyncStateFlow<Integer> state = MutableAsyncStateFlow.create(1);
        CompletableFuture<List<Integer>> first =
                v.start(() -> state.asFlow().take(2).toList());
        v.runCurrent();
        state.set(2);
        CompletableFuture<List<Integer>> second =
                v.start(() -> state.asFlow().take(2).toList());
        v.runCurrent();
        assertEquals(List.of(1, 2), first.join());
        state.set(3);
        v.runCurrent();
        assertEquals(List.of(2, 3), second.join());
    }

    @Test
    void concurrentUpdatesAreAtomic() throws InterruptedException {
        MutableAsyncStateFlow<Integer> counter = MutableAsyncStateFlow.create(0);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 1_000; i++) {
                    counter.update(n -> n + 1);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(4_000, counter.value());
    }

    @Test
    void wrapsKotlinStateFlowAndReadOnlyViewCannotBeMutated() {
        MutableStateFlow<String> k = StateFlowKt.MutableStateFlow("x");
        AsyncStateFlow<String> view = AsyncStateFlow.from(k);
        k.setValue("y");
        assertEquals("y", view.value());
        MutableAsyncStateFlow<String> m = MutableAsyncStateFlow.create("z");
        assertFalse(m.asReadOnly() instanceof MutableAsyncStateFlow<?>);
        assertFalse(m.asReadOnly().asKotlin() instanceof MutableStateFlow<?>);
    }

    @Test
    void nullsAreRejectedWithMessages() {
        assertThrows(NullPointerException.class, () -> MutableAsyncStateFlow.create(null));
        MutableAsyncStateFlow<String> s = MutableAsyncStateFlow.create("a");
        NullPointerException e = assertThrows(NullPointerException.class, () -> s.set(null));
        assertTrue(e.getMessage().contains("set"), e.getMessage());
        e = assertThrows(NullPointerException.class, () -> s.update(x -> null));
        assertTrue(e.getMessage().contains("update"), e.getMessage());
        assertEquals("a", s.value());
        MutableStateFlow<String> k = StateFlowKt.MutableStateFlow(null);
        e = assertThrows(
                NullPointerException.class, () -> AsyncStateFlow.from(k).value());
        assertTrue(e.getMessage().contains("Optional"), e.getMessage());
        assertThrows(UnsupportedOperationException.class, s::resetReplayCache);
    }
}
