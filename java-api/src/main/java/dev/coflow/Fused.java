package dev.coflow;

import dev.coflow.FusedStages.Sink;
import dev.coflow.FusedStages.Stage;
import dev.coflow.bridge.Suspend;
import dev.coflow.function.ThrowingBiFunction;
import dev.coflow.function.ThrowingConsumer;
import dev.coflow.function.ThrowingPredicate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;

/**
 * A pipeline known to be a Java-written source ({@link SourceFlow}) or a generator
 * ({@link FusedGenerator}) followed only by synchronous stages ({@link FusedStages}): kept by {@link AsyncFlow} next to its kotlinx flow so that a
 * blocking terminal called from plain Java can run the whole pipeline as one loop on the calling
 * thread, pushing each element through a chain of sinks, instead of through kotlinx operators
 * and a coroutine. The kotlinx flow is still built as before and is what every other collector
 * (Kotlin code, async terminals, iterators, a body) sees.
 *
 * <p>A source's loop has no suspension point (a generator's body may wait: it runs in the
 * terminal's coroutine). It is used only outside a coroutine ({@link #forBlocking}); there it checks the interrupt flag every 1024 elements and treats an
 * interrupt as cancellation, as a blocked terminal does. Failures reach the caller exactly as
 * through {@link Collect#block}.
 *
 * @param <T> the element type at this point of the pipeline
 */
final class Fused<T> {
    private static final int CHECK_MASK = 1023;

    /** At the root: a Java source, or a generator body ({@link FusedGenerator}); both null elsewhere. */
    private final SourceFlow<?> source;

    private final Generator<?> generator;

    private final Fused<?> upstream;
    private final Stage stage;
    /** Above 0 for a {@code buffer(capacity)} node ({@link FusedBuffer}): no stage, the upstream runs on its own thread. */
    private final int bufferCapacity;

    private Fused(SourceFlow<?> source, Fused<?> upstream, Stage stage) {
        this(source, null, upstream, stage, 0);
    }

    private Fused(SourceFlow<?> source, Generator<?> generator, Fused<?> upstream, Stage stage, int bufferCapacity) {
        this.source = source;
        this.generator = generator;
        this.upstream = upstream;
        this.stage = stage;
        this.bufferCapacity = bufferCapacity;
    }

    /** The descriptor of a bare source flow, or {@code null} if {@code flow} is not one. */
    static <T> Fused<T> of(kotlinx.coroutines.flow.Flow<T> flow) {
        return flow instanceof SourceFlow<?> s ? new Fused<>(s, null, null) : null;
    }

    /** The descriptor of a bare {@code generate(body)}. */
    static <T> Fused<T> ofGenerator(Generator<T> body) {
        return new Fused<>(null, body, null, null, 0);
    }

    /**
     * {@code fused} followed by a suspending {@code buffer(capacity)} (capacity {@code >= 1}), or
     * {@code null} if {@code fused} is null or already has a buffer (consecutive buffers fuse into
     * one channel in kotlinx; that case keeps the kotlinx path).
     */
    static <T> Fused<T> buffered(Fused<T> fused, int capacity) {
        if (fused == null || capacity < 1 || !FusedBuffer.ENABLED) {
            return null;
        }
        for (Fused<?> n = fused; n != null; n = n.upstream) {
            if (n.bufferCapacity > 0) {
                return null;
            }
        }
        return new Fused<>(null, null, fused, null, capacity);
    }

    /** Whether the root of this pipeline is a generator (not a source loop). */
    boolean startsWithGenerator() {
        Fused<?> n = this;
        while (n.upstream != null) {
            n = n.upstream;
        }
        return n.generator != null;
    }

    /** This pipeline followed by {@code next}. */
    <R> Fused<R> then(Stage next) {
        return new Fused<>(null, this, next);
    }

    /** {@code fused} if a blocking terminal may run it as a plain loop here and now, else {@code null}. */
    static <T> Fused<T> forBlocking(Fused<T> fused) {
        return fused == null || Suspend.inCoroutine() ? null : fused;
    }

