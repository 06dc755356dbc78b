package dev.coflow;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import kotlinx.coroutines.channels.ChannelResult;
import kotlinx.coroutines.channels.SendChannel;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.internal.FusibleFlow;

/**
 * Every place {@code java-api} relies on a kotlinx internal or on a JVM name that the Kotlin
 * compiler mangled, in one file. Each symbol is resolved once, when this class is first used; if a
 * kotlinx upgrade moves one, the failure names the symbol and the kotlinx version coflow was built
 * against. {@code KotlinxInternalsTest} resolves them all.
 *
 * <p>The bridge's own look-ups (the test scheduler's mangled step in {@code TestSchedulerSteps}, the
 * {@code TestDispatcher} class in {@code Fiber}, {@code CoroutineId} in {@code FreeThreading}) and
 * the harness's ({@code BackgroundWork} in {@code VirtualTimeRunner}) are not here yet.
 */
final class KotlinxInternals {
    private KotlinxInternals() {}

    /** The kotlinx-coroutines release these names were taken from. */
    static final String KOTLINX_VERSION = "1.11";

    /** {@code SendChannel.trySend}: returns a value class, so Java sees it only under its mangled name. */
    static final String TRY_SEND_NAME = "trySend-JP2dKIU";
    /** {@code ChannelResult.isSuccess}: a property of a value class, compiled to a static {@code -impl} method. */
    static final String IS_SUCCESS_NAME = "isSuccess-impl";
    /**
     * The package of kotlinx's internal flow exceptions ({@code AbortFlowException}, with which
     * kotlinx ends a flow the downstream stopped early).
     */
    static final String FLOW_INTERNAL_PACKAGE = "kotlinx.coroutines.flow.internal.";
    /** An internal flow exception {@link #isFlowInternal} must recognise; checked by the test only. */
    static final String ABORT_FLOW_EXCEPTION = FLOW_INTERNAL_PACKAGE + "AbortFlowException";

    /**
     * The mangled channel methods, resolved when {@code Channels} is first used (a holder of its
     * own, so that a missing one fails {@code channelFlow}/{@code callbackFlow} only, as before).
     */
    static final class Channels {
        private Channels() {}

        /** {@code SendChannel.trySend(Object)}, as {@code (SendChannel, Object) -> Object}. */
        static final MethodHandle TRY_SEND;
        /** {@code ChannelResult.isSuccess-impl(Object)}, as {@code (Object) -> boolean}. */
        static final MethodHandle IS_SUCCESS;

        static {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            TRY_SEND = find(() -> lookup.findVirtual(SendChannel.class, TRY_SEND_NAME,
                    MethodType.methodType(Object.class, Object.class)), "SendChannel." + TRY_SEND_NAME);
            IS_SUCCESS = find(() -> lookup.findStatic(ChannelResult.class, IS_SUCCESS_NAME,
                    MethodType.methodType(boolean.class, Object.class)), "ChannelResult." + IS_SUCCESS_NAME);
        }
    }

    /**
     * Whether kotlinx would fuse a {@code buffer} over {@code upstream} into the upstream's own
     * channel (a {@code flowOn} or another buffer): kotlinx's internal {@code FusibleFlow}.
     */
    static boolean isFusible(Flow<?> upstream) {
        return upstream instanceof FusibleFlow;
    }

    /** Whether {@code t} is one of kotlinx's internal flow exceptions (such as {@code AbortFlowException}). */
    static boolean isFlowInternal(Throwable t) {
        return t.getClass().getName().startsWith(FLOW_INTERNAL_PACKAGE);
    }

    /**
     * Resolves every symbol this class relies on and returns their names; throws an
     * {@link IllegalStateException} naming the first one that is missing. Used by the test.
     */
    static List<String> resolveAll() {
        if (Channels.TRY_SEND == null || Channels.IS_SUCCESS == null) {
            throw new IllegalStateException("kotlinx internals not initialised");
        }
        Class<?> fusible = load("kotlinx.coroutines.flow.internal.FusibleFlow");
        Class<?> abort = load(ABORT_FLOW_EXCEPTION);
        if (!Throwable.class.isAssignableFrom(abort) || !abort.getName().startsWith(FLOW_INTERNAL_PACKAGE)) {
            throw missing(ABORT_FLOW_EXCEPTION + " as a Throwable in " + FLOW_INTERNAL_PACKAGE, null);
        }
        return List.of("SendChannel." + TRY_SEND_NAME, "ChannelResult." + IS_SUCCESS_NAME,
                fusible.getName(), abort.getName());
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, KotlinxInternals.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw missing(name, e);
        }
    }

    @FunctionalInterface
    private interface Lookup {
        MethodHandle find() throws ReflectiveOperationException;
    }

    private static MethodHandle find(Lookup lookup, String symbol) {
        try {
            return lookup.find();
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(missing(symbol, e).getMessage());
        }
    }

    private static IllegalStateException missing(String symbol, Throwable cause) {
        return new IllegalStateException("coflow needs the kotlinx-coroutines " + KOTLINX_VERSION
                + " internal symbol " + symbol + ", which this kotlinx-coroutines does not have"
                + (cause == null ? "" : ": " + cause), cause);
    }
}
