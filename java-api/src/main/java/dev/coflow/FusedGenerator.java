package dev.coflow;

import dev.coflow.FusedStages.Sink;
import dev.coflow.bridge.Coroutines;
import dev.coflow.bridge.Suspend;
import dev.coflow.bridge.internal.Interrupts;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import kotlin.Unit;
import kotlinx.coroutines.Job;
import kotlinx.coroutines.flow.Flow;

/**
 * A generator collected by a blocking terminal through synchronous stages, run fused
 * ({@link Fused}): the body runs on the calling thread as the inline body of the terminal's root
 * coroutine, exactly as on the kotlinx path (so {@code Suspend.*} in the body or in a stage's
 * lambda waits in that coroutine), but each {@code emit} pushes its element straight through the
 * stages' sinks into the terminal: no kotlinx collector frames and no suspend-call machinery per
 * element.
 *
 * <p>Semantics kept from the kotlinx path: {@code emit} returns once the terminal has taken the
 * element; a failure of a stage or of the terminal is thrown from {@code emit} into the body; an
 * early stop ({@code first}, {@code take}) is thrown from {@code emit} as a
 * {@link CancellationException}, so the body's {@code finally} runs, and an {@code emit} after it
 * fails; a cancelled collection ends at the next {@code emit}, and an interrupt of the caller is
 * seen every 1024 elements as cancellation.
 */
final class FusedGenerator {
    private static final int CHECK_MASK = 1023;
    private static final String OPERATOR = "AsyncFlow.generate";

    private FusedGenerator() {}

    /**
     * Runs {@code body} with its emits feeding {@code sink}, on the calling thread; {@code onStart}
     * (may be null) gets the Job of the body's coroutine when the body starts.
     */
    static void run(Generator<?> body, Sink sink, java.util.function.Consumer<Job> onStart) {
        Emitting<?> emitter = new Emitting<>(sink);
        try {
            Suspend.call(c -> Coroutines.runProducer(
                    () -> {
                        emitter.start();
                        if (onStart != null) {
                            onStart.accept(emitter.job);
                        }
                        try {
                            runBody(body, emitter);
                        } catch (Stopped stop) {
                            if (stop.emitter != emitter) {
                                throw stop;
                            }
                            // the terminal had what it needed: a normal end
                        } finally {
                            emitter.owner = null;
                        }
                        return Unit.INSTANCE;
                    },
                    c));
        } catch (Throwable t) {
            throw Collect.blockingFailure(t);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void runBody(Generator<?> body, Emitting<?> emitter) throws Exception {
        ((Generator) body).generate(emitter);
    }

    /** The early stop of one collection, thrown from {@code emit}; no stack trace (it is control flow). */
    private static final class Stopped extends CancellationException {
        private final transient Emitting<?> emitter;

        private Stopped(Emitting<?> emitter) {
            super("the downstream stopped collecting early (first, take, ...)");
            this.emitter = emitter;
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    /** The emitter of one fused collection. */
    private static final class Emitting<T> implements Emitter<T> {
        private final Sink sink;
        volatile Thread owner;
        private volatile Job ownerJob;
        private boolean stopped;
        private int count;

        Emitting(Sink sink) {
            this.sink = sink;
        }

        /** The root coroutine's Job, for the emitting thread's own checks. */
        private Job job;

        void start() {
            owner = Thread.currentThread();
            job = Suspend.context().get(Job.Key);
            ownerJob = job;
        }

        @Override
        public void emit(T value) {
            if (value == null) {
                throw BodyEmitter.nullEmit(OPERATOR);
            }
            if (owner != Thread.currentThread()) {
                BodyEmitter.checkOwner(OPERATOR, owner, ownerJob);
            }
            if (stopped) {
                throw new IllegalStateException(OPERATOR + ": emit(" + value + ") was called after the "
                        + "downstream stopped collecting (first, take, ...) and the body caught the "
                        + "CancellationException that the previous emit threw; let it end the body (a finally block "
                        + "still runs)");
            }
            Job j = job;
            if (j != null && !j.isActive()) {
                // as kotlinx's emit does: a cancelled collection (the caller's interrupt, seen by a
                // Suspend.* call of the body) ends at the next emit, even if nothing suspends
                throw j.getCancellationException();
            }
            if ((++count & CHECK_MASK) == 0 && Thread.currentThread().isInterrupted()) {
                throw Interrupts.cancellation("blocking collection", null);
            }
            boolean more;
            try {
                more = sink.accept(value);
            } catch (Exception e) {
                throw dev.coflow.bridge.internal.Exceptions.sneaky(e);
            }
            if (!more) {
                stopped = true;
                throw new Stopped(this);
            }
        }

        @Override
        public void emitAll(Flow<? extends T> flow) {
            Objects.requireNonNull(flow, "flow");
            if (owner != Thread.currentThread()) {
                BodyEmitter.checkOwner(OPERATOR, owner, ownerJob);
            }
            AsyncFlow.<T>from(flow).forEach(this::emit);
        }
    }
}
