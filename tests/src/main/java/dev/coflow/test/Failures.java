package dev.coflow.test;

import java.util.Objects;

/** Exception plumbing shared by the harness. */
final class Failures {
    private Failures() {}

    /**
     * Undoes kotlinx stack-trace recovery: under debug mode (enabled by {@code -ea}) kotlinx may
     * rethrow a copy of an exception whose cause is the original, with the same type and message.
     */
    static Throwable original(Throwable t) {
        Throwable cur = t;
        while (cur.getCause() != null
                && cur.getCause() != cur
                && cur.getCause().getClass() == cur.getClass()
                && Objects.equals(cur.getCause().getMessage(), cur.getMessage())) {
            cur = cur.getCause();
        }
        return cur;
    }

    /** Throws any throwable without wrapping. */
    @SuppressWarnings("unchecked")
    static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
        throw (E) t;
    }
}
