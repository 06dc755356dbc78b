package dev.coflow.bridge.internal;

import java.lang.invoke.MethodHandle;
import kotlin.coroutines.ContinuationInterceptor;
import kotlin.coroutines.CoroutineContext;

/**
 * The clock a coroutine's {@code delay} runs on, read in milliseconds: the virtual clock of a
 * kotlinx-coroutines-test dispatcher ({@code TestCoroutineScheduler.currentTime}), otherwise the
 * monotonic {@code System.nanoTime()}. Time operators compute deadlines with it, so that they are
 * exact in virtual time and do not drift in real time.
 *
 * <p>kotlinx-coroutines-test is optional at run time; its public API is looked up once, in
 * {@link KotlinxInternals}. Not part of coflow's API.
 */
public final class CoroutineClock {
    private static final Class<?> TEST_DISPATCHER = KotlinxInternals.TestScheduler.DISPATCHER;
    private static final MethodHandle GET_SCHEDULER = KotlinxInternals.TestScheduler.GET_SCHEDULER;
    private static final MethodHandle CURRENT_TIME = KotlinxInternals.TestScheduler.CURRENT_TIME;

    private CoroutineClock() {}

    /**
     * The current time of the clock that {@code delay} uses in {@code context}, in milliseconds
     * from an arbitrary origin: only differences are meaningful.
     *
     * @param context the coroutine's context
     * @return milliseconds on the coroutine's clock
     */
    public static long millis(CoroutineContext context) {
        if (CURRENT_TIME != null) {
            Object interceptor = context.get(ContinuationInterceptor.Key);
            if (TEST_DISPATCHER.isInstance(interceptor)) {
                try {
                    return (long) CURRENT_TIME.invoke(GET_SCHEDULER.invoke(interceptor));
                } catch (Throwable t) {
                    throw new IllegalStateException("reading the virtual clock of " + interceptor + " failed", t);
                }
            }
        }
        return System.nanoTime() / 1_000_000;
    }

    /**
     * Whether {@code context} runs on a virtual clock (a kotlinx-coroutines-test dispatcher).
     *
     * @param context the coroutine's context
     * @return true under a test dispatcher
     */
    public static boolean isVirtual(CoroutineContext context) {
        return CURRENT_TIME != null && TEST_DISPATCHER.isInstance(context.get(ContinuationInterceptor.Key));
    }
}
