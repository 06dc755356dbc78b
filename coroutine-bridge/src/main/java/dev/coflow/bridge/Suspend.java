package dev.coflow.bridge;

import dev.coflow.bridge.internal.CoroutineClock;
import dev.coflow.bridge.internal.Exceptions;
import dev.coflow.bridge.internal.Interrupts;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import kotlin.coroutines.CoroutineContext;
import kotlin.coroutines.EmptyCoroutineContext;
import kotlinx.coroutines.DelayKt;
import kotlinx.coroutines.YieldKt;
import kotlinx.coroutines.future.FutureKt;

/**
 * Suspend-like calls for plain Java code: what a Kotlin {@code suspend fun} can do, callable from
 * an ordinary Java method.
 *
 * <p><b>Inside a coroutine body</b> (a generator, a {@link Coroutines#run} body, a
 * {@link TaskScope#async} child, a test body) each method is performed by the owning coroutine in
 * its own context: it is cancellable, it uses the coroutine's clock (virtual time under a kotlinx
 * test dispatcher), and it throws {@link CancellationException} once the coroutine is cancelled.
 * <b>Outside any coroutine</b> each method simply blocks the calling thread ({@code delay} sleeps,
 * {@code await} waits, {@code call} runs the function in {@code runBlocking}); interrupting the
 * thread then throws {@link CancellationException} and keeps the thread's interrupt flag set.
 *
 * <p>Exceptions: a failure of the awaited operation is rethrown as the original exception, checked
 * or not, without wrapping (catch {@code Exception} to see checked ones). Note that kotlinx may hand
 * back a copy of an exception with the original as its cause when its debug mode (enabled by
 * {@code -ea}) recovers stack traces; type and message are always preserved.
 *
 * {@snippet :
 * Coroutines.run(scope -> {
 *     Suspend.delay(Duration.ofSeconds(1));                  // kotlinx: delay(1.seconds)
 *     String page = Suspend.await(httpClient.sendAsync(req, ofString())).body();
 *     Unit u = Suspend.call(c -> DelayKt.delay(10, c));     // any Kotlin suspend fun
 *     return page;
 * });
 * }
 */
public final class Suspend {
    private Suspend() {}

    /**
     * Waits for {@code millis} milliseconds without blocking a thread when inside a coroutine.
     * kotlinx counterpart: {@code delay(timeMillis)}.
     *
     * @param millis how long to wait; 0 returns at once (after a cancellation check)
     * @throws IllegalArgumentException if {@code millis} is negative
     * @throws CancellationException if the coroutine is cancelled (or the thread interrupted)
     */
    public static void delay(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("Suspend.delay: millis must be >= 0, was " + millis);
        }
        BodyContext fiber = BodyContext.current();
        if (fiber != null) {
            fiber.perform(c -> DelayKt.delay(millis, c));
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    /**
     * Waits for {@code duration}, rounded down to milliseconds (a positive duration below one
     * millisecond waits one millisecond, as kotlinx does). kotlinx counterpart: {@code delay(Duration)}.
     *
     * @param duration how long to wait, not null or negative
     * @throws IllegalArgumentException if {@code duration} is negative
     */
    public static void delay(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("Suspend.delay: duration must not be negative, was " + duration);
        }
        long millis;
        try {
            millis = duration.toMillis();
        } catch (ArithmeticException e) {
            millis = Long.MAX_VALUE;
        }
        if (millis == 0 && !duration.isZero()) {
            millis = 1;
        }
        delay(millis);
    }

