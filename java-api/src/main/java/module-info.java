/**
 * coflow-api: {@code AsyncFlow}, a fluent, cold, cancellable Java facade over kotlinx Flow.
 *
 * <p>Exports the API packages only; operator implementations stay package-private in
 * {@code dev.coflow}.
 */
module dev.coflow {
    requires transitive dev.coflow.bridge;
    requires transitive kotlinx.coroutines.core;
    requires kotlinx.coroutines.jdk9;
    // toReactiveStreams / fromReactiveStreams speak org.reactivestreams.Publisher (automatic module)
    requires transitive org.reactivestreams;

    exports dev.coflow;
    exports dev.coflow.function;
    exports dev.coflow.io;
}
