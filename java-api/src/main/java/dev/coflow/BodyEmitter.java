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
            throw Checks.nullElement(operator, "emit(null) is not allowed", "skip the value or emit an Optional");
        }
        checkOwner();
        Suspend.call(c -> collector.emit(value, c));
    }

    @Override
    public void emitAll(Flow<? extends T> flow) {
        Objects.requireNonNull(flow, "flow");
        checkOwner();
        Flow<? extends T> checked = AsyncFlow.from(flow);
        Suspend.call(c -> FlowKt.emitAll(collector, checked, c));
    }

    private void checkOwner() {
        Thread o = owner;
        if (o != Thread.currentThread() && !(o != null && inOwnersCoroutine())) {
            throw new IllegalStateException(
                    o == null
                            ? operator + ": this Emitter's body has returned; emit only while the body runs"
                            : operator + ": emit was called from thread "
                                    + Thread.currentThread().getName()
                                    + ", not from the generator body's own thread; an Emitter is not thread-safe. "
                                    + "To forward another flow from a body use emitter.emitAll(flow) or "
                                    + "flow.forEach(emitter::emit) in the body (not from a thread it started); "
                                    + "for several producers use AsyncFlow.channelFlow");
        }
    }

    /**
     * Whether the caller is a coflow-called lambda running as a step of the body's own coroutine,
     * as in {@code flow.forEach(emitter::emit)} inside the body: the body waits for that
     * collection to finish, so the emits are still sequential, only on another thread.
     */
    private boolean inOwnersCoroutine() {
        Job j = ownerJob;
        return j != null && Suspend.inCoroutine() && Suspend.context().get(Job.Key) == j;
    }
}