    /**
     * Waits until {@code stage} completes and returns its value. Inside a coroutine this suspends;
     * cancelling the coroutine cancels a {@link CompletableFuture}. kotlinx counterpart:
     * {@code CompletionStage.await()}.
     *
     * @param stage the stage to wait for
     * @param <T> its value type
     * @return the stage's value
     * @throws CancellationException if the coroutine is cancelled or the stage was cancelled
     */
    @SuppressWarnings("unchecked")
    public static <T> T await(CompletionStage<T> stage) {
        Objects.requireNonNull(stage, "stage");
        if (stage.getClass() == CompletableFuture.class
                && !Thread.currentThread().isInterrupted()) {
            CompletableFuture<T> done = (CompletableFuture<T>) stage;
            if (done.isDone() && !done.isCompletedExceptionally()) {
                // What kotlinx's await does for a completed future, in or out of a coroutine: the
                // value, at once, without suspending (a pending interrupt still cancels: below).
                return done.resultNow();
            }
        }
        BodyContext fiber = BodyContext.current();
        if (fiber != null) {
            @SuppressWarnings("unchecked")
            T value = (T) fiber.perform(c -> FutureKt.await(stage, c));
            return value;
        }
        CompletableFuture<T> future = stage.toCompletableFuture();
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(false);
            throw interrupted(e);
        } catch (ExecutionException e) {
            throw Exceptions.sneaky(e.getCause());
        } catch (CompletionException e) {
            throw Exceptions.sneaky(e.getCause() != null ? e.getCause() : e);
        }
    }

    /**
     * Calls a Kotlin {@code suspend} function from Java and returns its result. The lambda gets
     * the continuation to pass on: {@code Suspend.call(c -> kotlinApi.fetch(id, c))}. Inside a
     * coroutine the call runs in the owning coroutine; outside, in a fresh {@code runBlocking}.
     *
     * @param call one call of a suspend function, passing on the continuation
     * @param <T> the function's result type
     * @return the function's result
     */
    @SuppressWarnings("unchecked")
    public static <T> T call(SuspendCall<T> call) {
        Objects.requireNonNull(call, "call");
        BodyContext fiber = BodyContext.current();
        if (fiber != null) {
            return (T) fiber.perform(call);
        }
        return (T) CallerLoop.run(call);
    }

    /**
     * Runs {@code body} so that its suspend-like calls still wait after the coroutine has been
     * cancelled: cleanup that must flush, close or notify. kotlinx counterpart:
     * {@code withContext(NonCancellable) { ... }}.
     *
     * {@snippet :
     * try { ... } finally {
     *     Suspend.nonCancellable(() -> Suspend.await(connection.closeAsync()));
     * }
     * }
     *
     * @param body the cleanup
     * @param <T> its result type
     * @return what the body returns
     */
    public static <T> T nonCancellable(SuspendBody<T> body) {
        Objects.requireNonNull(body, "body");
        BodyContext fiber = BodyContext.current();
        if (fiber != null) {
            fiber.nonCancellableDepth++;
        }
        try {
            return body.run();
        } catch (Exception e) {
            throw Exceptions.sneaky(e);
        } finally {
            if (fiber != null) {
                fiber.nonCancellableDepth--;
            }
        }
    }

    /**
     * Runs {@code body} without cancellation; see {@link #nonCancellable(SuspendBody)}.
     *
     * @param body the cleanup
     */
    public static void nonCancellable(SuspendRunnable body) {
        Objects.requireNonNull(body, "body");
        nonCancellable(() -> {
            body.run();
            return null;
        });
    }

    /**
     * Throws {@link CancellationException} if the owning coroutine has been cancelled (outside a
     * coroutine: if the thread is interrupted; the flag stays set). kotlinx counterpart:
     * {@code ensureActive()}.
     */
    public static void ensureActive() {
        BodyContext fiber = BodyContext.current();
        if (fiber != null) {
            if (fiber.nonCancellableDepth == 0 && fiber.job != null && !fiber.job.isActive()) {
                throw fiber.job.getCancellationException();
            }
            if (Thread.currentThread().isInterrupted()) {
                Thread.interrupted();
                CancellationException ce = Interrupts.cancellation("coroutine body", null);
                fiber.cancelOwner(ce);
                throw ce;
            }
            return;
        }
        if (Thread.currentThread().isInterrupted()) {
            throw Interrupts.cancellation("ensureActive", null);
        }
    }

    /**
     * Whether the owning coroutine is still active ({@code true} outside a coroutine unless the
     * thread is interrupted, and inside {@link #nonCancellable} cleanup). kotlinx counterpart:
     * {@code isActive}.
     *
     * @return {@code false} once cancellation has been requested
     */
    public static boolean isActive() {
        BodyContext fiber = BodyContext.current();
        if (fiber != null) {
            return fiber.nonCancellableDepth > 0 || fiber.job == null || fiber.job.isActive();
        }
        return !Thread.currentThread().isInterrupted();
    }

    /**
     * Gives other coroutines of the same dispatcher a chance to run, and checks for cancellation.
     * kotlinx counterpart: {@code yield()}.
     */
    public static void yieldNow() {
        BodyContext fiber = BodyContext.current();
        if (fiber != null) {
            fiber.perform(YieldKt::yield);
        } else {
            ensureActive();
            Thread.yield();
        }
    }

    /**
     * Whether the calling code runs as a coroutine body, so that suspend-like calls suspend a
     * coroutine instead of blocking the thread.
     *
     * @return {@code true} inside a body
     */
    public static boolean inCoroutine() {
        return BodyContext.current() != null;
    }

    /**
     * The context of the owning coroutine, or {@link EmptyCoroutineContext} outside a coroutine.
     * kotlinx counterpart: {@code currentCoroutineContext()}.
     *
     * @return the context
     */
    public static CoroutineContext context() {
        BodyContext fiber = BodyContext.current();
        return fiber != null ? fiber.context : EmptyCoroutineContext.INSTANCE;
    }

    /**
     * The current time of the clock the owning coroutine's {@code delay} runs on, in milliseconds
     * from an arbitrary origin: the virtual clock under a kotlinx-coroutines-test dispatcher
     * ({@code runTest}, coflow's {@code VirtualTime}), the monotonic {@code System.nanoTime()}
     * otherwise (also outside a coroutine). Only differences are meaningful: use it to measure
     * or schedule within one run, never as a wall-clock date. kotlinx counterpart:
     * {@code testScheduler.currentTime} in tests, {@code System.nanoTime()} elsewhere.
     *
     * {@snippet :
     * long start = Suspend.clockMillis();
     * Suspend.delay(Duration.ofSeconds(5));
     * long waited = Suspend.clockMillis() - start;  // 5000 in virtual time, about 5000 in real time
     * }
     *
     * @return milliseconds on the coroutine's clock
     */
    public static long clockMillis() {
        return CoroutineClock.millis(context());
    }

    static CancellationException interrupted(InterruptedException e) {
        return Interrupts.restoring("blocking wait", e);
    }
}
