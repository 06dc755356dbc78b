package dev.coflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coflow.test.CoflowExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import kotlin.Unit;
import kotlinx.coroutines.flow.FlowKt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * coflow's own Reactive Streams publisher and subscriber, beyond what the TCK classes
 * ({@code Publishers*TckTest}) check: exact back-pressure counted at the generator, completion
 * without extra demand, how fast {@code cancel} releases the collection, and the subscriber's
 * protocol checks. See {@code docs/reactive-streams.md}.
 */
class PublishersTest {
    private static final long BOUND = 10;

    /**
     * After each test no body it started may still run (the harness's leak check); a cancelled
     * publisher's generator ends on its own thread, promptly but after {@code cancel()} returned.
     */
    @RegisterExtension
    static final CoflowExtension COFLOW = CoflowExtension.withLeakGrace(Duration.ofSeconds(5));

    /** A generator of 0..n-1 that counts the emits it started and those that returned. */
    static final class Counted {
        final AtomicInteger started = new AtomicInteger();
        final AtomicInteger returned = new AtomicInteger();
        final AtomicInteger finallies = new AtomicInteger();
        final CountDownLatch ended = new CountDownLatch(1);
        private volatile CountDownLatch startedTarget = new CountDownLatch(0);
        private volatile int target = -1;

        AsyncFlow<Integer> flow(int n) {
            return AsyncFlow.generate(out -> {
                try {
                    for (int i = 0; i < n; i++) {
                        if (started.incrementAndGet() == target) {
                            startedTarget.countDown();
                        }
                        out.emit(i);
                        returned.incrementAndGet();
                    }
                } finally {
                    finallies.incrementAndGet();
                    ended.countDown();
                }
            });
        }

        /** Arms a latch that opens when the {@code k}-th emit starts. */
        CountDownLatch whenStarted(int k) {
            CountDownLatch l = new CountDownLatch(1);
            startedTarget = l;
            target = k;
            if (started.get() >= k) {
                l.countDown();
            }
            return l;
        }

        void awaitEnd() throws InterruptedException {
            assertTrue(ended.await(BOUND, TimeUnit.SECONDS), "the generator's finally ran");
        }
    }

    /** Records signals; requests nothing by itself. */
    static class Probe<T> implements Flow.Subscriber<T> {
        final List<Object> signals = new CopyOnWriteArrayList<>();
        final CountDownLatch terminal = new CountDownLatch(1);
        volatile Flow.Subscription subscription;
        private volatile CountDownLatch nexts = new CountDownLatch(0);

        CountDownLatch expectNexts(int k) {
            nexts = new CountDownLatch(k);
            return nexts;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
        }

        @Override
        public void onNext(T item) {
            signals.add(item);
            nexts.countDown();
        }

        @Override
        public void onError(Throwable t) {
            signals.add(t);
            terminal.countDown();
        }

        @Override
        public void onComplete() {
            signals.add("complete");
            terminal.countDown();
        }

        void awaitTerminal() throws InterruptedException {
            assertTrue(terminal.await(BOUND, TimeUnit.SECONDS), "a terminal signal arrived: " + signals);
        }
    }

    // ---- publisher -----------------------------------------------------------------------------

    @Test
    void theGeneratorNeverRunsAheadOfDemand() throws Exception {
        Counted g = new Counted();
        Probe<Integer> p = new Probe<>();
        CountDownLatch firstWaits = g.whenStarted(1);
        g.flow(100).toPublisher().subscribe(p);
        assertTrue(firstWaits.await(BOUND, TimeUnit.SECONDS));
        assertEquals(0, g.returned.get(), "before any request, the first emit waits");

        CountDownLatch fourthWaits = g.whenStarted(4);
        CountDownLatch three = p.expectNexts(3);
        p.subscription.request(3);
        assertTrue(three.await(BOUND, TimeUnit.SECONDS));
        assertTrue(fourthWaits.await(BOUND, TimeUnit.SECONDS));
        assertEquals(3, g.returned.get(), "exactly the 3 requested emits returned; the 4th waits");
        assertEquals(4, g.started.get());

        CountDownLatch sixthWaits = g.whenStarted(6);
        CountDownLatch two = p.expectNexts(2);
        p.subscription.request(2);
        assertTrue(two.await(BOUND, TimeUnit.SECONDS));
        assertTrue(sixthWaits.await(BOUND, TimeUnit.SECONDS));
        assertEquals(5, g.returned.get());
        assertEquals(List.of(0, 1, 2, 3, 4), p.signals);

        p.subscription.cancel();
        g.awaitEnd();
        assertEquals(1, g.finallies.get());
        assertEquals(List.of(0, 1, 2, 3, 4), p.signals, "nothing after cancel");
    }

