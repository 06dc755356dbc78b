package dev.coflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coflow.bridge.Suspend;
import dev.coflow.test.CoflowExtension;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import kotlin.Unit;
import kotlinx.coroutines.JobKt;
import kotlinx.coroutines.flow.FlowKt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PublisherInteropTest {
    /** After each test, no coroutine body it started may still be running (the harness's leak check). */
    @RegisterExtension
    static final CoflowExtension COFLOW = CoflowExtension.withLeakGrace(Duration.ZERO);

    private final List<String> log = new CopyOnWriteArrayList<>();

    @Test
    void subscriberRequestingTwoThenCancellingStopsTheGeneratorAndRunsItsFinally() throws Exception {
        CountDownLatch finished = new CountDownLatch(1);
        AsyncFlow<Integer> numbers = AsyncFlow.generate(out -> {
            try {
                for (int i = 0; i < 100; i++) {
                    log.add("emit " + i);
                    out.emit(i);
                }
            } finally {
                log.add("finally");
                finished.countDown();
            }
        });
        // A plain kotlinx onCompletion (not a Java body) runs after the generator body has ended.
        CountDownLatch completed = new CountDownLatch(1);
        AsyncFlow<Integer> observed = AsyncFlow.from(FlowKt.onCompletion(numbers, (collector, cause, c) -> {
            log.add(
                    cause instanceof java.util.concurrent.CancellationException
                            ? "completion cancelled"
                            : "completion " + cause);
            completed.countDown();
            return Unit.INSTANCE;
        }));
        Recorder<Integer> r = new Recorder<>(2, false);
        observed.toPublisher().subscribe(r);
        assertTrue(r.twoValues.await(10, TimeUnit.SECONDS));
        r.subscription.cancel();
        assertTrue(finished.await(10, TimeUnit.SECONDS));
        assertTrue(completed.await(10, TimeUnit.SECONDS));
        assertEquals(List.of(0, 1), r.values);
        // emit 1 returns once delivered (so that a flow that ends there completes without more demand);
        // whether the loop reaches "emit 2" (which waits for demand) before the cancel lands is a race
        List<String> got = List.copyOf(log);
        List<String> expected = got.contains("emit 2")
                ? List.of("emit 0", "emit 1", "emit 2", "finally", "completion cancelled")
                : List.of("emit 0", "emit 1", "finally", "completion cancelled");
        assertEquals(expected, got, "the generator never ran ahead of demand");
        assertEquals(List.of(), r.terminal, "no signal after cancel");
    }

    @Test
    void publisherCompletesAndFails() throws Exception {
        Recorder<Integer> ok = new Recorder<>(Long.MAX_VALUE, false);
        AsyncFlow.range(0, 5).toPublisher().subscribe(ok);
        assertTrue(ok.done.await(10, TimeUnit.SECONDS));
        assertEquals(List.of(0, 1, 2, 3, 4), ok.values);
        assertEquals(List.of("complete"), ok.terminal);

        Recorder<Integer> failed = new Recorder<>(Long.MAX_VALUE, false);
        AsyncFlow.<Integer>generate(out -> {
                    out.emit(1);
                    throw new IllegalStateException("boom");
                })
                .toPublisher()
                .subscribe(failed);
        assertTrue(failed.done.await(10, TimeUnit.SECONDS));
        assertEquals(List.of(1), failed.values);
        assertEquals(List.of("error IllegalStateException: boom"), failed.terminal);
    }

    @Test
    void fromPublisherHonoursDemandAndCancelsOnEarlyExit() {
        RangePublisher all = new RangePublisher(10);
        assertEquals(
                IntStream.range(0, 10).boxed().toList(),
                AsyncFlow.fromPublisher(all).toList());

        RangePublisher huge = new RangePublisher(1_000_000);
        assertEquals(List.of(0, 1), AsyncFlow.fromPublisher(huge).take(2).toList());
        assertEquals(List.of(true), huge.cancelled, "take(2) cancelled the subscription");
        assertTrue(huge.emitted.get() < 1_000, "only what was requested was produced: " + huge.emitted.get());
    }

    @Test
    void roundTripAndBadInput() {
        AsyncFlow<Integer> back =
                AsyncFlow.fromPublisher(AsyncFlow.range(0, 100).toPublisher());
        assertEquals(IntStream.range(0, 100).boxed().toList(), back.toList());
        assertEquals(4950, back.toList().stream().mapToInt(Integer::intValue).sum(), "cold: collects again");
        assertThrows(NullPointerException.class, () -> AsyncFlow.fromPublisher(null));
        assertThrows(IllegalArgumentException.class, () -> AsyncFlow.of(1).toPublisher(JobKt.Job(null)));
    }

    @Test
    void firstAsyncCancelsTheRest() throws Exception {
        AsyncFlow<Integer> endless = AsyncFlow.generate(out -> {
            try {
                out.emit(42);
                Suspend.await(new CompletableFuture<Void>());
            } finally {
                log.add("finally");
            }
        });
        assertEquals(Optional.of(42), endless.firstAsync().get(10, TimeUnit.SECONDS));
        assertEquals(List.of("finally"), log, "the upstream finished before the future completed");
        assertEquals(Optional.empty(), AsyncFlow.empty().firstAsync().get(10, TimeUnit.SECONDS));
    }

    /** Records signals; requests {@code initial} on subscribe and optionally cancels after that many. */
    private static final class Recorder<T> implements Flow.Subscriber<T> {
        final List<T> values = new CopyOnWriteArrayList<>();
        final List<String> terminal = new CopyOnWriteArrayList<>();
        final CountDownLatch done = new CountDownLatch(1);
        private final long initial;
        private final boolean cancelAfter;
        final CountDownLatch twoValues = new CountDownLatch(2);
        volatile Flow.Subscription subscription;

        Recorder(long initial, boolean cancelAfter) {
            this.initial = initial;
            this.cancelAfter = cancelAfter;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(initial);
        }

        @Override
        public void onNext(T item) {
            values.add(item);
            twoValues.countDown();
            if (cancelAfter && values.size() == initial) {
                subscription.cancel();
            }
        }

        @Override
        public void onError(Throwable t) {
            terminal.add("error " + t.getClass().getSimpleName() + ": " + t.getMessage());
            done.countDown();
        }

        @Override
        public void onComplete() {
            terminal.add("complete");
            done.countDown();
        }
    }

    /** 0..n-1, produced only on demand; records how many were produced and whether it was cancelled. */
    private static final class RangePublisher implements Flow.Publisher<Integer> {
        final AtomicLong emitted = new AtomicLong();
        final List<Boolean> cancelled = new CopyOnWriteArrayList<>();
        private final int n;

        RangePublisher(int n) {
            this.n = n;
        }

        @Override
        public void subscribe(Flow.Subscriber<? super Integer> subscriber) {
            subscriber.onSubscribe(new Flow.Subscription() {
                private long demand;
                private int next;
                private boolean draining;
                private boolean stopped;

                @Override
                public void request(long k) {
                    synchronized (this) {
                        demand += k;
                        if (draining) {
                            return; // the running drain loop picks the demand up
                        }
                        draining = true;
                    }
                    while (true) {
                        int value;
                        synchronized (this) {
                            if (stopped || demand == 0 || next >= n) {
                                draining = false;
                                if (!stopped && next >= n) {
                                    stopped = true;
                                    break;
                                }
                                return;
                            }
                            demand--;
                            value = next++;
                        }
                        emitted.incrementAndGet();
                        subscriber.onNext(value);
                    }
                    subscriber.onComplete();
                }

                @Override
                public void cancel() {
                    synchronized (this) {
                        stopped = true;
                    }
                    cancelled.add(true);
                }
            });
        }
    }
}
