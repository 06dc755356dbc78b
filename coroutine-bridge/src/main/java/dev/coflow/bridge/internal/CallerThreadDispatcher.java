package dev.coflow.bridge.internal;

/**
 * Marks the dispatcher of a blocking coflow call whose coroutines run on the calling thread
 * (which is busy running the consumer's code). Operators that promise concurrency, such as
 * {@code buffer}, move their producers off it. Internal: not part of the API.
 */
public interface CallerThreadDispatcher {
    /**
     * Turns a pending interrupt of the calling thread into cancellation of the blocking call (its
     * root coroutine); a no-op on any other thread. For code that loops without ever suspending
     * (a source whose emits never suspend), called every so many elements.
     */
    void checkInterrupt();
}
