package dev.coflow;

import java.util.Collections;
import java.util.List;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.FlowKt;

/**
 * {@link AsyncFlow#chunked}: kotlinx's {@code chunked} (a fresh list per chunk, the last one may
 * be shorter), with each list handed out read-only as Java convention for returned lists expects.
 */
final class Chunk {
    private Chunk() {}

    static <T> Flow<List<T>> chunked(Flow<T> upstream, int size) {
        return FlowKt.map(FlowKt.chunked(upstream, size), (List<T> chunk, kotlin.coroutines.Continuation<? super List<T>> c) ->
                Collections.unmodifiableList(chunk));
    }
}