    // ---- terminals ---------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    List<T> toList() {
        List<T> list = new ArrayList<>();
        run(v -> {
            list.add((T) v);
            return true;
        });
        return list;
    }

    @SuppressWarnings("unchecked")
    void forEach(ThrowingConsumer<? super T> action) {
        run(v -> {
            action.accept((T) v);
            return true;
        });
    }

    long count() {
        long[] n = new long[1];
        run(v -> {
            n[0]++;
            return true;
        });
        return n[0];
    }

    @SuppressWarnings("unchecked")
    Optional<T> first() {
        Object[] found = new Object[1];
        run(v -> {
            found[0] = v;
            return false;
        });
        return Optional.ofNullable((T) found[0]);
    }

    @SuppressWarnings("unchecked")
    Set<T> toSet() {
        Set<T> set = new LinkedHashSet<>();
        run(v -> {
            set.add((T) v);
            return true;
        });
        return set;
    }

    /** As {@link Reduce#single}: the same step, so the same checks and messages. */
    T single() {
        Object[] found = new Object[1];
        forEach(Reduce.singleStep(found));
        return Reduce.singleResult(found);
    }

    /** As {@link Reduce#any}: stops (and closes the source as {@link #first} does) at the first match. */
    @SuppressWarnings("unchecked")
    boolean any(ThrowingPredicate<? super T> predicate) {
        boolean[] hit = new boolean[1];
        run(v -> {
            if (predicate.test((T) v)) {
                hit[0] = true;
                return false;
            }
            return true;
        });
        return hit[0];
    }

    /** As {@link Reduce#fold}: the same step, so the same checks and messages. */
    @SuppressWarnings("unchecked")
    <R> R fold(R initial, ThrowingBiFunction<? super R, ? super T, ? extends R> fn) {
        Object[] acc = {initial};
        forEach(Reduce.foldStep(acc, fn));
        return (R) acc[0];
    }

    /** As {@link Reduce#reduce}: the same step, so the same checks and messages. */
    @SuppressWarnings("unchecked")
    Optional<T> reduce(ThrowingBiFunction<? super T, ? super T, ? extends T> fn) {
        Object[] acc = new Object[1];
        forEach(Reduce.reduceStep(acc, fn));
        return Optional.ofNullable((T) acc[0]);
    }

    // ---- the loop ----------------------------------------------------------------------------

    /** Runs the pipeline into {@code terminal} on the calling thread. */
    private void run(Sink terminal) {
        runInto(terminal, null);
    }

    /**
     * Runs the pipeline into {@code sink} on the calling thread; {@code onStart}, if not null, gets
     * the Job of a generator's coroutine when its body starts (a buffer cancels it when it stops).
     */
    void runInto(Sink terminal, java.util.function.Consumer<kotlinx.coroutines.Job> onStart) {
        Sink sink = terminal;
        Fused<?> node = this;
        while (node.source == null && node.generator == null) {
            if (node.bufferCapacity > 0) {
                FusedBuffer.run(node.upstream, node.bufferCapacity, sink);
                return;
            }
            sink = node.stage.wrap(sink);
            node = node.upstream;
        }
        if (node.generator != null) {
            FusedGenerator.run(node.generator, sink, onStart);
            return;
        }
        SourceFlow<?> src = node.source;
        Iterator<?> it;
        try {
            it = src.open();
        } catch (Throwable t) {
            throw Collect.blockingFailure(t);
        }
        boolean stopped = false;
        try {
            Thread self = Thread.currentThread();
            long i = 0;
            while (it.hasNext()) {
                if ((i++ & CHECK_MASK) == 0 && self.isInterrupted()) {
                    throw dev.coflow.bridge.internal.Interrupts.cancellation("blocking collection", null);
                }
                Object v = it.next();
                if (v == null) {
                    throw SourceFlow.nullElement(src.operator());
                }
                if (!sink.accept(v)) {
                    stopped = true;
                    break;
                }
            }
        } catch (Throwable t) {
            SourceFlow.close(it, t);
            throw Collect.blockingFailure(t);
        }
        if (stopped) {
            // the kotlinx path stops a source by throwing an abort exception through it, which
            // carries (and then drops) a failure to close; keep that behaviour
            SourceFlow.close(it, new CancellationException());
        } else {
            try {
                SourceFlow.close(it, null);
            } catch (Throwable t) {
                throw Collect.blockingFailure(t);
            }
        }
    }
}