    @Test
    void behindBufferTheGeneratorRunsAheadByTheBufferAndOneInHand() throws Exception {
        Counted g = new Counted();
        Probe<Integer> p = new Probe<>();
        // buffer(2): 2 in the channel plus the one the emission holds while it waits for demand
        CountDownLatch waits = g.whenStarted(3 + 2 + 1 + 1);
        CountDownLatch three = p.expectNexts(3);
        g.flow(100).buffer(2).toPublisher().subscribe(p);
        p.subscription.request(3);
        assertTrue(three.await(BOUND, TimeUnit.SECONDS));
        assertTrue(waits.await(BOUND, TimeUnit.SECONDS));
        assertEquals(3 + 2 + 1, g.returned.get());
        assertEquals(7, g.started.get());
        p.subscription.cancel();
        g.awaitEnd();
    }

    @Test
    void completesAfterExactlyTheRequestedElementsWithoutFurtherDemand() throws Exception {
        for (AsyncFlow<Integer> three : List.of(
                AsyncFlow.range(0, 3),
                new Counted().flow(3),
                AsyncFlow.of(0, 1, 2).buffer(8))) {
            Probe<Integer> p = new Probe<>();
            three.toPublisher().subscribe(p);
            p.subscription.request(3);
            p.awaitTerminal();
            assertEquals(List.of(0, 1, 2, "complete"), p.signals);
        }
        Probe<Integer> empty = new Probe<>();
        AsyncFlow.<Integer>empty().toPublisher().subscribe(empty);
        empty.awaitTerminal();
        assertEquals(List.of("complete"), empty.signals, "an empty flow completes with no request at all");
    }

    @Test
    void aFailureIsSignalledWithoutDemand() throws Exception {
        IllegalStateException boom = new IllegalStateException("boom");
        Probe<Integer> p = new Probe<>();
        AsyncFlow.<Integer>generate(out -> {
                    throw boom;
                })
                .toPublisher()
                .subscribe(p);
        p.awaitTerminal();
        assertEquals(List.of(boom), p.signals);
        assertSame(boom, p.signals.get(0), "the same exception object");
    }

    @Test
    void cancelUnwindsAWaitingCollectionBeforeItReturns() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        // a plain kotlinx onCompletion over a fusable source: under Dispatchers.Unconfined the whole
        // collection unwinds inside cancel()
        AsyncFlow<Integer> observed = AsyncFlow.from(FlowKt.onCompletion(AsyncFlow.range(0, 1000), (c, cause, k) -> {
            log.add(cause == null ? "completed" : "cancelled");
            return Unit.INSTANCE;
        }));
        Probe<Integer> p = new Probe<>();
        observed.toPublisher().subscribe(p);
        p.subscription.request(2);
        assertEquals(List.of(0, 1), p.signals);
        p.subscription.cancel();
        assertEquals(List.of("cancelled"), log, "released before cancel() returned");

