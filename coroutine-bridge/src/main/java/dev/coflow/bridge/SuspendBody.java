package dev.coflow.bridge;

/**
 * A piece of ordinary Java code that may call suspend-like methods ({@link Suspend#delay},
 * {@link Suspend#await}, {@link Suspend#call}, ...) and returns a value.
 *
 * <p>Run it as a coroutine with {@link Coroutines#run(ScopeBody)}, {@link TaskScope#async} or
 * {@link Coroutines#runSuspending}. It may throw checked exceptions; they travel through the
 * coroutine machinery unchanged.
 *
 * {@snippet :
 * SuspendBody<String> body = () -> {
 *     Suspend.delay(100);
 *     return "done";
 * };
 * }
 *
 * <p>kotlinx counterpart: a {@code suspend () -> T} lambda.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface SuspendBody<T> {
    /**
     * Runs the body.
     *
     * @return the result, may be {@code null}
     * @throws Exception any failure; it becomes the coroutine's failure
     */
    T run() throws Exception;
}
