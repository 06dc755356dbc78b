package dev.coflow.bridge;

/**
 * A Java body that runs as a coroutine and may start child coroutines in the {@link TaskScope}
 * it is given. Used with {@link Coroutines#run(ScopeBody)}.
 *
 * {@snippet :
 * int sum = Coroutines.run(scope -> {
 *     Task<Integer> a = scope.async(() -> slowNumber(1));
 *     Task<Integer> b = scope.async(() -> slowNumber(2));
 *     return a.await() + b.await();
 * });
 * }
 *
 * <p>kotlinx counterpart: the {@code suspend CoroutineScope.() -> T} block of
 * {@code runBlocking} / {@code coroutineScope}.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface ScopeBody<T> {
    /**
     * Runs the body.
     *
     * @param scope the scope of this coroutine; children started in it finish before the body's
     *     caller gets the result
     * @return the result, may be {@code null}
     * @throws Exception any failure; it cancels the children and reaches the caller
     */
    T run(TaskScope scope) throws Exception;
}
