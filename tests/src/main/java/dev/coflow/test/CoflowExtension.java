package dev.coflow.test;

import dev.coflow.bridge.internal.LiveBodies;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * JUnit 5 support for coflow tests.
 *
 * <ul>
 *   <li>A test method that declares a {@link VirtualTimeScope} parameter runs inside
 *       {@link VirtualTime#run}: the method body itself is the virtual-time body, so
 *       {@code Suspend.delay}, generator delays and blocking terminals in it take no wall time.
 *   <li>After each test it checks that every coroutine body the test started has finished (the
 *       number of bodies still running, the bridge's internal {@code LiveBodies} count, is back
 *       where it was), allowing a short grace
 *       period because body threads end asynchronously, and fails the test otherwise.
 * </ul>
 *
 * <p>The leak check counts bodies process-wide: do not run coflow tests in parallel with it. The
 * grace period is 2 seconds, or the system property {@code coflow.test.leakGraceMillis}, or the one
 * given to {@link #withLeakGrace(Duration)} for a class that registers the extension itself.
 * {@link #assertNoBodiesRunning(Duration)} makes the same check in the middle of a test.
 *
 * {@snippet :
 * @ExtendWith(CoflowExtension.class)
 * class RetryTest {
 *     @Test
 *     void backsOff(VirtualTimeScope scope) {
 *         Suspend.delay(1_000);
 *         assertEquals(1_000, scope.currentTime());
 *     }
 * }
 * }
 *
 * <p>kotlinx counterpart: {@code runTest} in every test, plus its check for unfinished coroutines.
 */
public final class CoflowExtension
        implements BeforeEachCallback, AfterEachCallback, ParameterResolver, InvocationInterceptor {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(CoflowExtension.class);
    private static final String BODIES_BEFORE = "activeBodiesBefore";

    /** The grace period of the leak check in milliseconds; {@code null}: the system property, else 2 s. */
    private final Long graceMillis;

    /** Creates the extension; JUnit does this for {@code @ExtendWith(CoflowExtension.class)}. */
    public CoflowExtension() {
        this.graceMillis = null;
    }

    private CoflowExtension(long graceMillis) {
        this.graceMillis = graceMillis;
    }

    /**
     * The extension with its own grace period for the leak check, for a test class that registers
     * it as a field. {@link Duration#ZERO} checks at once that every body the test started had
     * finished when the test method (and its {@code @AfterEach} methods) returned, which is what
     * coflow's blocking terminals promise.
     *
     * {@snippet :
     * class TerminalTest {
     *     @RegisterExtension
     *     static final CoflowExtension COFLOW = CoflowExtension.withLeakGrace(Duration.ZERO);
     *
     *     @Test
     *     void toListEndsItsGenerator() {
     *         assertEquals(List.of(1), AsyncFlow.generate(e -> e.emit(1)).toList());
     *     } // the extension fails the test if the generator's body is still running here
     * }
     * }
     *
     * <p>{@code @CoflowTest} methods of such a class run with the registered instance (JUnit does
     * not add a second one).
     *
     * <p>kotlinx counterpart: none; {@code runTest} always waits for the test's children and
     * reports those still running afterwards.
     *
     * @param grace how long after a test its bodies may take to finish; zero or positive
     * @return a new extension
     * @throws IllegalArgumentException if {@code grace} is negative
     * @throws NullPointerException if {@code grace} is null
     */
    public static CoflowExtension withLeakGrace(Duration grace) {
        return new CoflowExtension(checkGrace(grace, "withLeakGrace(grace)"));
    }

    /**
     * Fails unless no coroutine body is running anywhere in the process, waiting at most
     * {@code within} for those still finishing: the leak check of this extension, for the middle of
     * a test (after a storm of cancellations, say) or for code without the extension.
     *
     * {@snippet :
     * CompletableFuture<List<Integer>> f = slowNumbers().toListAsync();
     * f.cancel(true);
     * CoflowExtension.assertNoBodiesRunning(Duration.ofSeconds(5)); // the generator's body has ended
     * }
     *
     * <p>The count is process-wide: no other test may run coflow code at the same time.
     *
     * <p>kotlinx counterpart: none ({@code runTest}'s check after the test body, as an assertion).
     *
     * @param within how long to wait for running bodies to finish; {@link Duration#ZERO} checks once
     * @throws AssertionError if bodies are still running after {@code within}, saying how many
     * @throws IllegalArgumentException if {@code within} is negative
     * @throws NullPointerException if {@code within} is null
     */
    public static void assertNoBodiesRunning(Duration within) {
        long millis = checkGrace(within, "assertNoBodiesRunning(within)");
        int now = awaitAtMost(0, millis);
        if (now > 0) {
            throw new HarnessAssertionError(now + " coroutine bod" + (now == 1 ? "y" : "ies") + " still running "
                    + millis + " ms after assertNoBodiesRunning was called. Something was neither awaited nor "
                    + "cancelled: start children in a scope (Coroutines.run, VirtualTimeScope.launch) or cancel "
                    + "them, and do not swallow CancellationException.");
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put(BODIES_BEFORE, activeBodies());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Integer before = context.getStore(NAMESPACE).get(BODIES_BEFORE, Integer.class);
        if (before == null) {
            return;
        }
        long graceMillis =
                this.graceMillis != null ? this.graceMillis : Long.getLong("coflow.test.leakGraceMillis", 2_000);
        int now = awaitAtMost(before, graceMillis);
        if (now > before) {
            throw new HarnessAssertionError((now - before) + " coroutine bod" + (now - before == 1 ? "y" : "ies")
                    + " started by " + context.getDisplayName() + " still running " + graceMillis
                    + " ms after it ended (active bodies before: " + before + ", after: " + now + "). Something it "
                    + "started was neither awaited nor cancelled: start children in a scope (Coroutines.run, "
                    + "VirtualTimeScope.launch) or cancel them, and do not swallow CancellationException.");
        }
    }

    /** Polls until at most {@code allowed} bodies run or {@code millis} have passed; the last count. */
    private static int awaitAtMost(int allowed, long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        int now;
        while ((now = activeBodies()) > allowed && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(100_000);
        }
        return now;
    }

    /** The one place the harness reads the bridge's count of running bodies. */
    private static int activeBodies() {
        return LiveBodies.count();
    }

    private static long checkGrace(Duration d, String argument) {
        if (d == null) {
            throw new NullPointerException(argument + " must not be null; use Duration.ZERO to check at once");
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException(argument + " must be zero or positive, was " + d);
        }
        return d.toMillis();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == VirtualTimeScope.class
                && parameterContext.getDeclaringExecutable() instanceof Method m
                && extensionContext.getTestMethod().map(m::equals).orElse(false);
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return new DeferredVirtualTimeScope();
    }

    @Override
    public void interceptTestMethod(
            Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext extensionContext)
            throws Throwable {
        runMaybeVirtual(invocation, invocationContext);
    }

    @Override
    public void interceptTestTemplateMethod(
            Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext extensionContext)
            throws Throwable {
        runMaybeVirtual(invocation, invocationContext);
    }

    private static void runMaybeVirtual(
            Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext) throws Throwable {
        DeferredVirtualTimeScope deferred = null;
        for (Object arg : invocationContext.getArguments()) {
            if (arg instanceof DeferredVirtualTimeScope d) {
                deferred = d;
            }
        }
        if (deferred == null) {
            invocation.proceed();
            return;
        }
        long millis = AnnotationSupport.findAnnotation(invocationContext.getExecutable(), CoflowTest.class)
                .map(CoflowTest::timeoutMillis)
                .orElse(VirtualTime.DEFAULT_TIMEOUT.toMillis());
        if (millis <= 0) {
            throw new IllegalArgumentException("@CoflowTest(timeoutMillis) must be positive, was " + millis);
        }
        DeferredVirtualTimeScope scope = deferred;
        VirtualTime.run(Duration.ofMillis(millis), real -> {
            scope.bind(real);
            try {
                invocation.proceed();
            } catch (Throwable t) {
                throw Failures.sneaky(t);
            }
        });
    }
}
