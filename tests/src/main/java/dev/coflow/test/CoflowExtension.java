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
 * grace period is 2 seconds, or the system property {@code coflow.test.leakGraceMillis}.
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
public final class CoflowExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver, InvocationInterceptor {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(CoflowExtension.class);
    private static final String BODIES_BEFORE = "activeBodiesBefore";

    /** Creates the extension; JUnit does this for {@code @ExtendWith(CoflowExtension.class)}. */
    public CoflowExtension() {}

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put(BODIES_BEFORE, LiveBodies.count());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Integer before = context.getStore(NAMESPACE).get(BODIES_BEFORE, Integer.class);
        if (before == null) {
            return;
        }
        long graceMillis = Long.getLong("coflow.test.leakGraceMillis", 2_000);
        long deadline = System.nanoTime() + graceMillis * 1_000_000;
        int now;
        while ((now = LiveBodies.count()) > before && System.nanoTime() < deadline) {
            LockSupport.parkNanos(100_000);
        }
        if (now > before) {
            throw new HarnessAssertionError((now - before) + " coroutine bod" + (now - before == 1 ? "y" : "ies")
                    + " started by " + context.getDisplayName() + " still running " + graceMillis
                    + " ms after it ended (active bodies before: " + before + ", after: " + now + "). Something it "
                    + "started was neither awaited nor cancelled: start children in a scope (Coroutines.run, "
                    + "VirtualTimeScope.launch) or cancel them, and do not swallow CancellationException.");
        }
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
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext extensionContext) throws Throwable {
        runMaybeVirtual(invocation, invocationContext);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext extensionContext) throws Throwable {
        runMaybeVirtual(invocation, invocationContext);
    }

    private static void runMaybeVirtual(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext)
            throws Throwable {
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
                .map(CoflowTest::timeoutMillis).orElse(VirtualTime.DEFAULT_TIMEOUT.toMillis());
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
