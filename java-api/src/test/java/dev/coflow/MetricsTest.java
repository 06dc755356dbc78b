package dev.coflow;

import static dev.coflow.OperatorTestBase.inVirtualTime;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coflow.bridge.Suspend;
import dev.coflow.test.CoflowExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** metrics(stage, listener): elements, the end of each collection with its duration, in-flight mapAsync, buffer fill. */
class MetricsTest {
    @RegisterExtension
    static final CoflowExtension COFLOW = CoflowExtension.withLeakGrace(Duration.ZERO);

    /** Records every report; the gauges' highest values. */
    static final class Recorder implements FlowMetrics {
        final List<String> events = new CopyOnWriteArrayList<>();
        final AtomicInteger elements = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        final AtomicInteger lastInFlight = new AtomicInteger(-1);
        final AtomicInteger maxWaiting = new AtomicInteger();
        final AtomicInteger lastWaiting = new AtomicInteger(-1);
        volatile Duration took;
        volatile Throwable failure;
        volatile int capacity;

        @Override
        public void collectionStarted(String stage) {
            events.add("start " + stage);
        }

        @Override
        public void element(String stage) {
            elements.incrementAndGet();
        }

        @Override
        public void collectionEnded(String stage, Duration took, Throwable failure) {
            events.add("end " + stage);
            this.took = took;
            this.failure = failure;
        }

        @Override
        public void inFlight(String stage, int tasks) {
            maxInFlight.accumulateAndGet(tasks, Math::max);
            lastInFlight.set(tasks);
        }

        @Override
        public void bufferFill(String stage, int waiting, int capacity) {
            maxWaiting.accumulateAndGet(waiting, Math::max);
            lastWaiting.set(waiting);
            this.capacity = capacity;
        }
    }

    @Test
    void elementsAndTheDurationOfACollectionInVirtualTime() {
        Recorder m = new Recorder();
        inVirtualTime(() -> AsyncFlow.of(1, 2, 3)
                .delayEach(Duration.ofMillis(100))
                .metrics("s", m)
                .toList());
        assertEquals(List.of("start s", "end s"), m.events);
        assertEquals(3, m.elements.get());
        assertEquals(Duration.ofMillis(300), m.took);
        assertNull(m.failure);
    }

    @Test
    void cancellationAndFailureAreTheEndsCause() {
        Recorder cancelled = new Recorder();
        AsyncFlow.range(0, 100).metrics("r", cancelled).take(2).toList();
        assertInstanceOf(CancellationException.class, cancelled.failure);
        assertEquals(2, cancelled.elements.get());
        Recorder failed = new Recorder();
        IllegalStateException boom = new IllegalStateException("boom");
        assertThrows(
                IllegalStateException.class,
                () -> AsyncFlow.<Integer>generate(out -> {
                            throw boom;
                        })
                        .metrics("g", failed)
                        .toList());
        assertEquals(boom, failed.failure);
    }

    @Test
    void mapAsyncReportsItsRunningTransformationsBoundedByConcurrency() {
        for (boolean ordered : new boolean[] {true, false}) {
            Recorder m = new Recorder();
            inVirtualTime(() -> {
                AsyncFlow<Integer> src = AsyncFlow.range(0, 20);
                ThrowingTask fn = v -> {
                    Suspend.delay(100);
                    return v;
                };
                return (ordered ? src.mapAsync(4, fn::apply) : src.mapAsyncUnordered(4, fn::apply))
                        .metrics("m", m)
                        .toList();
            });
            assertEquals(4, m.maxInFlight.get(), "ordered " + ordered);
            assertEquals(0, m.lastInFlight.get(), "every transformation ended");
        }
    }

    @Test
    void aSuspendingBufferReportsItsFill() {
        Recorder m = new Recorder();
        inVirtualTime(() -> {
            AsyncFlow.range(0, 50).buffer(8).metrics("b", m).forEach(v -> Suspend.delay(10)); // a slow consumer
            return null;
        });
        assertEquals(8, m.capacity);
        // the buffer's content plus at most one element in transit on each side of it
        assertTrue(m.maxWaiting.get() >= 8 && m.maxWaiting.get() <= 10, "fills up to its capacity: " + m.maxWaiting);
        assertEquals(0, m.lastWaiting.get());
        assertEquals(50, m.elements.get());
    }

    @Test
    void withoutMetricsNothingChangesAndBadInputIsRejected() {
        assertEquals(
                List.of(0, 1),
                AsyncFlow.range(0, 2).buffer(1).mapAsync(2, v -> v).toList());
        assertThrows(NullPointerException.class, () -> AsyncFlow.of(1).metrics(null, new Recorder()));
        assertThrows(NullPointerException.class, () -> AsyncFlow.of(1).metrics("s", null));
    }

    @FunctionalInterface
    interface ThrowingTask {
        Integer apply(Integer v) throws Exception;
    }
}
