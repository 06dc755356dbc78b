package dev.coflow.bridge.internal;

import kotlin.coroutines.Continuation;

/**
 * What runs on one thread right now, as far as {@code Suspend.*} is concerned: a coroutine body
 * ({@link #body}), or a Java lambda that coflow called from inside a coroutine ({@link #lambda},
 * the continuation it was called with). Only its own thread touches a slot, so the fields are
 * plain. Internal: not part of the API.
 *
 * <p>Why a mutable slot rather than a {@code ThreadLocal} per value: an operator lambda is entered
 * once per element, and entering one costs one {@code ThreadLocal} look-up and four field writes
 * this way (saved into the caller's locals and restored in {@code finally}); the body object that
 * performs its suspend-like calls is only created if the lambda makes one.
 *
 * {@snippet :
 * BodySlot s = BodySlot.get();
 * Object savedBody = s.body;
 * Continuation<?> savedLambda = s.lambda;
 * s.enterLambda(continuation);
 * try {
 *     return userLambda.apply(value);      // may call Suspend.delay, await, a blocking terminal
 * } finally {
 *     s.restore(savedBody, savedLambda);
 * }
 * }
 */
public final class BodySlot {
    private static final ThreadLocal<BodySlot> SLOT = ThreadLocal.withInitial(BodySlot::new);

    /** The body (a {@code dev.coflow.bridge} body context) whose code runs on this thread, or null. */
    public Object body;
    /**
     * The continuation of the coroutine step in which a coflow-called Java lambda runs on this
     * thread, or null; meaningful while {@link #body} is null or the lambda's own body context.
     */
    public Continuation<?> lambda;

    /**
     * How many suspend-like calls of coflow-called lambdas on this thread have really suspended
     * (waited); an operator compares it before and after a call to learn that its lambda waits.
     */
    public long suspensions;

    private BodySlot() {}

    /**
     * The calling thread's slot.
     *
     * @return the slot, never null
     */
    public static BodySlot get() {
        return SLOT.get();
    }

    /**
     * Marks the start of a Java lambda called as one step of the coroutine that owns
     * {@code continuation}; save {@link #body} and {@link #lambda} first and {@link #restore} them.
     *
     * @param continuation the continuation the lambda's caller was invoked with
     */
    public void enterLambda(Continuation<?> continuation) {
        body = null;
        lambda = continuation;
    }

    /**
     * Puts back what {@link #enterLambda} replaced.
     *
     * @param savedBody the saved {@link #body}
     * @param savedLambda the saved {@link #lambda}
     */
    public void restore(Object savedBody, Continuation<?> savedLambda) {
        body = savedBody;
        lambda = savedLambda;
    }
}
