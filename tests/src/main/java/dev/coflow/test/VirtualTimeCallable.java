package dev.coflow.test;

/**
 * A test body that runs on a virtual clock and returns a value; see
 * {@link VirtualTime#call(VirtualTimeCallable)}.
 *
 * {@snippet :
 * long elapsed = VirtualTime.call(scope -> {
 *     Suspend.delay(1_000);
 *     return scope.currentTime();
 * });
 * }
 *
 * <p>kotlinx counterpart: a {@code suspend TestScope.() -> T} block.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface VirtualTimeCallable<T> {
    /**
     * Runs the body.
     *
     * @param scope the virtual-time scope
     * @return the result, may be {@code null}
     * @throws Exception any failure; it fails the test unchanged
     */
    T call(VirtualTimeScope scope) throws Exception;
}
