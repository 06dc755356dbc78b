package dev.coflow.bridge;

import java.util.Objects;
import kotlin.coroutines.CoroutineContext;
import kotlin.coroutines.EmptyCoroutineContext;
import kotlinx.coroutines.BuildersKt;
import kotlinx.coroutines.CoroutineScope;
import kotlinx.coroutines.CoroutineStart;
import kotlinx.coroutines.Deferred;
import kotlinx.coroutines.Job;

/**
 * The scope a {@link ScopeBody} runs in: starts child coroutines that the body's caller waits for.
 * A failing child cancels the scope (siblings and body); cancelling the scope cancels every child;
 * no child outlives the scope. kotlinx counterpart: {@code CoroutineScope}.
 *
 * {@snippet :
 * Coroutines.run(scope -> {
 *     scope.launch(() -> refreshCache());
 *     Task<User> user = scope.async(() -> loadUser(id));
 *     return render(user.await());
 * });
 * }
 */
public final class TaskScope {
    private final CoroutineScope scope;

    TaskScope(CoroutineScope scope) {
        this.scope = scope;
    }

    /**
     * Starts {@code body} as a child coroutine and returns a handle to its result. kotlinx
     * counterpart: {@code async { }}.
     *
     * @param body the child's body
     * @param <T> its result type
     * @return the child's handle
     * @throws IllegalStateException if the scope has already finished
     */
    public <T> Task<T> async(SuspendBody<T> body) {
        return async(EmptyCoroutineContext.INSTANCE, body);
    }

    /**
     * Starts {@code body} as a child coroutine with extra context (a dispatcher, a name).
     *
     * @param context added context elements
     * @param body the child's body
     * @param <T> its result type
     * @return the child's handle
     */
    public <T> Task<T> async(CoroutineContext context, SuspendBody<T> body) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(body, "body");
        checkOpen();
        Deferred<T> d =
                BuildersKt.async(scope, context, CoroutineStart.DEFAULT, (s, c) -> Coroutines.runSuspending(body, c));
        return new Task<>(d);
    }

    /**
     * Starts {@code body} as a child coroutine with no result. kotlinx counterpart: {@code launch { }}.
     *
     * @param body the child's body
     * @return the child's handle; {@link Task#await()} returns {@code null}
     * @throws IllegalStateException if the scope has already finished
     */
    public Task<Void> launch(SuspendRunnable body) {
        Objects.requireNonNull(body, "body");
        return async(() -> {
            body.run();
            return null;
        });
    }

    /**
     * Cancels the scope: every child and the body (at its next suspend-like call).
     */
    public void cancel() {
        job().cancel((java.util.concurrent.CancellationException) null);
    }

    /**
     * Whether the scope is still active (not cancelled, not finished).
     *
     * @return {@code true} while active
     */
    public boolean isActive() {
        return job().isActive();
    }

    /**
     * The coroutine context of this scope.
     *
     * @return the context
     */
    public CoroutineContext context() {
        return scope.getCoroutineContext();
    }

    /**
     * The kotlinx scope behind this one, to pass to Kotlin APIs ({@code launchIn}, {@code stateIn}).
     * kotlinx counterpart: the {@code CoroutineScope} itself.
     *
     * {@snippet :
     * AsyncStateFlow<Integer> count = counts.stateIn(scope.asKotlin(), SharingStarted.EAGERLY, 0);
     * }
     *
     * @return the kotlinx scope
     */
    public CoroutineScope asKotlin() {
        return scope;
    }

    /**
     * The kotlinx scope behind this one.
     *
     * @return the kotlinx scope
     * @deprecated renamed to {@link #asKotlin()}, the one name coflow uses for the kotlinx object
     *     behind any of its types
     */
    @Deprecated(since = "0.2")
    public CoroutineScope coroutineScope() {
        return scope;
    }

    private Job job() {
        return Objects.requireNonNull(scope.getCoroutineContext().get(Job.Key), "scope has no Job");
    }

    private void checkOpen() {
        if (job().isCompleted()) {
            throw new IllegalStateException("this TaskScope has finished; start children only while the body "
                    + "that received the scope is running");
        }
    }
}
