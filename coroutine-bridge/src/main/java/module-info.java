/**
 * coflow-bridge: plain Java code running suspend-like inside kotlinx coroutines.
 *
 * <p>{@code dev.coflow.bridge} is the API. {@code dev.coflow.bridge.internal} holds what coflow's
 * own modules share (body slots, the caller-thread dispatcher, exception helpers, the one home of
 * kotlinx internal names, the leak-check count) and is exported to them only.
 *
 * <p>kotlinx-coroutines-test is optional: the bridge finds it reflectively when it is in the
 * module graph (a test dispatcher is in use) and works without it.
 */
// "module": the qualified export names modules that are compiled after this one.
@SuppressWarnings("module")
module dev.coflow.bridge {
    requires transitive kotlinx.coroutines.core;

    exports dev.coflow.bridge;
    exports dev.coflow.bridge.internal to
            dev.coflow,
            dev.coflow.test;
}
