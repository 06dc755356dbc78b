package dev.coflow.test;

import dev.coflow.bridge.Coroutines;
import dev.coflow.bridge.internal.KotlinxInternals;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import kotlin.Unit;
import kotlin.coroutines.CoroutineContext;
import kotlin.coroutines.EmptyCoroutineContext;
import kotlinx.coroutines.BuildersKt;
import kotlinx.coroutines.CompletableJob;
import kotlinx.coroutines.CoroutineExceptionHandler;
import kotlinx.coroutines.CoroutineExceptionHandlerKt;
import kotlinx.coroutines.CoroutineScope;
import kotlinx.coroutines.CoroutineScopeKt;
import kotlinx.coroutines.CoroutineStart;
import kotlinx.coroutines.Deferred;
import kotlinx.coroutines.JobKt;
import kotlinx.coroutines.SupervisorKt;
import kotlinx.coroutines.test.TestCoroutineDispatchersKt;
import kotlinx.coroutines.test.TestCoroutineScheduler;
import kotlinx.coroutines.test.TestDispatcher;
import kotlinx.coroutines.test.TestScopeKt;

/**
 * Drives one virtual-time test: the calling thread runs the scheduler until the body's coroutine
 * completes, then cancels and drains the background scope.
 *
 * <p>Why the clock methods work from the body: the body's suspend-like calls are performed by its
 * driver coroutine, which the scheduler runs on this thread. A clock method is such a call, so it
 * runs the scheduler re-entrantly from inside the body's own task, which is exactly where
 * kotlinx's {@code TestScope.advanceTimeBy} runs in a {@code runTest} body.
 */
final class VirtualTimeRunner {
    private static final long POLL_NANOS = 200_000;
    private static final long DRAIN_NANOS = 2_000_000_000L;
    /** kotlinx tags background work with an internal context element; borrowed from a TestScope. */
    private static final CoroutineContext BACKGROUND_WORK = backgroundWorkElement();

    private VirtualTimeRunner() {}

