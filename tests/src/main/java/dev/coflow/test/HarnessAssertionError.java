package dev.coflow.test;

import kotlinx.coroutines.CopyableThrowable;
import org.opentest4j.AssertionFailedError;

/**
 * The harness's own assertion failure. It opts out of kotlinx stack-trace recovery (which would
 * otherwise hand the test a copy whose cause is this error instead of the flow's exception).
 */
final class HarnessAssertionError extends AssertionFailedError implements CopyableThrowable<HarnessAssertionError> {
    private static final long serialVersionUID = 1L;

    HarnessAssertionError(String message) {
        super(message);
    }

    HarnessAssertionError(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public HarnessAssertionError createCopy() {
        return null;
    }
}
