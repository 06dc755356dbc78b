package dev.coflow.bridge;

import dev.coflow.bridge.internal.KotlinxInternals;
import kotlin.coroutines.CoroutineContext;
import kotlinx.coroutines.Dispatchers;
import kotlinx.coroutines.ThreadContextElement;

/**
 * Decides whether code of a coroutine may run on a body's virtual thread instead of a thread of
 * the coroutine's dispatcher without anybody being able to tell.
 *
 * <p>That holds for kotlinx's shared pools {@code Dispatchers.Default} and {@code Dispatchers.IO}
 * used as they are: a coroutine there already hops between threads, and no other coroutine is
 * promised exclusion from it. It does not hold for single-threaded or {@code limitedParallelism}
 * dispatchers (their coroutines rely on running one at a time), test dispatchers (virtual time),
 * event loops, or contexts with a {@link ThreadContextElement} (MDC, ThreadLocal elements) whose
 * thread state would be missing on the body's thread. kotlinx's own debug-mode coroutine id is
 * such an element but only renames threads, so it is allowed.
 */
final class FreeThreading {
    private FreeThreading() {}

    static boolean allows(CoroutineContext context, Object interceptor) {
        if (interceptor != Dispatchers.getDefault() && interceptor != Dispatchers.getIO()) {
            return false;
        }
        Boolean clean = context.fold(
                Boolean.TRUE,
                (ok, element) -> ok
                        && !(element instanceof ThreadContextElement<?> && !KotlinxInternals.isCoroutineId(element)));
        return clean;
    }
}
