package dev.coflow;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coflow.bridge.Coroutines;
import dev.coflow.bridge.SuspendBody;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import kotlin.coroutines.EmptyCoroutineContext;
import kotlinx.coroutines.CoroutineScopeKt;
import kotlinx.coroutines.CoroutineStart;
import kotlinx.coroutines.future.FutureKt;
import kotlinx.coroutines.test.TestCoroutineDispatchersKt;
import kotlinx.coroutines.test.TestCoroutineScheduler;

/** Runs a Java body as a coroutine on a kotlinx test dispatcher: every delay is virtual. */
final class VirtualTime {
    private VirtualTime() {}

    /** A body's result and the virtual time (ms) at which the body returned. */
    record Timed<T>(T value, long millis) {}

    /** Runs {@code body} to completion under virtual time; rethrows its failure unwrapped. */
    static <T> Timed<T> run(SuspendBody<T> body) {
        TestCoroutineScheduler scheduler = new TestCoroutineScheduler();
        var dispatcher = TestCoroutineDispatchersKt.StandardTestDispatcher(scheduler, "virtual-time");
        CompletableFuture<Timed<T>> f = FutureKt.future(CoroutineScopeKt.CoroutineScope(dispatcher),
                EmptyCoroutineContext.INSTANCE, CoroutineStart.DEFAULT,
                (s, c) -> Coroutines.runSuspending(() -> new Timed<>(body.run(), scheduler.getCurrentTime()), c));
        scheduler.advanceUntilIdle();
        assertTrue(f.isDone(), "the body is still waiting after the virtual clock ran out of work");
        try {
            return f.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
    }
}
