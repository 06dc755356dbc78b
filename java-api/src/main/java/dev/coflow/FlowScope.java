package dev.coflow;

import dev.coflow.bridge.Suspend;
import java.util.Objects;
import kotlin.coroutines.CoroutineContext;
import kotlinx.coroutines.CoroutineDispatcher;
import kotlinx.coroutines.Dispatchers;
import kotlinx.coroutines.Job;
import kotlinx.coroutines.SupervisorKt;

/**
 * A coroutine scope owned by Java code: the home of hot flows ({@link AsyncFlow#stateIn},
 * {@link AsyncFlow#shareIn}) in a service that has no coroutine scope of its own. Closing it
 * cancels everything started in it and waits until all of it has finished ({@code finally}
 * blocks of generator bodies included). A failure of one sharing coroutine does not cancel the
 * others (a supervisor scope). kotlinx counterpart: {@code CoroutineScope(SupervisorJob() + dispatcher)}.
 *
 * {@snippet :
 * try (FlowScope scope = FlowScope.create()) {
 *     AsyncStateFlow<Integer> visitors = visitorEvents().scan(0, (n, e) -> n + e.delta())
 *             .stateIn(scope, SharingStarted.EAGERLY, 0);
 *     server.serve(visitors);
 * }   // the upstream is cancelled here
 * }
 *
 * <p>It is a kotlinx {@link kotlinx.coroutines.CoroutineScope}, so Kotlin APIs ({@code launchIn},
 * {@code stateIn}) accept it directly.
 */
public final class FlowScope implements kotlinx.coroutines.CoroutineScope, AutoCloseable {
    private final CoroutineContext context;
    private final Job job;

    private FlowScope(CoroutineContext context) {
        this.job = SupervisorKt.SupervisorJob(null);
        this.context = context.plus(job);
    }

    /**
     * A scope whose coroutines run on {@code Dispatchers.Default} (Java bodies still run on their
     * own virtual threads).
     *
     * @return a new, active scope
     */
    public static FlowScope create() {
        return new FlowScope(Dispatchers.getDefault());
    }

    /**
     * A scope with the given context, e.g. a dispatcher (a kotlinx test dispatcher for virtual
     * time) or a {@code CoroutineName}. A {@link Job} in {@code context} is not allowed: the scope
     * owns its job.
     *
     * @param context the context elements
     * @return a new, active scope
     * @throws IllegalArgumentException if {@code context} contains a {@code Job}
     */
    public static FlowScope create(CoroutineContext context) {
        Objects.requireNonNull(context, "context");
        if (context.get(Job.Key) != null) {
            throw new IllegalArgumentException("context must not contain a Job: a FlowScope owns its job; "
                    + "pass only a dispatcher or a name, or use the kotlinx scope directly");
        }
        CoroutineContext ctx = context.get(kotlin.coroutines.ContinuationInterceptor.Key) instanceof CoroutineDispatcher
                ? context
                : context.plus(Dispatchers.getDefault());
        return new FlowScope(ctx);
    }

    /**
     * The context of this scope (its dispatcher and its supervisor job).
     *
     * @return the context
     */
    @Override
    public CoroutineContext getCoroutineContext() {
        return context;
    }

    /**
     * Whether the scope is still open.
     *
     * @return {@code false} after {@link #cancel()} or {@link #close()}
     */
    public boolean isActive() {
        return job.isActive();
    }

    /**
     * Requests cancellation of everything started in this scope and returns at once; the
     * coroutines finish asynchronously. Use this under a test dispatcher, then advance the
     * scheduler.
     */
    public void cancel() {
        job.cancel((java.util.concurrent.CancellationException) null);
    }

    /**
     * Cancels everything started in this scope and waits until it has finished. Blocks the
     * calling thread (inside a coroutine body it suspends instead). Idempotent.
     * Under a kotlinx test dispatcher nobody runs the cancelled coroutines while the caller
     * waits: call {@link #cancel()} and advance the scheduler instead.
     */
    @Override
    public void close() {
        job.cancel((java.util.concurrent.CancellationException) null);
        if (!job.isCompleted()) {
            Suspend.call(job::join);
        }
    }

    @Override
    public String toString() {
        return "FlowScope[" + (job.isActive() ? "active" : job.isCompleted() ? "closed" : "closing") + "]";
    }
}
