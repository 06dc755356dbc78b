package dev.coflow.bridge;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import kotlin.coroutines.AbstractCoroutineContextElement;
import kotlin.coroutines.CoroutineContext;
import kotlinx.coroutines.ThreadContextElement;

/**
 * Carries {@code ThreadLocal}-based context (SLF4J's MDC, OpenTelemetry's {@code Context}, a
 * {@code ThreadLocal} of your own) into every thread that runs code of a coroutine: kotlinx's
 * dispatcher threads (through kotlinx's {@link ThreadContextElement}) and the virtual threads
 * coflow runs Java bodies on (generator bodies, {@code mapAsync} workers, {@code channelFlow}
 * producers, buffer producers), which kotlinx does not know about. Each factory captures the
 * calling thread's value at once; add the element to a coroutine context ({@code flowOn},
 * {@code Coroutines.run(context, ...)}, Kotlin's {@code withContext}) and the value is installed
 * while that coroutine's code runs and restored afterwards. kotlinx counterpart:
 * {@code ThreadLocal.asContextElement()}, kotlinx-coroutines-slf4j's {@code MDCContext()}.
 *
 * {@snippet :
 * // SLF4J's MDC, without a dependency of coflow's on SLF4J
 * CoroutineContext.Element mdc = ThreadContexts.capture(MDC::getCopyOfContextMap, map -> {
 *     Map<String, String> previous = MDC.getCopyOfContextMap();
 *     if (map == null) MDC.clear(); else MDC.setContextMap(map);
 *     return () -> { if (previous == null) MDC.clear(); else MDC.setContextMap(previous); };
 * });
 * orders.map(this::enrich).flowOn(mdc).forEach(this::store);   // log lines in enrich carry the MDC
 *
 * // OpenTelemetry: Context.makeCurrent() returns the Scope that restores the previous context
 * CoroutineContext.Element otel = ThreadContexts.capture(Context::current, Context::makeCurrent);
 * }
 */
public final class ThreadContexts {
    private ThreadContexts() {}

    /**
     * Captures the current value of {@code local}; coroutine code then runs with that value in
     * {@code local}, whatever thread runs it. Two elements for the same {@code ThreadLocal} replace
     * each other in a context, as kotlinx's do.
     *
     * {@snippet :
     * TENANT.set("acme");
     * Coroutines.run(ThreadContexts.capture(TENANT), scope -> report.generate());  // TENANT is "acme" inside
     * }
     *
     * @param local the thread-local to carry
     * @param <T> its value type
     * @return a context element
     */
    public static <T> CoroutineContext.Element capture(ThreadLocal<T> local) {
        Objects.requireNonNull(local, "local");
        T value = local.get();
        return new Carrier<>(new LocalKey(local), value, v -> {
            T previous = local.get();
            local.set(v);
            return () -> local.set(previous);
        });
    }

    /**
     * Captures context with {@code capture} now; coroutine code then runs with it installed by
     * {@code install}, which returns what restores the thread's previous state (closed when the
     * code leaves the thread). Each call makes an element with a key of its own.
     *
     * {@snippet :
     * CoroutineContext.Element otel = ThreadContexts.capture(Context::current, Context::makeCurrent);
     * }
     *
     * @param capture reads the context on the calling thread, now; may return null
     * @param install installs a captured value on the current thread and returns its undo, not null
     * @param <S> the captured type
     * @return a context element
     */
    public static <S> CoroutineContext.Element capture(
            Supplier<? extends S> capture, Function<? super S, ? extends AutoCloseable> install) {
        Objects.requireNonNull(capture, "capture");
        Objects.requireNonNull(install, "install");
        return new Carrier<>(new Key(), capture.get(), install);
    }

    /** The key of one {@link #capture(Supplier, Function)} element. */
    private static class Key implements CoroutineContext.Key<Carrier<?>> {
        @Override
        public String toString() {
            return "ThreadContexts.Key@" + Integer.toHexString(System.identityHashCode(this));
        }
    }

    /** The key of a {@code ThreadLocal}'s element: equal for the same thread-local. */
    private static final class LocalKey extends Key {
        private final ThreadLocal<?> local;

        LocalKey(ThreadLocal<?> local) {
            this.local = local;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof LocalKey k && k.local == local;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(local);
        }
    }

    /** The element: installs the captured value when coroutine code enters a thread, undoes it after. */
    private static final class Carrier<S> extends AbstractCoroutineContextElement
            implements ThreadContextElement<AutoCloseable> {
        private final S value;
        private final Function<? super S, ? extends AutoCloseable> install;

        Carrier(Key key, S value, Function<? super S, ? extends AutoCloseable> install) {
            super(key);
            this.value = value;
            this.install = install;
        }

        @Override
        public AutoCloseable updateThreadContext(CoroutineContext context) {
            return Objects.requireNonNull(
                    install.apply(value), "ThreadContexts: install returned null; return the undo");
        }

        @Override
        public void restoreThreadContext(CoroutineContext context, AutoCloseable oldState) {
            try {
                oldState.close();
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("ThreadContexts: restoring the thread's context failed", e);
            }
        }

        @Override
        public String toString() {
            return "ThreadContexts[" + getKey() + "=" + value + "]";
        }
    }
}
