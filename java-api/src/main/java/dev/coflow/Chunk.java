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

    /**
     * {@code sliding(size, step)}: read-only windows of {@code size} consecutive elements, each
     * starting {@code step} elements after the previous one; only full windows (a flow shorter
     * than {@code size} emits none), as Kotlin's {@code windowed(size, step)}.
     */
    static <T> Flow<List<T>> sliding(Flow<T> upstream, int size, int step) {
        return (collector, continuation) -> {
            java.util.ArrayDeque<T> window = new java.util.ArrayDeque<>(Math.min(size, 1024));
            int[] skip = {0};
            return upstream.collect(
                    (T v, kotlin.coroutines.Continuation<? super kotlin.Unit> c) -> {
                        if (skip[0] > 0) {
                            skip[0]--;
                            return kotlin.Unit.INSTANCE;
                        }
                        window.addLast(v);
                        if (window.size() < size) {
                            return kotlin.Unit.INSTANCE;
                        }
                        List<T> out = Collections.unmodifiableList(new java.util.ArrayList<>(window));
                        int drop = Math.min(step, size);
                        for (int i = 0; i < drop; i++) {
                            window.pollFirst();
                        }
                        skip[0] = step - drop;
                        return collector.emit(out, c);
                    },
                    continuation);
        };
    }

    static <T> Flow<List<T>> chunked(Flow<T> upstream, int size) {
        return FlowKt.map(
                FlowKt.chunked(upstream, size),
                (List<T> chunk, kotlin.coroutines.Continuation<? super List<T>> c) ->
                        Collections.unmodifiableList(chunk));
    }
}
