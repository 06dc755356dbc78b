package dev.coflow.test;

import dev.coflow.bridge.Coroutines;
import dev.coflow.bridge.Suspend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import kotlin.Unit;
import kotlin.coroutines.CoroutineContext;
import kotlin.coroutines.EmptyCoroutineContext;
import kotlinx.coroutines.BuildersKt;
import kotlinx.coroutines.CompletableJob;
import kotlinx.coroutines.CoroutineExceptionHandlerKt;
import kotlinx.coroutines.CoroutineScopeKt;
import kotlinx.coroutines.CoroutineStart;
import kotlinx.coroutines.Job;
import kotlinx.coroutines.SupervisorKt;
import kotlinx.coroutines.TimeoutKt;
import kotlinx.coroutines.channels.BufferOverflow;
import kotlinx.coroutines.channels.Channel;
import kotlinx.coroutines.channels.ChannelKt;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.FlowKt;
import kotlinx.coroutines.test.TestCoroutineScheduler;

/**
 * {@link FlowTester} over an unlimited channel of events: a child coroutine collects the flow into
 * the channel; the test body (a bridged Java body) receives from it with a timeout on the
 * coroutine's own clock, so inside {@link VirtualTime} the timeout is virtual.
 *
 * <p>The collector runs under its own supervisor job, so a failing flow becomes an
 * {@link FlowEvent.Error} for the body to assert instead of cancelling the test.
 */
final class ChannelFlowTester<T> implements FlowTester<T> {
    private final Channel<FlowEvent<T>> events = ChannelKt.Channel(Channel.UNLIMITED, BufferOverflow.SUSPEND, null);
    private final List<FlowEvent<T>> seen = new ArrayList<>();
    private final CompletableJob supervisor;
    private final CoroutineContext context;
    private final TestCoroutineScheduler scheduler;
    private final Duration timeout;
    private volatile boolean cancelRequested;
    /** The collecting coroutine; settling waits a little for it to finish. */
    private volatile Job collector;

    private boolean remainingAllowed;
    private FlowEvent<T> terminal;

    private ChannelFlowTester(CoroutineContext context, Duration timeout) {
        this.supervisor = SupervisorKt.SupervisorJob(context.get(Job.Key));
        this.context = context.plus(supervisor)
                .plus(CoroutineExceptionHandlerKt.CoroutineExceptionHandler((ctx, t) -> Unit.INSTANCE));
        this.scheduler = context.get(TestCoroutineScheduler.Key);
        this.timeout = timeout;
    }

    static <T> void run(Flow<T> flow, Duration timeout, FlowTestBody<T> body) {
        Throwable[] failure = new Throwable[1];
        Coroutines.run(scope -> {
            ChannelFlowTester<T> tester = new ChannelFlowTester<>(scope.context(), timeout);
            tester.start(flow);
            try {
                body.run(tester);
                tester.checkAllConsumed();
            } catch (Throwable t) {
                failure[0] = t;
            } finally {
                tester.cancel();
            }
            return null;
        });
        if (failure[0] != null) {
            throw Failures.sneaky(Failures.original(failure[0]));
        }
    }

    private void start(Flow<T> flow) {
        Flow<T> observed = FlowKt.onCompletion(flow, (collector, cause, c) -> {
            if (cancelRequested) {
                return Unit.INSTANCE;
            }
            return events.send(
                    cause == null ? new FlowEvent.Complete<>() : new FlowEvent.Error<>(Failures.original(cause)), c);
        });
        collector = BuildersKt.launch(
                CoroutineScopeKt.CoroutineScope(context),
                EmptyCoroutineContext.INSTANCE,
                CoroutineStart.DEFAULT,
                (s, c) -> observed.collect((value, c2) -> events.send(new FlowEvent.Item<>(value), c2), c));
    }

    // ---- awaiting ------------------------------------------------------------------------------

    @Override
    public T awaitItem() {
        FlowEvent<T> e = next("an item");
        if (e instanceof FlowEvent.Item<T> item) {
            return item.value();
        }
        throw unexpected("an item", e);
    }

