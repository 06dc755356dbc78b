package dev.coflow.test;

import dev.coflow.bridge.Coroutines;
import dev.coflow.bridge.Suspend;
import dev.coflow.bridge.SuspendBody;
import dev.coflow.bridge.SuspendRunnable;
import dev.coflow.bridge.Task;
import dev.coflow.bridge.TaskScope;
import java.time.Duration;
import java.util.Objects;
import kotlin.Unit;
import kotlin.coroutines.CoroutineContext;
import kotlin.coroutines.EmptyCoroutineContext;
import kotlinx.coroutines.BuildersKt;
import kotlinx.coroutines.CoroutineScope;
import kotlinx.coroutines.CoroutineStart;
import kotlinx.coroutines.Job;
import kotlinx.coroutines.test.TestCoroutineScheduler;

/** The {@link VirtualTimeScope} of one {@link VirtualTimeRunner} run. */
final class VirtualTimeScopeImpl implements VirtualTimeScope {
    private final TestCoroutineScheduler scheduler;
    private final CoroutineScope background;
    private volatile TaskScope taskScope;

    VirtualTimeScopeImpl(TestCoroutineScheduler scheduler, CoroutineScope background) {
        this.scheduler = scheduler;
        this.background = background;
    }

    void attach(TaskScope scope) {
        this.taskScope = scope;
    }

    @Override
    public long currentTime() {
        return scheduler.getCurrentTime();
    }

    @Override
    public void advanceTimeBy(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("millis must be >= 0 (the clock only moves forward), was " + millis);
        }
        onClock(() -> scheduler.advanceTimeBy(millis));
    }

    @Override
    public void advanceTimeBy(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException(
                    "duration must not be negative (the clock only moves forward), was " + duration);
        }
        long millis;
        try {
            millis = duration.toMillis();
        } catch (ArithmeticException e) {
            millis = Long.MAX_VALUE;
        }
        advanceTimeBy(millis);
    }

    @Override
    public void advanceUntilIdle() {
        onClock(scheduler::advanceUntilIdle);
    }

    @Override
    public void runCurrent() {
        onClock(scheduler::runCurrent);
    }

    @Override
    public Task<Void> launch(SuspendRunnable body) {
        Objects.requireNonNull(body, "body");
        return taskScope().launch(body);
    }

    @Override
    public <T> Task<T> async(SuspendBody<T> body) {
        Objects.requireNonNull(body, "body");
        return taskScope().async(body);
    }

    @Override
    public Job launchBackground(SuspendRunnable body) {
        Objects.requireNonNull(body, "body");
        return BuildersKt.launch(
                background,
                EmptyCoroutineContext.INSTANCE,
                CoroutineStart.DEFAULT,
                (s, c) -> Coroutines.runSuspending(
                        () -> {
                            body.run();
                            return Unit.INSTANCE;
                        },
                        c));
    }

    @Override
    public CoroutineScope backgroundScope() {
        return background;
    }

    @Override
    public TaskScope taskScope() {
        TaskScope s = taskScope;
        if (s == null) {
            throw new IllegalStateException(
                    "the virtual-time test body has not started yet; use the scope inside the body");
        }
        return s;
    }

    @Override
    public CoroutineContext context() {
        return taskScope().context();
    }

    @Override
    public TestCoroutineScheduler scheduler() {
        return scheduler;
    }

    /**
     * Runs a scheduler operation as a suspend-like call of the calling body, so that it executes
     * inside the body's task on the driving thread (never concurrently with it).
     */
    private static void onClock(Runnable op) {
        if (Suspend.inCoroutine()) {
            Suspend.call(c -> {
                op.run();
                return Unit.INSTANCE;
            });
        } else {
            op.run();
        }
    }

    @Override
    public String toString() {
        return "VirtualTimeScope[time=" + currentTime() + " ms]";
    }
}
