package dev.coflow.bridge.internal;

/**
 * The names of kotlinx internals the bridge depends on, in one place, so that a kotlinx upgrade
 * that renames one fails {@code KotlinxInternalsTest} naming the symbol instead of silently
 * switching a fast path off. Each user keeps working without the symbol (a slower or more
 * conservative path), so none of these is required at run time.
 *
 * <p>Not part of coflow's API.
 */
public final class KotlinxInternals {
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

    private KotlinxInternals() {
    }

    /**
     * Loads a class without initializing it, with the bridge's class loader.
     *
     * @param name the binary class name
     * @return the class, or {@code null} when it is absent or cannot be linked
     */
    public static Class<?> load(String name) {
        try {
            return Class.forName(name, false, KotlinxInternals.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }
}
