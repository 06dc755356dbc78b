package dev.coflow;

import dev.coflow.bridge.Coroutines;
import dev.coflow.bridge.Suspend;
import dev.coflow.bridge.internal.CoroutineClock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import kotlin.Unit;
import kotlin.coroutines.Continuation;
import kotlinx.coroutines.CompletableJob;
import kotlinx.coroutines.CoroutineScope;
import kotlinx.coroutines.CoroutineScopeKt;
import kotlinx.coroutines.DelayKt;
import kotlinx.coroutines.Job;
import kotlinx.coroutines.JobKt;
import kotlinx.coroutines.SupervisorKt;
import kotlinx.coroutines.channels.ClosedReceiveChannelException;
import kotlinx.coroutines.channels.ReceiveChannel;
import kotlinx.coroutines.flow.AbstractFlow;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.FlowCollector;
import kotlinx.coroutines.flow.FlowKt;
import kotlinx.coroutines.selects.OnTimeoutKt;
import kotlinx.coroutines.selects.SelectKt;

/**
 * Time-based operators (kotlinx {@code operators/Delay.kt}): {@code debounce} and {@code sample}
 * (kotlinx's own), and coflow's {@code interval}, {@code timer}, {@code delayEach},
 * {@code throttleFirst}, {@code throttleLatest}, {@code rateLimit} and the time-bounded
 * {@code chunked}. Every wait is a {@code delay} of the collecting coroutine and every deadline is
 * read from the same clock ({@link CoroutineClock}): virtual under a test dispatcher, exact to the
 * millisecond there, and without drift in real time, since deadlines are computed from a fixed
 * origin rather than added up from waits.
 */
final class Delay {
    private Delay() {}

    // region kotlinx's -----------------------------------------------------------------------------

    static <T> Flow<T> debounce(Flow<T> upstream, long millis) {
        return FlowKt.debounce(upstream, millis);
    }

    static <T> Flow<T> sample(Flow<T> upstream, long millis) {
        return FlowKt.sample(upstream, millis);
    }