    @Override
    public void skipItems(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, was " + count);
        }
        for (int i = 0; i < count; i++) {
            String expected = "item " + (i + 1) + " of " + count + " to skip";
            FlowEvent<T> e = next(expected);
            if (!(e instanceof FlowEvent.Item<T>)) {
                throw unexpected(expected, e);
            }
        }
    }

    @Override
    public void awaitComplete() {
        FlowEvent<T> e = next("completion");
        if (!(e instanceof FlowEvent.Complete<T>)) {
            throw unexpected("completion", e);
        }
    }

    @Override
    public Throwable awaitError() {
        FlowEvent<T> e = next("an error");
        if (e instanceof FlowEvent.Error<T> error) {
            return error.error();
        }
        throw unexpected("an error", e);
    }

    // ---- non-waiting checks ---------------------------------------------------------------------

    @Override
    public void expectNoEvents() {
        settle();
        FlowEvent<T> e = poll();
        if (e != null) {
            throw unexpected("no events", e);
        }
    }

    @Override
    public T expectMostRecentItem() {
        settle();
        T latest = null;
        boolean any = false;
        for (FlowEvent<T> e = poll(); e != null; e = poll()) {
            if (e instanceof FlowEvent.Item<T> item) {
                latest = item.value();
                any = true;
            } else {
                throw unexpected("only items before the most recent one", e);
            }
        }
        if (!any) {
            throw failure("Expected at least one item to have arrived already, but none had", null);
        }
        return latest;
    }

    @Override
    public void cancelAndIgnoreRemainingEvents() {
        cancel();
        remainingAllowed = true;
    }

    @Override
    public List<FlowEvent<T>> cancelAndConsumeRemainingEvents() {
        settle();
        cancel();
        remainingAllowed = true;
        List<FlowEvent<T>> rest = new ArrayList<>();
        for (FlowEvent<T> e = poll(); e != null; e = poll()) {
            rest.add(e);
        }
        return rest;
    }

    // ---- plumbing --------------------------------------------------------------------------------

    private void checkAllConsumed() {
        if (remainingAllowed) {
            return;
        }
        settle();
        List<FlowEvent<T>> rest = new ArrayList<>();
        for (FlowEvent<T> e = poll(); e != null; e = poll()) {
            rest.add(e);
        }
        if (!rest.isEmpty()) {
            Throwable cause = rest.stream()
                    .filter(e -> e instanceof FlowEvent.Error<T>)
                    .map(e -> ((FlowEvent.Error<T>) e).error())
                    .findFirst()
                    .orElse(null);
            throw failure(
                    "Unconsumed events at the end of the test: " + rest + ". Assert them with awaitItem(), "
                            + "awaitComplete() or awaitError(), or end with cancelAndIgnoreRemainingEvents()",
                    cause);
        }
    }

    private void cancel() {
        cancelRequested = true;
        supervisor.cancel(null);
    }

    @SuppressWarnings("unchecked")
    private FlowEvent<T> next(String expected) {
        if (terminal != null) {
            throw failure(
                    "Expected " + expected + " but " + describe(terminal) + " before (a flow ends only once)",
                    terminal instanceof FlowEvent.Error<T> e ? e.error() : null);
        }
        if (cancelRequested) {
            throw failure("Expected " + expected + " but the collection was already cancelled", null);
        }
        long millis = Math.max(1, timeout.toMillis());
        Object got = Suspend.call(c -> TimeoutKt.withTimeoutOrNull(millis, (s, c2) -> events.receive(c2), c));
        if (got == null) {
            throw failure(
                    "Expected " + expected + " but no event arrived within " + millis + " ms"
                            + (scheduler != null
                                    ? " of virtual time (pass a longer timeout to FlowTester.test(flow, Duration, body) "
                                            + "for a flow that waits longer)"
                                    : ""),
                    null);
        }
        return record((FlowEvent<T>) got);
    }

    /** Takes an event that has already arrived, or returns {@code null}. Never waits. */
    private FlowEvent<T> poll() {
        if (events.isEmpty()) {
            return null;
        }
        FlowEvent<T> e = Suspend.call(c -> events.receive(c));
        return record(e);
    }

    private FlowEvent<T> record(FlowEvent<T> e) {
        seen.add(e);
        if (!(e instanceof FlowEvent.Item<T>)) {
            terminal = e;
        }
        return e;
    }

    /** Lets work that is due now run, so that events it produces have arrived. */
    private void settle() {
        if (scheduler != null) {
            Suspend.call(c -> {
                scheduler.runCurrent();
                return Unit.INSTANCE;
            });
        } else {
            // In real time the collector may still be running on another thread: give a finite flow
            // the chance to deliver everything (bounded, so an endless flow costs at most the bound).
            Suspend.yieldNow();
            long deadline = System.nanoTime() + SETTLE_NANOS;
            Job job = collector;
            while (job != null && !job.isCompleted() && System.nanoTime() - deadline < 0) {
                Suspend.delay(1);
            }
        }
    }

    /** How long, in real time, the end-of-test check waits for a still-running collector. */
    private static final long SETTLE_NANOS = 200_000_000L;

    private AssertionError unexpected(String expected, FlowEvent<T> got) {
        return failure(
                "Expected " + expected + " but " + describe(got),
                got instanceof FlowEvent.Error<T> e ? e.error() : null);
    }

    private static String describe(FlowEvent<?> e) {
        if (e instanceof FlowEvent.Item<?> item) {
            return "got item " + item.value();
        }
        if (e instanceof FlowEvent.Error<?> error) {
            return "the flow failed with error " + error.error();
        }
        return "the flow completed";
    }

    private AssertionError failure(String message, Throwable cause) {
        String full = message + "\n  events received so far, in order: " + seen;
        return cause == null ? new HarnessAssertionError(full) : new HarnessAssertionError(full, cause);
    }
}
