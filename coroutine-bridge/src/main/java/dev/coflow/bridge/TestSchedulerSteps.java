package dev.coflow.bridge;

import dev.coflow.bridge.internal.KotlinxInternals;
import java.lang.invoke.MethodHandle;
import java.util.function.BooleanSupplier;
import kotlin.jvm.functions.Function0;

/**
 * Runs the tasks of a kotlinx {@code TestDispatcher}'s scheduler from inside one of its own tasks,
 * one at a time, so that a Java lambda waiting on the test thread lets the virtual clock move on
 * exactly as far as the lambda's wait needs (kotlinx {@code TestScope.advanceTimeBy} runs the same
 * way from inside a {@code runTest} body).
 *
 * <p>kotlinx-coroutines-test is optional at run time: everything is looked up reflectively, once,
 * in {@link KotlinxInternals.TestScheduler}.
 * The scheduler's step "run the next task unless a condition holds" is internal to kotlinx
 * (published under a mangled JVM name); if a future kotlinx version renames it, the public
 * {@code runCurrent()} + {@code advanceTimeBy(1)} pair is used instead, one virtual millisecond at
 * a time (correct, slower for long waits).
 */
final class TestSchedulerSteps {
    private static final Class<?> TEST_DISPATCHER = KotlinxInternals.TestScheduler.DISPATCHER;
    private static final MethodHandle GET_SCHEDULER = KotlinxInternals.TestScheduler.GET_SCHEDULER;
    private static final MethodHandle TRY_RUN_NEXT = KotlinxInternals.TestScheduler.TRY_RUN_NEXT;
    private static final MethodHandle RUN_CURRENT = KotlinxInternals.TestScheduler.RUN_CURRENT;
    private static final MethodHandle ADVANCE_BY = KotlinxInternals.TestScheduler.ADVANCE_BY;
    private static final MethodHandle IS_IDLE = KotlinxInternals.TestScheduler.IS_IDLE;

    private TestSchedulerSteps() {}

    /** Whether {@code interceptor} is a kotlinx test dispatcher that this class can drive. */
    static boolean isTestDispatcher(Object interceptor) {
        return GET_SCHEDULER != null && TEST_DISPATCHER.isInstance(interceptor);
    }

    /**
     * Runs the next task of the dispatcher's scheduler (advancing the virtual clock to its time)
     * unless {@code done} already holds. Returns {@code false} if it ran nothing because the
     * scheduler has no task at all: what the caller waits for comes from outside the clock.
     */
    static boolean runNext(Object testDispatcher, BooleanSupplier done) {
        try {
            Object scheduler = GET_SCHEDULER.invoke(testDispatcher);
            if (TRY_RUN_NEXT != null) {
                Function0<Boolean> condition = done::getAsBoolean;
                return (boolean) TRY_RUN_NEXT.invoke(scheduler, condition);
            }
            if (done.getAsBoolean()) {
                return false;
            }
            RUN_CURRENT.invoke(scheduler);
            if (done.getAsBoolean()) {
                return true;
            }
            if (IS_IDLE != null && (boolean) IS_IDLE.invoke(scheduler)) {
                return false;
            }
            ADVANCE_BY.invoke(scheduler, 1L);
            return true;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("coflow: could not drive the kotlinx test scheduler", t);
        }
    }
}
