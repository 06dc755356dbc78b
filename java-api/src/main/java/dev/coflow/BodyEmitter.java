package dev.coflow;

import dev.coflow.bridge.Suspend;
import java.util.Objects;
import kotlinx.coroutines.Job;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.FlowCollector;
import kotlinx.coroutines.flow.FlowKt;

/**
 * The emitter handed to one run of a Java body that emits ({@code generate}, {@code transform},
 * {@code onStart}, {@code catchError}, ...): each {@code emit} is performed by the collecting
 * coroutine through the bridge. Valid only on the body's own thread, only while the body runs.
 */
final class BodyEmitter<T> implements Emitter<T> {
    private final String operator;
    private final FlowCollector<? super T> collector;
    volatile Thread owner;
    /** The Job of the coroutine the body runs in. */
    volatile Job ownerJob;

    BodyEmitter(String operator, FlowCollector<? super T> collector) {
        this.operator = operator;
        this.collector = collector;
    }

    @Override
    public void emit(T value) {
        if (value == null) {
            throw nullEmit(operator);
        }
        checkOwner(operator, owner, ownerJob);
        Suspend.call(c -> collector.emit(value, c));
    }

    @Override
    public void emitAll(Flow<? extends T> flow) {
        Objects.requireNonNull(flow, "flow");
        checkOwner(operator, owner, ownerJob);
        Flow<? extends T> checked = AsyncFlow.from(flow);
        Suspend.call(c -> FlowKt.emitAll(collector, checked, c));
    }

    /** What {@code emit(null)} throws, for every emitter of a Java body. */
    static NullPointerException nullEmit(String operator) {
        return Checks.nullElement(operator, "emit(null) is not allowed", "skip the value or emit an Optional");
    }

    /**
     * The one owner rule of every emitter of a Java body: it may be called on the body's own thread
     * ({@code owner}), or by a coflow-called lambda running as a step of the body's own coroutine
     * ({@code ownerJob}), as in {@code flow.forEach(emitter::emit)} inside the body (the body waits
     * for that collection to finish, so the emits are still sequential, only on another thread);
     * {@code owner} is null once the body has returned.
     */
    static void checkOwner(String operator, Thread owner, Job ownerJob) {
        if (owner == Thread.currentThread()
                || owner != null
                        && ownerJob != null
                        && Suspend.inCoroutine()
                        && Suspend.context().get(Job.Key) == ownerJob) {
            return;
        }
        throw new IllegalStateException(
                owner == null
                        ? operator + ": this Emitter's body has returned; emit only while the body runs"
                        : operator + ": emit was called from thread "
                                + Thread.currentThread().getName()
                                + ", not from the generator body's own thread; an Emitter is not thread-safe. "
                                + "To forward another flow from a body use emitter.emitAll(flow) or "
                                + "flow.forEach(emitter::emit) in the body (not from a thread it started); "
                                + "for several producers use AsyncFlow.channelFlow");
    }
}
