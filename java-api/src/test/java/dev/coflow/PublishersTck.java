package dev.coflow;

import dev.coflow.bridge.Suspend;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.sync.Semaphore;
import kotlinx.coroutines.sync.SemaphoreKt;
import org.reactivestreams.tck.SubscriberWhiteboxVerification.SubscriberPuppet;
import org.reactivestreams.tck.SubscriberWhiteboxVerification.WhiteboxSubscriberProbe;
import org.reactivestreams.tck.TestEnvironment;

/**
 * What the Reactive Streams TCK classes ({@code Publishers*TckTest}) share: the flows they verify,
 * the test environment, and a collection of coflow's own subscriber for the subscriber
 * verifications.
 */
final class PublishersTck {
    private PublishersTck() {}

    /**
     * Timeouts of the TCK: a signal is awaited for up to 2 s (generous on a loaded machine, spent
     * only when a rule fails), the absence of a signal is confirmed for 100 ms (what each
     * "must not signal" rule costs). The poll interval is used only by {@code expectError}, which
     * in TCK 1.0.4 waits one poll interval and then gives up (it subtracts the elapsed time
     * wrongly), so it is the real bound for an {@code onError} that the collection sends
     * asynchronously (a generator's thread unwinding after {@code request(0)}): 300 ms.
     */
    static TestEnvironment env() {
        return new TestEnvironment(2_000, 100, 300);
    }

    /** 0, 1, ... n-1 as a fusable source. */
    static AsyncFlow<Integer> range(long n) {
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("range source: at most Integer.MAX_VALUE elements, got " + n);
        }
        return AsyncFlow.range(0, (int) n);
    }

    /** 0, 1, ... n-1 from an {@code Iterable} (any {@code long} count). */
    static AsyncFlow<Integer> iterable(long n) {
        return AsyncFlow.fromIterable(() -> new Iterator<Integer>() {
            private long next;

            @Override
            public boolean hasNext() {
                return next < n;
            }

            @Override
            public Integer next() {
                if (next >= n) {
                    throw new NoSuchElementException();
                }
                return (int) next++;
            }
        });
    }

    /** 0, 1, ... n-1 from a generator body (any {@code long} count). */
    static AsyncFlow<Integer> generator(long n) {
        return AsyncFlow.generate(out -> {
            for (long i = 0; i < n; i++) {
                out.emit((int) i);
            }
        });
    }

    /** A generator that fails before its first element. */
    static AsyncFlow<Integer> failing() {
        return AsyncFlow.generate(out -> {
            throw new IllegalStateException("failing source for the TCK");
        });
    }

    /**
     * A collection of coflow's subscriber: {@link PublishersSubscriber} requesting {@code batch} at
     * a time, consumed by an async terminal whose consumer waits for a permit per element; the
     * whitebox puppet releases permits ({@code triggerRequest}) and cancels the collection
     * ({@code signalCancel}).
     */
    static final class Consumed {
        final PublishersSubscriber<Integer> subscriber;
        private final Semaphore permits = SemaphoreKt.Semaphore(Integer.MAX_VALUE, Integer.MAX_VALUE);
        private final CompletableFuture<Void> consumption;

        Consumed(int batch, boolean gated) {
            subscriber = new PublishersSubscriber<>(batch);
            Flow<Integer> source = (collector, c) -> subscriber.consume(null, collector, c);
            consumption = AsyncFlow.<Integer>from(source).forEachAsync(x -> {
                if (gated) {
                    Suspend.call(c -> permits.acquire(c));
                }
            });
            // a collection cancelled before its loop started never ran it: end the subscriber here too
            consumption.whenComplete((v, t) -> subscriber.cancel());
        }

        SubscriberPuppet puppet() {
            return new SubscriberPuppet() {
                @Override
                public void triggerRequest(long elements) {
                    for (long i = 0; i < elements; i++) {
                        permits.release();
                    }
                }

                @Override
                public void signalCancel() {
                    consumption.cancel(true);
                }
            };
        }
    }

    /** A JDK subscriber that reports every signal it accepted to the whitebox probe. */
    static java.util.concurrent.Flow.Subscriber<Integer> probed(
            Consumed consumed, WhiteboxSubscriberProbe<Integer> probe) {
        PublishersSubscriber<Integer> s = consumed.subscriber;
        return new java.util.concurrent.Flow.Subscriber<>() {
            @Override
            public void onSubscribe(java.util.concurrent.Flow.Subscription subscription) {
                s.onSubscribe(subscription);
                probe.registerOnSubscribe(consumed.puppet());
            }

            @Override
            public void onNext(Integer item) {
                s.onNext(item);
                probe.registerOnNext(item);
            }

            @Override
            public void onError(Throwable throwable) {
                s.onError(throwable);
                probe.registerOnError(throwable);
            }

            @Override
            public void onComplete() {
                s.onComplete();
                probe.registerOnComplete();
            }
        };
    }

    /** The same for the {@code org.reactivestreams} interface. */
    static org.reactivestreams.Subscriber<Integer> probedRs(Consumed consumed, WhiteboxSubscriberProbe<Integer> probe) {
        PublishersSubscriber<Integer> s = consumed.subscriber;
        return new org.reactivestreams.Subscriber<>() {
            @Override
            public void onSubscribe(org.reactivestreams.Subscription subscription) {
                s.onSubscribe(subscription);
                probe.registerOnSubscribe(consumed.puppet());
            }

            @Override
            public void onNext(Integer item) {
                s.onNext(item);
                probe.registerOnNext(item);
            }

            @Override
            public void onError(Throwable throwable) {
                s.onError(throwable);
                probe.registerOnError(throwable);
            }

            @Override
            public void onComplete() {
                s.onComplete();
                probe.registerOnComplete();
            }
        };
    }
}
