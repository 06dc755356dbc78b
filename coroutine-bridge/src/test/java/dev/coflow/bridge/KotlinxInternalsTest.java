package dev.coflow.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.coflow.bridge.internal.KotlinxInternals;
import kotlin.jvm.functions.Function0;
import kotlinx.coroutines.ThreadContextElement;
import org.junit.jupiter.api.Test;

/**
 * Every kotlinx internal the bridge looks up by name still resolves in the kotlinx version on the
 * class path; a failure names the symbol to fix in {@link KotlinxInternals}.
 */
class KotlinxInternalsTest {
    private static Class<?> resolve(String name) {
        Class<?> c = KotlinxInternals.load(name);
        assertNotNull(c, () -> "kotlinx internal class " + name + " no longer resolves (KotlinxInternals)");
        return c;
    }

    @Test
    void coroutineIdIsAThreadContextElement() {
        Class<?> c = resolve(KotlinxInternals.COROUTINE_ID);
        assertTrue(ThreadContextElement.class.isAssignableFrom(c),
                KotlinxInternals.COROUTINE_ID + " is no longer a ThreadContextElement (FreeThreading)");
    }

    @Test
    void testDispatcherResolves() {
        resolve(KotlinxInternals.TEST_DISPATCHER);
    }

    @Test
    void schedulerStepsResolve() {
        Class<?> scheduler = resolve(KotlinxInternals.TEST_COROUTINE_SCHEDULER);
        method(scheduler, KotlinxInternals.TRY_RUN_NEXT_TASK_UNLESS, boolean.class, Function0.class);
        method(scheduler, KotlinxInternals.IS_IDLE, boolean.class);
    }

    private static void method(Class<?> owner, String name, Class<?> returns, Class<?>... params) {
        try {
            assertEquals(returns, owner.getMethod(name, params).getReturnType(),
                    () -> "kotlinx internal " + owner.getName() + "." + name + " changed its return type");
        } catch (NoSuchMethodException e) {
            fail("kotlinx internal " + owner.getName() + "." + name + " no longer resolves (KotlinxInternals)");
        }
    }
}
