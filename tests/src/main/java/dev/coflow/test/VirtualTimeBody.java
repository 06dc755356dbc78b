package dev.coflow.test;

/**
 * A test body that runs on a virtual clock; see {@link VirtualTime#run(VirtualTimeBody)}.
 *
 * {@snippet :
 * VirtualTimeBody body = scope -> {
 *     Suspend.delay(Duration.ofMinutes(5));
 *     assertEquals(300_000, scope.currentTime());
 * };
 * }
 *
 * <p>kotlinx counterpart: the {@code suspend TestScope.() -> Unit} block of {@code runTest}.
 */
@FunctionalInterface
public interface VirtualTimeBody {
    /**
     * Runs the body.
     *
     * @param scope the virtual-time scope: clock control, children, background work
     * @throws Exception any failure; it fails the test unchanged
     */
    void run(VirtualTimeScope scope) throws Exception;
}
