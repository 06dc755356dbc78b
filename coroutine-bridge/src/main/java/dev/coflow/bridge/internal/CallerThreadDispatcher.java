package dev.coflow.bridge.internal;

/**
 * Marks the dispatcher of a blocking coflow call whose coroutines run on the calling thread
 * (which is busy running the consumer's code). Operators that promise concurrency, such as
 * {@code buffer}, move their producers off it. Internal: not part of the API.
 */
public interface CallerThreadDispatcher {
}
