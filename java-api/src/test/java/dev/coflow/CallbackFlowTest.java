package dev.coflow;

import static dev.coflow.OperatorTestBase.inVirtualTime;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coflow.OperatorTestBase.Timed;
import dev.coflow.bridge.Coroutines;
import dev.coflow.bridge.Suspend;
import dev.coflow.test.CoflowExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** callbackFlow over a small listener registry: registration removed on every exit path. */
class CallbackFlowTest {
    /** After each test, no coroutine body it started may still be running (the harness's leak check). */
    @RegisterExtension
    static final CoflowExtension COFLOW = CoflowExtension.withLeakGrace(Duration.ZERO);

    /** A listener API of the usual shape: register, unregister, publish on the caller's thread. */
    static final class EventBus {
        final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

        void register(Consumer<String> l) {
            listeners.add(l);
        }

        void unregister(Consumer<String> l) {
            if (!listeners.remove(l)) {
                throw new IllegalStateException("unregistered twice");
            }
        }

        void publish(String event) {
            listeners.forEach(l -> l.accept(event));
        }
    }

    private final EventBus bus = new EventBus();
    private final List<Boolean> accepted = new CopyOnWriteArrayList<>();
    /** How many listeners each publish reached. */
    private final List<Integer> listenersAtPublish = new CopyOnWriteArrayList<>();

    /** Events of {@link #bus}; the event "end" closes the flow, "fail" fails it. */
    private AsyncFlow<String> events() {
        return AsyncFlow.callbackFlow(producer -> {
            Consumer<String> listener = e -> {
                switch (e) {
                    case "end" -> producer.close();
                    case "fail" -> producer.close(new IllegalStateException("bus failed"));
                    default -> accepted.add(producer.trySend(e));
                }
            };
            bus.register(listener);
            producer.awaitClose(() -> bus.unregister(listener));
        });
    }

    /** Publishes {@code events} 100 ms apart (virtual time), recording how many listeners each reached. */
    private dev.coflow.bridge.SuspendRunnable publisher(String... events) {
        return () -> {
            for (String e : events) {
                Suspend.delay(100);
                listenersAtPublish.add(bus.listeners.size());
                bus.publish(e);
            }
        };
    }

    @Test
    void deliversEventsAndUnregistersWhenTheCollectorStopsEarly() {
        Timed<List<String>> t = inVirtualTime(() -> Coroutines.run(scope -> {
            scope.launch(publisher("a", "b", "c", "d"));
            return events().take(3).toList();
        }));
        assertEquals(List.of("a", "b", "c"), t.value());
        assertEquals(
                List.of(1, 1, 1, 0), listenersAtPublish, "registered while collecting, removed right after take(3)");
        assertEquals(0, bus.listeners.size(), "listener removed on cancellation");
        assertEquals(400, t.virtualMillis());
    }

    @Test
    void closeFromTheCallbackCompletesTheFlowAndUnregisters() {
        Timed<List<String>> t = inVirtualTime(() -> Coroutines.run(scope -> {
            scope.launch(publisher("a", "b", "end"));
            return events().toList();
        }));
        assertEquals(List.of("a", "b"), t.value());
        assertEquals(0, bus.listeners.size());
    }

    @Test
    void closeWithCauseFailsTheFlowAndUnregisters() {
        Timed<String> t = inVirtualTime(() -> Coroutines.run(scope -> {
            scope.launch(publisher("a", "fail"));
            try {
                events().toList();
                return "no failure";
            } catch (IllegalStateException e) {
                return e.getMessage();
            }
        }));
        assertEquals("bus failed", t.value());
        assertEquals(0, bus.listeners.size());
    }

    @Test
    void aFailingConsumerUnregisters() {
        Timed<String> t = inVirtualTime(() -> Coroutines.run(scope -> {
            scope.launch(publisher("a", "b"));
            try {
                events().forEach(e -> {
                    throw new IllegalArgumentException("consumer failed on " + e);
                });
                return "no failure";
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        }));
        assertEquals("consumer failed on a", t.value());
        assertEquals(List.of(1, 0), listenersAtPublish);
        assertEquals(0, bus.listeners.size());
    }

    @Test
    void trySendDropsWhenTheBufferIsFullInsteadOfBlockingTheCallback() {
        // the publisher fires 5 events in one go: the waiting collector takes the first directly,
        // the buffer holds the next 2, and the rest are refused without blocking the publisher
        Timed<List<String>> t = inVirtualTime(() -> Coroutines.run(scope -> {
            scope.launch(() -> {
                Suspend.delay(100);
                for (String e : List.of("1", "2", "3", "4", "5")) {
                    bus.publish(e);
                }
                Suspend.delay(100);
                bus.publish("end");
            });
            return events().buffer(2).toList();
        }));
        assertEquals(List.of(true, true, true, false, false), accepted);
        assertEquals(List.of("1", "2", "3"), t.value());
    }

    @Test
    void aBodyWithoutAwaitCloseFailsClearly() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> AsyncFlow.<String>callbackFlow(p -> p.trySend("x")).toList());
        assertTrue(e.getMessage().contains("awaitClose"), e.getMessage());
    }
}
