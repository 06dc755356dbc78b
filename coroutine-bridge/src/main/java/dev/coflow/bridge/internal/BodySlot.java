package dev.coflow.bridge.internal;

import kotlin.coroutines.Continuation;

/**
 * What runs on one thread right now, as far as {@code Suspend.*} is concerned: {@link #current} is
 * a coroutine body (a {@code dev.coflow.bridge} body context), or the continuation of the coroutine
 * step in which a coflow-called Java lambda runs (until the lambda's first suspend-like call turns
 * it into the lambda's body context), or null. Only its own thread touches a slot, so the fields
 * are plain. Internal: not part of the API.
 *
 * <p>Why one mutable field: an operator lambda is entered once per element, and entering one costs
 * a read and two writes of this field (saved in the caller's local, restored after the call); the
 * body object that performs its suspend-like calls is only created if the lambda makes one.
 *
 * {@snippet :
 * BodySlot s = BodySlot.get();
 * Object saved = s.current;
 * s.current = continuation;
 * try {
 *     return userLambda.apply(value);      // may call Suspend.delay, await, a blocking terminal
 * } finally {
 *     s.current = saved;
 * }
 * }
 */
public final class BodySlot {
    private static final ThreadLocal<BodySlot> SLOT = ThreadLocal.withInitial(BodySlot::new);

    /** A body context, a lambda step's continuation, or null; see the class comment. */
    public Object current;

    /**
     * The continuation of the last lambda step whose suspend-like call really suspended (waited)
     * on this thread; the step's caller compares it with its own to learn that its lambda waits.
     */
    public Continuation<?> waited;

    /**
     * How many inline bodies are on this thread's stack (0 or 1): a second body starting while one
     * runs inline gets its own virtual thread, whatever loop the first one runs on.
     */
    public int inlineDepth;

    /**
     * True while a coroutine body on this thread makes a call on behalf of a driver that lends it
     * its dispatcher's thread (ADR 0003): code waiting in place here would hold that dispatcher.
     */
    public boolean inLentCall;

    /** The thread this slot belongs to. */
    public final Thread thread = Thread.currentThread();

    private BodySlot() {}

    /**
     * The calling thread's slot.
     *
     * @return the slot, never null
     */
    public static BodySlot get() {
        return SLOT.get();
    }
}
