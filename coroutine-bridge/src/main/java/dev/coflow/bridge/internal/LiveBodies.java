package dev.coflow.bridge.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many Java bodies have started and not yet returned, for leak checks: the harness
 * ({@code dev.coflow.test}'s {@code CoflowExtension}) reads it before and after each test. The
 * bridge's drivers count every body in and out; nothing else changes it.
 *
 * <p>Not part of coflow's API: this package is exported only to coflow's own modules. It replaces
 * the public test hook {@code Coroutines.activeBodies()}, which stays (deprecated) and reads the
 * same count.
 */
public final class LiveBodies {
    private static final AtomicInteger LIVE = new AtomicInteger();

    private LiveBodies() {}

    /**
     * The number of bodies whose code is still running.
     *
     * @return how many bodies have started and not yet returned
     */
    public static int count() {
        return LIVE.get();
    }

    /** Counts a body in; called by the bridge's drivers only, once per body. */
    public static void started() {
        LIVE.incrementAndGet();
    }

    /** Counts a body out; called by the bridge's drivers only, once per started body. */
    public static void finished() {
        LIVE.decrementAndGet();
    }
}
