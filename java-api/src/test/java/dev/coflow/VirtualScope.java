package dev.coflow;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.coflow.bridge.Coroutines;
import dev.coflow.bridge.SuspendBody;
import java.util.concurrent.CompletableFuture;
import kotlin.coroutines.EmptyCoroutineContext;
import kotlinx.coroutines.CoroutineStart;
import kotlinx.coroutines.future.FutureKt;
import kotlinx.coroutines.test.TestCoroutineDispatchersKt;
import kotlinx.coroutines.test.TestCoroutineScheduler;

/**
 * Test support: a {@link FlowScope} on a kotlinx test dispatcher, so every wait is virtual.
 *
 * <p>Not the harness's {@code VirtualTime}: the hot-flow tests step this clock from the test
 * thread, outside any coroutine body, as a plain-Java owner of a {@code FlowScope} does; the
 * harness runs the whole test inside a body.
 */
final class VirtualScope {
    final TestCoroutineScheduler scheduler = new TestCoroutineScheduler();
    final FlowScope scope = FlowScope.create(TestCoroutineDispatchersKt.StandardTestDispatcher(scheduler, "virtual"));

    /** Starts {@code body} as a coroutine of {@link #scope}; it runs when the scheduler runs. */
    <T> CompletableFuture<T> start(SuspendBody<T> body) {
        return FutureKt.future(
                scope,
                EmptyCoroutineContext.INSTANCE,
                CoroutineStart.DEFAULT,
                (s, c) -> Coroutines.runSuspending(body, c));
    }

    long now() {
        return scheduler.getCurrentTime();
    }

    void runCurrent() {
        scheduler.runCurrent();
    }

    /** Advances the clock by {@code millis} and runs everything due up to and including then. */
    void advanceBy(long millis) {
        scheduler.advanceTimeBy(millis);
        scheduler.runCurrent();
    }

    /** Cancels the scope and lets the cancelled coroutines finish. */
    void shutdown() {
        scope.cancel();
        scheduler.advanceUntilIdle();
        assertFalse(scope.isActive());
        scope.close(); // returns at once: everything has finished
    }
}