    static <T> T run(Duration limit, VirtualTimeCallable<T> body) {
        TestCoroutineScheduler scheduler = new TestCoroutineScheduler();
        TestDispatcher dispatcher = TestCoroutineDispatchersKt.StandardTestDispatcher(scheduler, "coflow-virtual-time");
        List<Throwable> uncaught = Collections.synchronizedList(new ArrayList<>());
        CoroutineExceptionHandler handler = CoroutineExceptionHandlerKt.CoroutineExceptionHandler((ctx, t) -> {
            uncaught.add(t);
            return Unit.INSTANCE;
        });
        CoroutineContext base = dispatcher.plus(scheduler).plus(handler);
        CompletableJob rootJob = JobKt.Job(null);
        CompletableJob backgroundJob = SupervisorKt.SupervisorJob(null);
        CoroutineScope background =
                CoroutineScopeKt.CoroutineScope(base.plus(BACKGROUND_WORK).plus(backgroundJob));
        VirtualTimeScopeImpl scope = new VirtualTimeScopeImpl(scheduler, background);

        Deferred<T> result = BuildersKt.async(
                CoroutineScopeKt.CoroutineScope(base.plus(rootJob)),
                EmptyCoroutineContext.INSTANCE,
                CoroutineStart.DEFAULT,
                (s, c) -> Coroutines.runSuspending(
                        () -> Coroutines.run(taskScope -> {
                            scope.attach(taskScope);
                            return body.call(scope);
                        }),
                        c));

        Thread driver = Thread.currentThread();
        AtomicBoolean timedOut = new AtomicBoolean();
        long deadline = System.nanoTime() + limit.toNanos();
        Thread watchdog = Thread.ofVirtual()
                .name("coflow-virtual-time-watchdog")
                .start(() -> {
                    long left;
                    while (!result.isCompleted() && (left = deadline - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(left);
                    }
                    if (!result.isCompleted()) {
                        timedOut.set(true);
                        rootJob.cancel(new CancellationException(
                                "virtual-time test exceeded its wall-clock limit of " + limit));
                    }
                });
        result.invokeOnCompletion(cause -> {
            LockSupport.unpark(driver);
            LockSupport.unpark(watchdog);
            return Unit.INSTANCE;
        });

        boolean interrupted = false;
        while (!result.isCompleted()) {
            scheduler.advanceUntilIdle();
            if (result.isCompleted()) {
                break;
            }
            // Idle: the body waits for something outside the virtual clock (another thread, real I/O).
            LockSupport.parkNanos(POLL_NANOS);
            if (Thread.interrupted() && !interrupted) {
                interrupted = true;
                rootJob.cancel(new CancellationException("the thread running VirtualTime was interrupted"));
            }
        }
        long endTime = scheduler.getCurrentTime();
        joinQuietly(watchdog);
        backgroundJob.cancel(null);
        Throwable drainFailure = drain(scheduler, backgroundJob);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }

        Throwable failure = result.getCompletionExceptionOrNull();
        if (timedOut.get()) {
            throw (AssertionError) withSuppressed(
                    new HarnessAssertionError("VirtualTime: the test body did not finish within " + limit
                            + " of wall-clock time (virtual clock at " + endTime
                            + " ms). It waits for something that never "
                            + "happens (a receive nobody sends to, a future nobody completes, background work alone, which "
                            + "does not move the clock) or loops forever. If it is only slow, pass a longer limit: "
                            + "VirtualTime.run(Duration.ofSeconds(60), scope -> ...)."),
                    uncaught,
                    drainFailure);
        }
        if (failure != null) {
            throw Failures.sneaky(withSuppressed(Failures.original(failure), uncaught, drainFailure));
        }
        if (!uncaught.isEmpty()) {
            Throwable first = Failures.original(uncaught.get(0));
            throw Failures.sneaky(withSuppressed(first, uncaught.subList(1, uncaught.size()), drainFailure));
        }
        if (drainFailure != null) {
            throw (AssertionError) drainFailure;
        }
        return result.getCompleted();
    }

    /** Lets cancelled background work run its {@code finally} blocks, on whatever clock it needs. */
    private static AssertionError drain(TestCoroutineScheduler scheduler, CompletableJob backgroundJob) {
        long deadline = System.nanoTime() + DRAIN_NANOS;
        while (!backgroundJob.isCompleted()) {
            scheduler.runCurrent();
            for (int i = 0; i < 1_000 && !backgroundJob.isCompleted(); i++) {
                scheduler.advanceTimeBy(1);
                scheduler.runCurrent();
            }
            if (backgroundJob.isCompleted()) {
                break;
            }
            if (System.nanoTime() > deadline) {
                List<Object> active = new ArrayList<>();
                backgroundJob.getChildren().iterator().forEachRemaining(active::add);
                return new HarnessAssertionError("VirtualTime: background work was cancelled when the test body "
                        + "ended but is still running: " + active + ". It must not swallow CancellationException.");
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        return null;
    }

    private static Throwable withSuppressed(Throwable main, List<Throwable> others, Throwable extra) {
        synchronized (others) {
            for (Throwable t : others) {
                Throwable o = Failures.original(t);
                if (o != main) {
                    main.addSuppressed(o);
                }
            }
        }
        if (extra != null) {
            main.addSuppressed(extra);
        }
        return main;
    }

    private static void joinQuietly(Thread t) {
        LockSupport.unpark(t);
        boolean interrupted = false;
        for (; ; ) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static CoroutineContext backgroundWorkElement() {
        CoroutineContext bg = TestScopeKt.TestScope(EmptyCoroutineContext.INSTANCE)
                .getBackgroundScope()
                .getCoroutineContext();
        return bg.<CoroutineContext>fold(
                EmptyCoroutineContext.INSTANCE,
                (acc, element) -> KotlinxInternals.isBackgroundWork(element) ? element : acc);
    }
}
