package dev.coflow.bridge.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import kotlin.coroutines.CoroutineContext;
import kotlin.jvm.functions.Function0;
import kotlinx.coroutines.ThreadContextElement;
import kotlinx.coroutines.channels.ChannelResult;
import kotlinx.coroutines.channels.SendChannel;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.internal.FusibleFlow;

/**
 * Every place coflow relies on a kotlinx internal, on a JVM name the Kotlin compiler mangled, or
 * on a kotlinx class recognised by its name, in one file for all of coflow's modules (the bridge,
 * coflow-api and the coflow-test harness). Each symbol is resolved once, into a static final, when
 * its holder is first used; {@link #resolveAll(ClassLoader)} resolves them all and names the first
 * one a kotlinx upgrade moved ({@code KotlinxInternalsTest}).
 *
 * <p>What happens at run time when a symbol is missing is the user's choice, unchanged: the
 * test-scheduler steps and the class-name checks fall back to a slower or more conservative path;
 * the channel handles ({@link Channels}) fail {@code channelFlow}/{@code callbackFlow} with an
 * error naming the symbol. kotlinx-coroutines-test is optional: it is only looked up reflectively.
 *
 * <p>Not part of coflow's API: this package is exported only to coflow's own modules.
 */
public final class KotlinxInternals {
    /** The kotlinx-coroutines release these names were taken from. */
    public static final String KOTLINX_VERSION = "1.11";

    /**
     * The class of the debug-mode coroutine id element ({@code -Dkotlinx.coroutines.debug}), a
     * {@code ThreadContextElement} that only renames threads; {@code FreeThreading} allows it.
     */
    public static final String COROUTINE_ID = "kotlinx.coroutines.CoroutineId";
    /** kotlinx-coroutines-test's dispatcher base class (optional at run time). */
    public static final String TEST_DISPATCHER = "kotlinx.coroutines.test.TestDispatcher";
    /** kotlinx-coroutines-test's scheduler (optional at run time). */
    public static final String TEST_COROUTINE_SCHEDULER = "kotlinx.coroutines.test.TestCoroutineScheduler";
    /**
     * The scheduler's internal step "run the next task unless the condition holds",
     * {@code (Function0<Boolean>) -> boolean}, under its mangled JVM name.
     */
    public static final String TRY_RUN_NEXT_TASK_UNLESS = "tryRunNextTaskUnless$kotlinx_coroutines_test";
    /** The scheduler's internal {@code isIdle(): Boolean}, under its mangled JVM name. */
    public static final String IS_IDLE = "isIdle$kotlinx_coroutines_test";
    /**
     * kotlinx-coroutines-test's internal context element that marks a {@code TestScope}'s
     * background scope (its work does not keep the test's virtual clock from idling).
     */
    public static final String BACKGROUND_WORK = "kotlinx.coroutines.test.BackgroundWork";
    /** {@code SendChannel.trySend}: returns a value class, so Java sees it only under its mangled name. */
    public static final String TRY_SEND_NAME = "trySend-JP2dKIU";
    /** {@code ChannelResult.isSuccess}: a property of a value class, compiled to a static {@code -impl} method. */
    public static final String IS_SUCCESS_NAME = "isSuccess-impl";
    /** kotlinx's internal interface of flows that fuse a following {@code buffer}/{@code flowOn}. */
    public static final String FUSIBLE_FLOW = "kotlinx.coroutines.flow.internal.FusibleFlow";
    /**
     * The package of kotlinx's internal flow exceptions ({@code AbortFlowException}, with which
     * kotlinx ends a flow the downstream stopped early).
     */
    public static final String FLOW_INTERNAL_PACKAGE = "kotlinx.coroutines.flow.internal.";
    /** An internal flow exception {@link #isFlowInternal} must recognise. */
    public static final String ABORT_FLOW_EXCEPTION = FLOW_INTERNAL_PACKAGE + "AbortFlowException";
    /** The coroutine of a {@code runBlocking} call. */
    public static final String BLOCKING_COROUTINE = "kotlinx.coroutines.BlockingCoroutine";
    /** The event loop base class, whose public {@code processNextEvent()} nested runBlocking calls use. */
    public static final String EVENT_LOOP = "kotlinx.coroutines.EventLoop";
    /** The holder of each thread's event loop. */
    public static final String THREAD_LOCAL_EVENT_LOOP = "kotlinx.coroutines.ThreadLocalEventLoop";
    /** {@code ThreadLocalEventLoop.currentOrNull()}, internal, so published under a mangled name. */
    public static final String CURRENT_OR_NULL = "currentOrNull$kotlinx_coroutines_core";
    /** The dispatcher behind {@code limitedParallelism(n)}: a view over another dispatcher. */
    public static final String LIMITED_DISPATCHER = "kotlinx.coroutines.internal.LimitedDispatcher";
    /** The compiler's static accessor for a {@code LimitedDispatcher}'s underlying dispatcher. */
    public static final String LIMITED_UNDERLYING = "access$getDispatcher$p";
    /** The scheduler under {@code Dispatchers.IO.limitedParallelism(n)} (IO's threads, unlimited). */
    public static final String UNLIMITED_IO = "kotlinx.coroutines.scheduling.UnlimitedIoScheduler";

