package dev.coflow;

import dev.coflow.bridge.Coroutines;
import dev.coflow.bridge.Suspend;
import dev.coflow.bridge.internal.Exceptions;
import dev.coflow.function.ThrowingConsumer;
import dev.coflow.function.ThrowingFunction;
import dev.coflow.function.ThrowingSupplier;
import java.util.Objects;
import kotlin.Unit;
import kotlin.coroutines.Continuation;
import kotlinx.coroutines.flow.AbstractFlow;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.FlowCollector;
import kotlinx.coroutines.flow.FlowKt;

/**
 * {@link AsyncFlow#using}: a resource acquired per collection, released exactly once however the
 * collection ends (Python's {@code async with} around {@code async for}; kotlinx has no operator,
 * Kotlin users write {@code flow { resource.use { emitAll(...) } }}).
 *
 * <p>Acquire and release run in one bridge body per collection, so they may block or call
 * {@code Suspend.*}. The inner flow is <em>not</em> re-emitted element by element from that body
 * (a thread handoff per element): the body hands the whole {@code emitAll} to the collecting
 * coroutine in one suspend-like call and waits, so elements flow at kotlinx speed. Release runs in
 * {@code Suspend.nonCancellable}, so it may still wait after a cancellation.
 */
final class Resources {
    private Resources() {}

    static <R, T> Flow<T> using(
            ThrowingSupplier<? extends R> acquire,
            ThrowingFunction<? super R, ? extends Flow<? extends T>> use,
            ThrowingConsumer<? super R> release) {
        return new Using<>(acquire, use, release);
    }

    private static final class Using<R, T> extends AbstractFlow<T> {
        private final ThrowingSupplier<? extends R> acquire;
        private final ThrowingFunction<? super R, ? extends Flow<? extends T>> use;
        private final ThrowingConsumer<? super R> release;

        Using(
                ThrowingSupplier<? extends R> acquire,
                ThrowingFunction<? super R, ? extends Flow<? extends T>> use,
                ThrowingConsumer<? super R> release) {
            this.acquire = acquire;
            this.use = use;
            this.release = release;
        }

        @Override
        public Object collectSafely(FlowCollector<? super T> collector, Continuation<? super Unit> continuation) {
            return Coroutines.runSuspending(
                    () -> {
                        R resource = Objects.requireNonNull(
                                acquire.get(),
                                "AsyncFlow.using: acquire returned null; return the resource to release later");
                        Throwable primary = null;
                        try {
                            Flow<? extends T> inner = Objects.requireNonNull(
                                    use.apply(resource),
                                    "AsyncFlow.using: the function returned null; return AsyncFlow.empty() for no elements");
                            AsyncFlow<T> checked = AsyncFlow.from(inner);
                            Suspend.call(c -> FlowKt.emitAll(collector, checked, c));
                        } catch (Throwable t) {
                            primary = t;
                            throw t;
                        } finally {
                            release(resource, primary);
                        }
                        return Unit.INSTANCE;
                    },
                    continuation);
        }

        /** Runs release once; its failure never hides {@code primary}, it is added as suppressed. */
        private void release(R resource, Throwable primary) {
            try {
                Suspend.nonCancellable(() -> release.accept(resource));
            } catch (Throwable e) {
                if (primary == null) {
                    throw Exceptions.sneaky(e);
                }
                if (primary != e) {
                    primary.addSuppressed(e);
                }
            }
        }
    }
}