    /**
     * Whole milliseconds, rounding a fractional millisecond up as kotlinx does for its
     * {@code Duration} overloads; huge durations saturate.
     */
    static long ceilMillis(Duration d) {
        try {
            long ms = d.toMillis();
            return d.minusMillis(ms).isZero() ? ms : Math.addExact(ms, 1);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    // endregion
    // region timers --------------------------------------------------------------------------------

    /** {@code timer}: one {@code 0L} after {@code millis}. */
    static Flow<Long> timer(long millis) {
        return new AbstractFlow<Long>() {
            @Override
            public Object collectSafely(
                    FlowCollector<? super Long> collector, Continuation<? super Unit> continuation) {
                return Coroutines.runSuspending(
                        () -> {
                            Suspend.delay(millis);
                            Suspend.call(c -> collector.emit(0L, c));
                            return Unit.INSTANCE;
                        },
                        continuation);
            }
        };
    }

    /**
     * {@code interval}: tick {@code k} is due at {@code origin + initialMillis + k * periodMillis}
     * and emits {@code k}. A tick whose due time passed while the downstream was still busy with
     * an earlier one is skipped, so a slow consumer sees gaps in the numbers, never a queue.
     */
    static Flow<Long> interval(long initialMillis, long periodMillis) {
        return new AbstractFlow<Long>() {
            @Override
            public Object collectSafely(
                    FlowCollector<? super Long> collector, Continuation<? super Unit> continuation) {
                return Coroutines.runSuspending(
                        () -> {
                            long first = saturatedAdd(Suspend.clockMillis(), initialMillis);
                            long tick = 0;
                            while (true) {
                                long due = saturatedAdd(first, saturatedMultiply(tick, periodMillis));
                                long wait = due - Suspend.clockMillis();
                                if (wait > 0) {
                                    Suspend.delay(wait);
                                }
                                long k = tick;
                                Suspend.call(c -> collector.emit(k, c));
                                long late = Suspend.clockMillis() - (due + periodMillis);
                                tick += late > 0 ? 1 + Math.ceilDiv(late, periodMillis) : 1;
                            }
                        },
                        continuation);
            }
        };
    }

    // endregion
    // region pacing --------------------------------------------------------------------------------

    /** {@code delayEach}: waits {@code millis} before passing each element on. */
    static <T> Flow<T> delayEach(Flow<T> upstream, long millis) {
        return FlowKt.onEach(upstream, (T v, Continuation<? super Unit> c) -> DelayKt.delay(millis, c));
    }

    /** {@code throttleFirst}: an element passes if {@code millis} have passed since the last one that did. */
    static <T> Flow<T> throttleFirst(Flow<T> upstream, long millis) {
        return (collector, continuation) -> {
            long[] last = {0};
            boolean[] any = {false};
            return upstream.collect(
                    (FlowCollector<T>) (v, c) -> {
                        long now = CoroutineClock.millis(c.getContext());
                        if (any[0] && now - last[0] < millis) {
                            return Unit.INSTANCE;
                        }
                        any[0] = true;
                        last[0] = now;
                        return collector.emit(v, c);
                    },
                    continuation);
        };
    }

    /**
     * {@code rateLimit}: at most {@code permits} elements in any window of {@code perMillis}. Each
     * element's emit time is planned before it waits: now, or the time the oldest of the last
     * {@code permits} emits leaves the window, whichever is later. Nothing is dropped: the upstream
     * is held back instead (each wait is a {@code delay} before the element passes on).
     */
    static <T> Flow<T> rateLimit(Flow<T> upstream, int permits, long perMillis) {
        return (collector, continuation) -> {
            ArrayDeque<Long> sent = new ArrayDeque<>(Math.min(permits, 1024));
            return FlowKt.onEach(upstream, (T v, Continuation<? super Unit> c) -> {
                        long now = CoroutineClock.millis(c.getContext());
                        long at =
                                sent.size() < permits ? now : Math.max(now, saturatedAdd(sent.pollFirst(), perMillis));
                        sent.addLast(at);
                        return at > now ? DelayKt.delay(at - now, c) : Unit.INSTANCE;
                    })
                    .collect(collector, continuation);
        };
    }

    static long saturatedMultiply(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        return hi == 0 && lo >= 0 ? lo : Long.MAX_VALUE; // both factors are >= 0 here
    }

    static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    // endregion
    // region windows -------------------------------------------------------------------------------

    /**
     * {@code throttleLatest}: the first element passes at once and opens a window of
     * {@code millis}; the latest element that arrives during the window passes when it closes and
     * opens the next one; a window without elements ends the throttling until the next element.
     * On completion, or before an upstream failure is passed on, an element still held passes at
     * once: only superseded elements are dropped.
     */
    static <T> Flow<T> throttleLatest(Flow<T> upstream, long millis) {
        return (collector, continuation) -> Window.run(upstream, collector, continuation, w -> {
            Object[] held = {null};
            try {
                while (true) {
                    Object v = w.next();
                    if (v == Window.END) {
                        return;
                    }
                    w.emit(v);
                    long windowEnd = Suspend.clockMillis() + millis;
                    while (true) {
                        Object e = w.next(windowEnd);
                        if (e == Window.END) {
                            if (held[0] != null) {
                                w.emit(held[0]);
                            }
                            return;
                        }
                        if (e != Window.TIMEOUT) {
                            held[0] = e;
                            continue;
                        }
                        if (held[0] == null) {
                            break;
                        }
                        Object latest = held[0];
                        held[0] = null;
                        w.emit(latest);
                        windowEnd = Suspend.clockMillis() + millis;
                    }
                }
            } catch (Window.UpstreamFailure f) {
                if (held[0] != null) {
                    w.emit(held[0]);
                }
                throw f;
            }
        });
    }

    /**
     * {@code chunked(maxSize, maxWait)}: a batch is emitted when it holds {@code maxSize}
     * elements or when {@code maxWaitMillis} have passed since its first element, whichever comes
     * first; never empty; the last partial batch is emitted on completion, and before an upstream
     * failure is rethrown.
     */
    static <T> Flow<List<T>> chunked(Flow<T> upstream, int maxSize, long maxWaitMillis) {
        return (collector, continuation) -> Window.run(upstream, collector, continuation, w -> {
            List<Object> batch = new ArrayList<>();
            long deadline = 0;
            try {
                while (true) {
                    Object e = batch.isEmpty() ? w.next() : w.next(deadline);
                    if (e == Window.END) {
                        break;
                    }
                    if (e == Window.TIMEOUT) {
                        w.emit(Collections.unmodifiableList(batch));
                        batch = new ArrayList<>();
                        continue;
                    }
                    if (batch.isEmpty()) {
                        deadline = Suspend.clockMillis() + maxWaitMillis;
                    }
                    batch.add(e);
                    if (batch.size() == maxSize) {
                        w.emit(Collections.unmodifiableList(batch));
                        batch = new ArrayList<>();
                    }
                }
            } catch (Window.UpstreamFailure f) {
                if (!batch.isEmpty()) {
                    w.emit(Collections.unmodifiableList(batch));
                }
                throw f.getCause();
            }
            if (!batch.isEmpty()) {
                w.emit(Collections.unmodifiableList(batch));
            }
        });
    }

    /**
     * One collection of a windowing operator, kotlinx's {@code scopedFlow} + {@code produce}
     * shape: the upstream is collected by a child coroutine into a rendezvous channel, and the
     * operator's loop (a Java body in the collecting coroutine's scope) reads it with or without a
     * deadline and emits downstream. A read with a deadline is a {@code select} over the channel
     * and a timeout, so an element is either received or left in the channel, never lost.
     *
     * <p>The producer runs under its own supervisor job, so that an upstream failure closes the
     * channel with the cause instead of cancelling the loop: the loop sees it as an
     * {@link UpstreamFailure} after the elements before it, and can emit what it holds first.
     */
    static final class Window {
        /** What {@link #next()} returns once the upstream has completed. */
        static final Object END = new Object();
        /** What {@link #next(long)} returns when the deadline passes first. */
        static final Object TIMEOUT = new Object();

        private final ReceiveChannel<?> values;
        private final FlowCollector<Object> collector;

        @FunctionalInterface
        interface Loop {
            void run(Window w) throws Throwable;
        }

        /** The upstream's failure, as seen by the loop; the cause is the upstream's exception. */
        static final class UpstreamFailure extends Exception {
            private static final long serialVersionUID = 1L;

            UpstreamFailure(Throwable cause) {
                super(null, cause, false, false);
            }
        }

        private Window(ReceiveChannel<?> values, FlowCollector<Object> collector) {
            this.values = values;
            this.collector = collector;
        }

        @SuppressWarnings("unchecked")
        static <T, R> Object run(
                Flow<T> upstream,
                FlowCollector<? super R> collector,
                Continuation<? super Unit> continuation,
                Loop loop) {
            return CoroutineScopeKt.coroutineScope(
                    (CoroutineScope scope, Continuation<? super Unit> c) -> {
                        Job parent = JobKt.getJob(scope.getCoroutineContext());
                        CompletableJob producerJob = SupervisorKt.SupervisorJob(parent);
                        // a rendezvous: the upstream stays one element ahead of the loop at most
                        ReceiveChannel<T> values = FlowKt.produceIn(
                                FlowKt.buffer(upstream, 0, kotlinx.coroutines.channels.BufferOverflow.SUSPEND),
                                CoroutineScopeKt.plus(scope, producerJob));
                        return Coroutines.runSuspending(
                                () -> {
                                    try {
                                        Window w = new Window(values, (FlowCollector<Object>) collector);
                                        try {
                                            loop.run(w);
                                        } catch (UpstreamFailure f) {
                                            throw f.getCause();
                                        }
                                    } catch (Throwable t) {
                                        throw dev.coflow.bridge.internal.Exceptions.<RuntimeException>sneaky(t);
                                    } finally {
                                        values.cancel(null);
                                        producerJob.cancel(null);
                                    }
                                    return Unit.INSTANCE;
                                },
                                c);
                    },
                    continuation);
        }

        /** The next element, waiting as long as it takes; {@link #END} after the last. */
        Object next() throws UpstreamFailure {
            try {
                return Suspend.call(values::receive);
            } catch (ClosedReceiveChannelException e) {
                return END;
            } catch (java.util.concurrent.CancellationException e) {
                throw e;
            } catch (Throwable e) { // the upstream's failure as is, checked ones included
                throw failure(e);
            }
        }

        /** The next element, or {@link #TIMEOUT} once the coroutine clock reaches {@code deadline}. */
        Object next(long deadline) throws UpstreamFailure {
            long wait = deadline - Suspend.clockMillis();
            if (wait <= 0) {
                return TIMEOUT;
            }
            try {
                return Suspend.call(c -> SelectKt.select(
                        b -> {
                            b.invoke(values.getOnReceive(), (v, k) -> v);
                            OnTimeoutKt.onTimeout(b, wait, k -> TIMEOUT);
                            return Unit.INSTANCE;
                        },
                        c));
            } catch (ClosedReceiveChannelException e) {
                return END;
            } catch (java.util.concurrent.CancellationException e) {
                throw e;
            } catch (Throwable e) { // the upstream's failure as is, checked ones included
                throw failure(e);
            }
        }

        /** The exception a closed channel rethrows is the upstream's own failure. */
        private static UpstreamFailure failure(Throwable e) {
            return new UpstreamFailure(e);
        }

        void emit(Object value) {
            Suspend.call(c -> collector.emit(value, c));
        }
    }

    // endregion
}