    private KotlinxInternals() {}

    /**
     * Loads a class without initializing it, with the bridge's class loader.
     *
     * @param name the binary class name
     * @return the class, or {@code null} when it is absent or cannot be linked
     */
    public static Class<?> load(String name) {
        return load(name, KotlinxInternals.class.getClassLoader());
    }

    private static Class<?> load(String name, ClassLoader loader) {
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    /**
     * Whether a context element is kotlinx's debug-mode {@code CoroutineId}.
     *
     * @param element a coroutine context element
     * @return whether it is the coroutine id element
     */
    public static boolean isCoroutineId(Object element) {
        return element.getClass().getName().equals(COROUTINE_ID);
    }

    /**
     * Whether a context element is kotlinx-coroutines-test's {@code BackgroundWork} marker.
     *
     * @param element a coroutine context element
     * @return whether it is the background-work marker
     */
    public static boolean isBackgroundWork(Object element) {
        return element.getClass().getName().equals(BACKGROUND_WORK);
    }

    /**
     * Whether kotlinx would fuse a {@code buffer} over {@code upstream} into the upstream's own
     * channel (a {@code flowOn} or another buffer): kotlinx's internal {@code FusibleFlow}.
     *
     * @param upstream the flow a buffer is applied to
     * @return whether it is a {@code FusibleFlow}
     */
    public static boolean isFusible(Flow<?> upstream) {
        return upstream instanceof FusibleFlow;
    }

    /**
     * Whether {@code t} is one of kotlinx's internal flow exceptions (such as {@code AbortFlowException}).
     *
     * @param t a failure
     * @return whether its class is in kotlinx's internal flow package
     */
    public static boolean isFlowInternal(Throwable t) {
        return t.getClass().getName().startsWith(FLOW_INTERNAL_PACKAGE);
    }

    /**
     * Whether {@code dispatcher} is a {@code limitedParallelism} view over kotlinx's shared pools
     * only ({@code Dispatchers.Default}, {@code Dispatchers.IO}, or such a view of them): its
     * coroutines run one (or n) at a time, but on whichever pool thread is free, so no thread
     * identity is promised. False for a view over a single-thread executor, an event loop or a
     * test dispatcher, and false if this kotlinx does not have the accessor.
     *
     * @param dispatcher a coroutine context's interceptor
     * @return whether it is a limited view of the shared pools
     */
    public static boolean isLimitedViewOfSharedPools(Object dispatcher) {
        MethodHandle underlying = Limited.UNDERLYING;
        if (underlying == null) {
            return false;
        }
        Object d = dispatcher;
        for (int depth = 0; depth < 8; depth++) {
            if (d == null || !d.getClass().getName().equals(LIMITED_DISPATCHER)) {
                return false;
            }
            try {
                d = underlying.invoke(d);
            } catch (Throwable e) {
                return false;
            }
            if (d == kotlinx.coroutines.Dispatchers.getDefault()
                    || d == kotlinx.coroutines.Dispatchers.getIO()
                    || d.getClass().getName().equals(UNLIMITED_IO)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code job} is the coroutine of a {@code runBlocking} call itself (not a child of it).
     *
     * @param job a coroutine's Job
     * @return whether it is a {@code BlockingCoroutine}
     */
    public static boolean isBlockingCoroutine(Object job) {
        return job.getClass().getName().equals(BLOCKING_COROUTINE);
    }

    /**
     * Whether {@code interceptor} is the event loop of the calling thread (a {@code runBlocking}
     * running on this thread), which this thread may then drain with {@link #processNextEvent}.
     * False if this kotlinx does not have the look-up.
     *
     * @param interceptor a coroutine context's interceptor
     * @return whether it is this thread's kotlinx event loop
     */
    public static boolean isCurrentEventLoop(Object interceptor) {
        MethodHandle current = EventLoops.CURRENT_OR_NULL;
        if (current == null || !EventLoops.EVENT_LOOP.isInstance(interceptor)) {
            return false;
        }
        try {
            return current.invoke() == interceptor;
        } catch (Throwable e) {
            return false;
        }
    }

    /**
     * Runs the next event of a kotlinx event loop on its own thread, as a nested {@code runBlocking}
     * does: returns 0 if it ran one (more may be waiting), else the nanoseconds until its next
     * delayed task ({@code Long.MAX_VALUE} if none).
     *
     * @param eventLoop a kotlinx event loop for which {@link #isCurrentEventLoop} holds
     * @return 0, or how long the thread may park
     */
    public static long processNextEvent(Object eventLoop) {
        try {
            return (long) EventLoops.PROCESS_NEXT_EVENT.invoke(eventLoop);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("coflow: could not run kotlinx's event loop", t);
        }
    }

    /** The event-loop look-ups, {@code null} if this kotlinx does not have them (no inline bodies then). */
    private static final class EventLoops {
        private EventLoops() {}

        static final Class<?> EVENT_LOOP;
        static final MethodHandle CURRENT_OR_NULL;
        static final MethodHandle PROCESS_NEXT_EVENT;

        static {
            ClassLoader loader = EventLoops.class.getClassLoader();
            Class<?> loop = load(KotlinxInternals.EVENT_LOOP, loader);
            MethodHandle current = null, next = null;
            try {
                current = currentEventLoop(load(THREAD_LOCAL_EVENT_LOOP, loader), loop);
                next = processNextEvent(loop);
            } catch (ReflectiveOperationException | RuntimeException e) {
                current = null;
            }
            EVENT_LOOP = loop == null ? Void.class : loop;
            CURRENT_OR_NULL = next == null ? null : current;
            PROCESS_NEXT_EVENT = next;
        }
    }

    /** The {@code LimitedDispatcher} accessor, {@code null} if this kotlinx does not have it. */
    private static final class Limited {
        private Limited() {}

        static final MethodHandle UNDERLYING;

        static {
            MethodHandle h;
            try {
                h = limitedUnderlying(load(LIMITED_DISPATCHER, Limited.class.getClassLoader()));
            } catch (ReflectiveOperationException | RuntimeException e) {
                h = null;
            }
            UNDERLYING = h;
        }
    }

    /**
     * The mangled channel methods, resolved when this holder is first used (a holder of its own,
     * so that a missing one fails {@code channelFlow}/{@code callbackFlow} only).
     */
    public static final class Channels {
        private Channels() {}

        /** {@code SendChannel.trySend(Object)}, as {@code (SendChannel, Object) -> Object}. */
        public static final MethodHandle TRY_SEND;
        /** {@code ChannelResult.isSuccess-impl(Object)}, as {@code (Object) -> boolean}. */
        public static final MethodHandle IS_SUCCESS;

        static {
            TRY_SEND = orFail(() -> trySend(SendChannel.class), "SendChannel." + TRY_SEND_NAME);
            IS_SUCCESS = orFail(() -> isSuccess(ChannelResult.class), "ChannelResult." + IS_SUCCESS_NAME);
        }

        private static MethodHandle orFail(Find find, String symbol) {
            try {
                return find.find();
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(missing(symbol, e).getMessage());
            }
        }
    }

    /**
     * kotlinx-coroutines-test's dispatcher and scheduler steps, resolved when this holder is first
     * used. Every field is {@code null} when kotlinx-coroutines-test is absent; the two internal
     * steps ({@link #TRY_RUN_NEXT}, {@link #IS_IDLE}) are {@code null} also when only they moved,
     * and the public pair {@link #RUN_CURRENT} + {@link #ADVANCE_BY} is used instead.
     */
    public static final class TestScheduler {
        private TestScheduler() {}

        /** {@code TestDispatcher}, or {@code null}. */
        public static final Class<?> DISPATCHER;
        /** {@code TestDispatcher.getScheduler()}, or {@code null} if the dispatcher cannot be driven. */
        public static final MethodHandle GET_SCHEDULER;
        /** {@code TestCoroutineScheduler.runCurrent()}. */
        public static final MethodHandle RUN_CURRENT;
        /** {@code TestCoroutineScheduler.advanceTimeBy(long)}. */
        public static final MethodHandle ADVANCE_BY;
        /** {@code TestCoroutineScheduler.getCurrentTime()}: the virtual clock, for time operators. */
        public static final MethodHandle CURRENT_TIME;
        /** The scheduler's internal {@code tryRunNextTaskUnless(Function0<Boolean>): boolean}. */
        public static final MethodHandle TRY_RUN_NEXT;
        /** The scheduler's internal {@code isIdle(): boolean}. */
        public static final MethodHandle IS_IDLE;

        static {
            Class<?> dispatcher = load(TEST_DISPATCHER);
            MethodHandle getScheduler = null, tryRunNext = null, runCurrent = null, advanceBy = null, isIdle = null;
            MethodHandle currentTime = null;
            if (dispatcher != null) {
                Class<?> scheduler = load(TEST_COROUTINE_SCHEDULER);
                try {
                    getScheduler = getScheduler(dispatcher, scheduler);
                    runCurrent = runCurrent(scheduler);
                    advanceBy = advanceTimeBy(scheduler);
                    currentTime = currentTime(scheduler);
                } catch (ReflectiveOperationException e) {
                    getScheduler = null;
                    currentTime = null;
                }
                try {
                    tryRunNext = tryRunNextTaskUnless(scheduler);
                    isIdle = isIdle(scheduler);
                } catch (ReflectiveOperationException e) {
                    tryRunNext = null;
                    isIdle = null;
                }
            }
            DISPATCHER = dispatcher;
            GET_SCHEDULER = getScheduler;
            RUN_CURRENT = runCurrent;
            ADVANCE_BY = advanceBy;
            CURRENT_TIME = currentTime;
            TRY_RUN_NEXT = tryRunNext;
            IS_IDLE = isIdle;
        }
    }

    // region the look-ups, shared by the holders and resolveAll

    private static final MethodHandles.Lookup PUBLIC = MethodHandles.publicLookup();

    private static MethodHandle trySend(Class<?> sendChannel) throws ReflectiveOperationException {
        return PUBLIC.findVirtual(sendChannel, TRY_SEND_NAME, MethodType.methodType(Object.class, Object.class));
    }

    private static MethodHandle isSuccess(Class<?> channelResult) throws ReflectiveOperationException {
        return PUBLIC.findStatic(channelResult, IS_SUCCESS_NAME, MethodType.methodType(boolean.class, Object.class));
    }

    private static MethodHandle getScheduler(Class<?> dispatcher, Class<?> scheduler)
            throws ReflectiveOperationException {
        return PUBLIC.findVirtual(dispatcher, "getScheduler", MethodType.methodType(scheduler));
    }

    private static MethodHandle runCurrent(Class<?> scheduler) throws ReflectiveOperationException {
        return PUBLIC.findVirtual(scheduler, "runCurrent", MethodType.methodType(void.class));
    }

    private static MethodHandle advanceTimeBy(Class<?> scheduler) throws ReflectiveOperationException {
        return PUBLIC.findVirtual(scheduler, "advanceTimeBy", MethodType.methodType(void.class, long.class));
    }

    private static MethodHandle currentTime(Class<?> scheduler) throws ReflectiveOperationException {
        return PUBLIC.findVirtual(scheduler, "getCurrentTime", MethodType.methodType(long.class));
    }

    private static MethodHandle tryRunNextTaskUnless(Class<?> scheduler) throws ReflectiveOperationException {
        return PUBLIC.findVirtual(
                scheduler, TRY_RUN_NEXT_TASK_UNLESS, MethodType.methodType(boolean.class, Function0.class));
    }

    private static MethodHandle currentEventLoop(Class<?> holder, Class<?> eventLoop)
            throws ReflectiveOperationException {
        if (holder == null || eventLoop == null) {
            throw new ClassNotFoundException(THREAD_LOCAL_EVENT_LOOP);
        }
        Object instance = holder.getField("INSTANCE").get(null);
        return PUBLIC.findVirtual(holder, CURRENT_OR_NULL, MethodType.methodType(eventLoop))
                .bindTo(instance);
    }

    private static MethodHandle processNextEvent(Class<?> eventLoop) throws ReflectiveOperationException {
        if (eventLoop == null) {
            throw new ClassNotFoundException(EVENT_LOOP);
        }
        return PUBLIC.findVirtual(eventLoop, "processNextEvent", MethodType.methodType(long.class));
    }

    private static MethodHandle limitedUnderlying(Class<?> limited) throws ReflectiveOperationException {
        if (limited == null) {
            throw new ClassNotFoundException(LIMITED_DISPATCHER);
        }
        return PUBLIC.findStatic(
                limited,
                LIMITED_UNDERLYING,
                MethodType.methodType(kotlinx.coroutines.CoroutineDispatcher.class, limited));
    }

    private static MethodHandle isIdle(Class<?> scheduler) throws ReflectiveOperationException {
        return PUBLIC.findVirtual(scheduler, IS_IDLE, MethodType.methodType(boolean.class));
    }

    // endregion

    /**
     * Resolves every symbol this class relies on, through {@code loader}, and returns their names
     * in a fixed order; kotlinx-coroutines-test must be visible to {@code loader}. Used by the test
     * (with the bridge's own loader, and with one that hides a class, to prove the message).
     *
     * @param loader the class loader to resolve kotlinx's classes with
     * @return the resolved symbols, as {@code Owner.member} or a class name
     * @throws IllegalStateException naming the first symbol that is missing or changed shape
     */
    public static List<String> resolveAll(ClassLoader loader) {
        List<String> resolved = new ArrayList<>();
        Class<?> coroutineId = require(COROUTINE_ID, loader, resolved);
        if (!ThreadContextElement.class.isAssignableFrom(coroutineId)) {
            throw missing(COROUTINE_ID + " as a ThreadContextElement", null);
        }
        Class<?> dispatcher = require(TEST_DISPATCHER, loader, resolved);
        Class<?> scheduler = require(TEST_COROUTINE_SCHEDULER, loader, resolved);
        member(() -> getScheduler(dispatcher, scheduler), "TestDispatcher.getScheduler", resolved);
        member(() -> currentTime(scheduler), "TestCoroutineScheduler.getCurrentTime", resolved);
        member(() -> runCurrent(scheduler), "TestCoroutineScheduler.runCurrent", resolved);
        member(() -> advanceTimeBy(scheduler), "TestCoroutineScheduler.advanceTimeBy", resolved);
        member(() -> tryRunNextTaskUnless(scheduler), "TestCoroutineScheduler." + TRY_RUN_NEXT_TASK_UNLESS, resolved);
        member(() -> isIdle(scheduler), "TestCoroutineScheduler." + IS_IDLE, resolved);
        Class<?> backgroundWork = require(BACKGROUND_WORK, loader, resolved);
        if (!CoroutineContext.Element.class.isAssignableFrom(backgroundWork)) {
            throw missing(BACKGROUND_WORK + " as a CoroutineContext.Element", null);
        }
        Class<?> sendChannel = require("kotlinx.coroutines.channels.SendChannel", loader, null);
        Class<?> channelResult = require("kotlinx.coroutines.channels.ChannelResult", loader, null);
        member(() -> trySend(sendChannel), "SendChannel." + TRY_SEND_NAME, resolved);
        member(() -> isSuccess(channelResult), "ChannelResult." + IS_SUCCESS_NAME, resolved);
        require(FUSIBLE_FLOW, loader, resolved);
        Class<?> abort = require(ABORT_FLOW_EXCEPTION, loader, resolved);
        if (!Throwable.class.isAssignableFrom(abort)) {
            throw missing(ABORT_FLOW_EXCEPTION + " as a Throwable in " + FLOW_INTERNAL_PACKAGE, null);
        }
        require(BLOCKING_COROUTINE, loader, resolved);
        Class<?> eventLoop = require(EVENT_LOOP, loader, resolved);
        Class<?> threadLocalLoop = require(THREAD_LOCAL_EVENT_LOOP, loader, resolved);
        member(() -> currentEventLoop(threadLocalLoop, eventLoop), "ThreadLocalEventLoop." + CURRENT_OR_NULL, resolved);
        member(() -> processNextEvent(eventLoop), "EventLoop.processNextEvent", resolved);
        Class<?> limited = require(LIMITED_DISPATCHER, loader, resolved);
        member(() -> limitedUnderlying(limited), "LimitedDispatcher." + LIMITED_UNDERLYING, resolved);
        require(UNLIMITED_IO, loader, resolved);
        return List.copyOf(resolved);
    }

    private static Class<?> require(String name, ClassLoader loader, List<String> resolved) {
        Class<?> c = load(name, loader);
        if (c == null) {
            throw missing(name, null);
        }
        if (resolved != null) {
            resolved.add(name);
        }
        return c;
    }

    @FunctionalInterface
    private interface Find {
        MethodHandle find() throws ReflectiveOperationException;
    }

    private static void member(Find find, String symbol, List<String> resolved) {
        try {
            find.find();
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw missing(symbol, e);
        }
        resolved.add(symbol);
    }

    private static IllegalStateException missing(String symbol, Throwable cause) {
        return new IllegalStateException(
                "coflow needs the kotlinx-coroutines " + KOTLINX_VERSION
                        + " internal symbol " + symbol + ", which this kotlinx-coroutines does not have"
                        + (cause == null ? "" : ": " + cause),
                cause);
    }
}
