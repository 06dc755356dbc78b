package dev.coflow.bridge;

import java.util.concurrent.CompletableFuture;
import kotlin.coroutines.EmptyCoroutineContext;
import kotlinx.coroutines.CoroutineScope;
import kotlinx.coroutines.CoroutineScopeKt;
import kotlinx.coroutines.CoroutineStart;
import kotlinx.coroutines.future.FutureKt;
import kotlinx.coroutines.test.TestCoroutineDispatchersKt;
import kotlinx.coroutines.test.TestCoroutineScheduler;

/**
 * Test support: Java bodies started on a kotlinx {@code StandardTestDispatcher} (virtual time).
 * The bridge's one test clock: its tests cannot use the harness ({@code coflow-test} depends on
 * this module); the other modules' tests run bodies on the harness's {@code VirtualTime} instead.
 */
final class VirtualClock {
    final TestCoroutineScheduler scheduler = new TestCoroutineScheduler();
    final CoroutineScope scope =
            CoroutineScopeKt.CoroutineScope(TestCoroutineDispatchersKt.StandardTestDispatcher(scheduler, "virtual"));

    /** Starts {@code body} as a coroutine of {@link #scope}; nothing runs until the scheduler does. */
    <T> CompletableFuture<T> start(ScopeBody<T> body) {
        return FutureKt.future(
                scope,
                EmptyCoroutineContext.INSTANCE,
                CoroutineStart.DEFAULT,
                (s, c) -> Coroutines.runSuspending(() -> Coroutines.run(body), c));
    }

    long now() {
        return scheduler.getCurrentTime();
    }

    void advanceUntilIdle() {
        scheduler.advanceUntilIdle();
    }

    void advanceTimeBy(long millis) {
        scheduler.advanceTimeBy(millis);
        scheduler.runCurrent();
    }

    /** Runs {@code body} to completion in virtual time and returns its result (or rethrows). */
    <T> T run(ScopeBody<T> body) {
        CompletableFuture<T> f = start(body);
        advanceUntilIdle();
        if (!f.isDone()) {
            throw new AssertionError("body did not finish in virtual time");
        }
        return f.join();
    }
}