        // a generator body runs on a thread of its own: its finally runs promptly after cancel()
        Counted g = new Counted();
        Probe<Integer> q = new Probe<>();
        g.flow(1000).toPublisher().subscribe(q);
        q.subscription.request(2);
        q.subscription.cancel();
        g.awaitEnd();
        assertEquals(1, g.finallies.get());
    }

    @Test
    void badRequestsSignalIllegalArgumentExceptionAndStopTheGenerator() throws Exception {
        for (long bad : new long[] {0, -1, Long.MIN_VALUE}) {
            Counted g = new Counted();
            Probe<Integer> p = new Probe<>();
            g.flow(100).toPublisher().subscribe(p);
            p.subscription.request(1);
            p.subscription.request(bad);
            p.awaitTerminal();
            g.awaitEnd();
            Throwable t = (Throwable) p.signals.get(p.signals.size() - 1);
            assertInstanceOf(IllegalArgumentException.class, t);
            assertTrue(
                    t.getMessage().contains("3.9") && t.getMessage().contains("request(" + bad + ")"), t.getMessage());
        }
    }

    @Test
    void demandAddsUpAndSaturatesAtLongMaxValue() throws Exception {
        Probe<Integer> p = new Probe<>();
        AsyncFlow.range(0, 10).toPublisher().subscribe(p);
        p.subscription.request(Long.MAX_VALUE - 1);
        p.subscription.request(Long.MAX_VALUE - 1);
        p.awaitTerminal();
        assertEquals(11, p.signals.size(), "10 elements and onComplete, no overflow error");
        assertEquals("complete", p.signals.get(10));
    }

    @Test
    void aRequestInsideOnNextDoesNotRecurse() throws Exception {
        AtomicInteger depth = new AtomicInteger();
        AtomicInteger maxDepth = new AtomicInteger();
        Probe<Integer> p = new Probe<>() {
            @Override
            public void onNext(Integer item) {
                maxDepth.accumulateAndGet(depth.incrementAndGet(), Math::max);
                super.onNext(item);
                subscription.request(1);
                depth.decrementAndGet();
            }
        };
        AsyncFlow.range(0, 10_000).toPublisher().subscribe(p);
        p.subscription.request(1);
        p.awaitTerminal();
        assertEquals(10_001, p.signals.size());
        assertEquals(1, maxDepth.get(), "§3.3: onNext never runs inside a request made by onNext");
    }

    @Test
    void badSubscribersAndElements() {
        NullPointerException npe = assertThrows(
                NullPointerException.class, () -> AsyncFlow.of(1).toPublisher().subscribe(null));
        assertTrue(npe.getMessage().contains("1.9"), npe.getMessage());
        assertThrows(
                NullPointerException.class,
                () -> AsyncFlow.of(1).toReactiveStreams().subscribe(null));
        assertThrows(NullPointerException.class, () -> AsyncFlow.fromReactiveStreams(null));
        assertThrows(NullPointerException.class, () -> AsyncFlow.of(1).toReactiveStreams(null));
        assertThrows(
                IllegalArgumentException.class,
                () -> AsyncFlow.of(1).toReactiveStreams(kotlinx.coroutines.JobKt.Job(null)));
    }

    // ---- subscriber ----------------------------------------------------------------------------

    /** A publisher driven by hand: records requests and cancels, signals what the test says. */
    static class Manual<T> implements Flow.Publisher<T> {
        final List<Long> requests = new CopyOnWriteArrayList<>();
        final AtomicInteger cancels = new AtomicInteger();
        final CountDownLatch subscribed = new CountDownLatch(1);
        volatile Flow.Subscriber<? super T> subscriber;

        @Override
        public void subscribe(Flow.Subscriber<? super T> s) {
            subscriber = s;
            s.onSubscribe(subscription());
            subscribed.countDown();
        }

        Flow.Subscription subscription() {
            return new Flow.Subscription() {
                @Override
                public void request(long n) {
                    requests.add(n);
                }

                @Override
                public void cancel() {
                    cancels.incrementAndGet();
                }
            };
        }
    }

    @Test
    void theSubscriberChecksTheProtocol() throws Exception {
        Manual<Integer> m = new Manual<>();
        var done = AsyncFlow.fromPublisher(m).toListAsync();
        assertTrue(m.subscribed.await(BOUND, TimeUnit.SECONDS));
        Flow.Subscriber<? super Integer> s = m.subscriber;
        assertEquals(List.of((long) PublishersSubscriber.DEFAULT_BATCH), m.requests);

        AtomicInteger secondCancelled = new AtomicInteger();
        s.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                throw new AssertionError("a second subscription is never requested from");
            }

            @Override
            public void cancel() {
                secondCancelled.incrementAndGet();
            }
        });
        assertEquals(1, secondCancelled.get(), "§2.5: a second onSubscribe is cancelled");
        assertThrows(NullPointerException.class, () -> s.onSubscribe(null));
        assertThrows(NullPointerException.class, () -> s.onNext(null));
        assertThrows(NullPointerException.class, () -> s.onError(null));

        s.onNext(1);
        s.onNext(2);
        s.onComplete();
        assertEquals(List.of(1, 2), done.get(BOUND, TimeUnit.SECONDS));
        assertEquals(0, m.cancels.get(), "§2.4: no cancel after onComplete");
    }

    @Test
    void theSubscriberPassesTheSameFailureAndFailsAPublisherThatIgnoresDemand() throws Exception {
        IllegalStateException boom = new IllegalStateException("boom");
        Manual<Integer> m = new Manual<>();
        var done = AsyncFlow.fromPublisher(m).toListAsync();
        assertTrue(m.subscribed.await(BOUND, TimeUnit.SECONDS));
        m.subscriber.onNext(1);
        m.subscriber.onError(boom);
        var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> done.get(BOUND, TimeUnit.SECONDS));
        assertSame(boom, e.getCause());

        Manual<Integer> flood = new Manual<>() {
            @Override
            public void subscribe(Flow.Subscriber<? super Integer> s) {
                super.subscribe(s);
                for (int i = 0; i <= PublishersSubscriber.DEFAULT_BATCH; i++) {
                    s.onNext(i); // one more than requested
                }
            }
        };
        IllegalStateException ise = assertThrows(
                IllegalStateException.class,
                () -> AsyncFlow.fromPublisher(flood).toList());
        assertTrue(ise.getMessage().contains("1.1"), ise.getMessage());
        assertEquals(1, flood.cancels.get(), "the flooding subscription was cancelled");
    }

    @Test
    void aFollowingBufferSetsTheRequestBatch() throws Exception {
        Manual<Integer> m = new Manual<>();
        var done = AsyncFlow.fromPublisher(m).buffer(4).toListAsync();
        assertTrue(m.subscribed.await(BOUND, TimeUnit.SECONDS));
        for (int i = 0; i < 4; i++) {
            m.subscriber.onNext(i);
        }
        m.subscriber.onComplete();
        assertEquals(List.of(0, 1, 2, 3), done.get(BOUND, TimeUnit.SECONDS));
        assertEquals(4L, m.requests.get(0), "buffer(4) fused: the first request is 4: " + m.requests);

        Manual<Integer> conflated = new Manual<>();
        var last = AsyncFlow.fromPublisher(conflated).conflate().toListAsync();
        assertTrue(conflated.subscribed.await(BOUND, TimeUnit.SECONDS));
        conflated.subscriber.onNext(7);
        conflated.subscriber.onComplete();
        assertEquals(List.of(7), last.get(BOUND, TimeUnit.SECONDS), "conflate still applies");
    }

    @Test
    void demandFollowsTheCollectorAndAnEarlyExitCancels() throws Exception {
        Manual<Integer> m = new Manual<>();
        AtomicReference<List<Integer>> got = new AtomicReference<>();
        Thread t = Thread.ofVirtual()
                .start(() -> got.set(AsyncFlow.fromPublisher(m).take(40).toList()));
        assertTrue(m.subscribed.await(BOUND, TimeUnit.SECONDS));
        for (int i = 0; i < 40; i++) {
            m.subscriber.onNext(i);
        }
        t.join(TimeUnit.SECONDS.toMillis(BOUND));
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            expected.add(i);
        }
        assertEquals(expected, got.get());
        assertEquals(1, m.cancels.get(), "take(40) cancelled the subscription once");
        assertEquals(List.of(64L, 32L), m.requests, "64 up front, 32 more once 32 were taken");
    }
}
