package dev.coflow.bridge;

import java.util.function.BooleanSupplier;

/**
 * The event loop an {@link InlineBody} runs on: the thread that drains it is the body's thread,
 * and the body drains it itself while one of its calls is suspended. Two kinds: coflow's own
 * {@link CallerLoop} (a blocking coflow call from Java) and kotlinx's {@code runBlocking} event
 * loop ({@link BlockingLoop}).
 */
interface InlineLoop {
    /** An inline body starts on this loop's thread. */
    void enterInline();

    /** The inline body that {@link #enterInline} announced has returned. */
    void exitInline();

    /** Turns a pending interrupt of the loop's thread into cancellation (see the implementations). */
    void checkInterrupt();

    /** Runs the tasks queued right now: a cooperative yield of a body that has not suspended for a while. */
    void runQueued();

    /** Runs the loop's tasks on its thread until {@code done} holds. */
    void drainUntil(BooleanSupplier done);

    /** Wakes the loop's thread if it is parked in {@link #drainUntil}; {@code done} may hold now. */
    void wake();
}
