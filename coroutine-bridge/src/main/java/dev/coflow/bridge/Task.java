package dev.coflow.bridge;

import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import kotlinx.coroutines.Deferred;
import kotlinx.coroutines.future.FutureKt;

/**
 * A handle to a child coroutine started by {@link TaskScope#async} or {@link TaskScope#launch}.
 * kotlinx counterpart: {@code Deferred<T>}.
 *
 * {@snippet :
 * Task<Integer> t = scope.async(() -> compute());
 * int v = t.await();          // suspends inside a body, blocks outside
 * }
 *
 * @param <T> the result type
 */
public final class Task<T> {
    private final Deferred<T> deferred;

    Task(Deferred<T> deferred) {
        this.deferred = deferred;
    }

    /**
     * Waits for the child and returns its result, or rethrows its failure (the original exception).
     *
     * @return the result
     * @throws CancellationException if the child was cancelled
     */
    public T await() {
        return Suspend.call(deferred::await);
    }

    /**
     * Waits until the child has finished, whatever the outcome; never rethrows the child's failure.
     */
    public void join() {
        Suspend.call(deferred::join);
    }

    /**
     * Requests cancellation of the child; it sees a {@link CancellationException} at its next
     * suspend-like call and its {@code finally} blocks run.
     */
    public void cancel() {
        deferred.cancel((CancellationException) null);
    }

    /**
     * Whether the child is still running.
     *
     * @return {@code true} while active
     */
    public boolean isActive() {
        return deferred.isActive();
    }

    /**
     * Whether the child has finished (normally, exceptionally or cancelled).
     *
     * @return {@code true} once finished
     */
    public boolean isDone() {
        return deferred.isCompleted();
    }

    /**
     * Whether the child was cancelled (or failed).
     *
     * @return {@code true} if cancelled
     */
    public boolean isCancelled() {
        return deferred.isCancelled();
    }

    /**
     * The child's result as a future; cancelling the future cancels the child.
     *
     * @return a future view
     */
    public CompletableFuture<T> toCompletableFuture() {
        return FutureKt.asCompletableFuture(deferred);
    }

    /**
     * The kotlinx {@code Deferred} behind this handle, for Kotlin code. kotlinx counterpart: the
     * {@code Deferred} itself.
     *
     * {@snippet :
     * Deferred<Integer> forKotlin = scope.async(() -> 42).asKotlin();
     * }
     *
     * @return the deferred
     */
    public Deferred<T> asKotlin() {
        return deferred;
    }

    /**
     * The kotlinx {@code Deferred} behind this handle.
     *
     * @return the deferred
     * @deprecated renamed to {@link #asKotlin()}, the one name coflow uses for the kotlinx object
     *     behind any of its types
     */
    @Deprecated(since = "0.2")
    public Deferred<T> deferred() {
        return deferred;
    }

    @Override
    public String toString() {
        return "Task[" + Objects.toString(deferred) + "]";
    }
}
