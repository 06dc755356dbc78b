package dev.coflow.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A JUnit 5 test with {@link CoflowExtension}: if the method declares a {@link VirtualTimeScope}
 * parameter its body runs on the virtual clock, and after it the extension checks that nothing it
 * started is still running.
 *
 * {@snippet :
 * @CoflowTest
 * void retriesBackOff(VirtualTimeScope scope) {
 *     Suspend.delay(Duration.ofMinutes(3));
 *     assertEquals(180_000, scope.currentTime());
 * }
 * }
 *
 * <p>kotlinx counterpart: a {@code @Test fun x() = runTest { }}.
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Test
@ExtendWith(CoflowExtension.class)
public @interface CoflowTest {
    /**
     * The wall-clock limit for a virtual-time test body, in milliseconds.
     *
     * @return the limit; default 10 000
     */
    long timeoutMillis() default 10_000;
}
