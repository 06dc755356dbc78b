package dev.coflow.test;

import dev.coflow.bridge.SuspendBody;
import dev.coflow.bridge.SuspendRunnable;
import dev.coflow.bridge.Task;
import dev.coflow.bridge.TaskScope;
import java.time.Duration;
import kotlin.coroutines.CoroutineContext;
import kotlinx.coroutines.CoroutineScope;
import kotlinx.coroutines.Job;
import kotlinx.coroutines.test.TestCoroutineScheduler;

/**
 * The {@link VirtualTimeScope} JUnit injects: parameters are resolved before the method is
 * intercepted, so the real scope is bound once {@link CoflowExtension} has started the run.
 */
final class DeferredVirtualTimeScope implements VirtualTimeScope {
    private volatile VirtualTimeScope delegate;

    void bind(VirtualTimeScope scope) {
        this.delegate = scope;
    }

    private VirtualTimeScope d() {
        VirtualTimeScope s = delegate;
        if (s == null) {
            throw new IllegalStateException("this VirtualTimeScope is only usable inside the test method that "
                    + "received it (CoflowExtension runs that method on the virtual clock)");
        }
        return s;
    }

    @Override
    public long currentTime() {
        return d().currentTime();
    }

    @Override
    public void advanceTimeBy(long millis) {
        d().advanceTimeBy(millis);
    }

    @Override
    public void advanceTimeBy(Duration duration) {
        d().advanceTimeBy(duration);
    }

    @Override
    public void advanceUntilIdle() {
        d().advanceUntilIdle();
    }

    @Override
    public void runCurrent() {
        d().runCurrent();
    }

    @Override
    public Task<Void> launch(SuspendRunnable body) {
        return d().launch(body);
    }

    @Override
    public <T> Task<T> async(SuspendBody<T> body) {
        return d().async(body);
    }

    @Override
    public Job launchBackground(SuspendRunnable body) {
        return d().launchBackground(body);
    }

    @Override
    public CoroutineScope backgroundScope() {
        return d().backgroundScope();
    }

    @Override
    public TaskScope taskScope() {
        return d().taskScope();
    }

    @Override
    public CoroutineContext context() {
        return d().context();
    }

    @Override
    public TestCoroutineScheduler scheduler() {
        return d().scheduler();
    }

    @Override
    public String toString() {
        VirtualTimeScope s = delegate;
        return s == null ? "VirtualTimeScope[not started]" : s.toString();
    }
}
