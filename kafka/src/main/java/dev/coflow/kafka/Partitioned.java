package dev.coflow.kafka;

import dev.coflow.AsyncFlow;
import dev.coflow.bridge.Suspend;
import dev.coflow.function.ThrowingFunction;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import kotlinx.coroutines.flow.Flow;

/**
 * {@link KafkaFlows#mapAsyncPartitioned}: {@code mapAsync} whose call for an element first waits
 * for the call of the previous element with the same key. The chain is linked in a sequential
 * {@code map} ahead of {@code mapAsync}, so it follows the upstream order exactly; a key's entry is
 * removed when its last call finishes, so the map holds at most the keys in flight.
 */
final class Partitioned {

    private Partitioned() {}

    private record Step<T>(T value, Object key, CompletableFuture<Void> previous, CompletableFuture<Void> done) {}

    static <T, K, R> AsyncFlow<R> mapAsyncPartitioned(
            Flow<? extends T> upstream,
            int concurrency,
            ThrowingFunction<? super T, ? extends K> keyFn,
            ThrowingFunction<? super T, ? extends R> fn) {
        return AsyncFlow.defer(() -> {
            Map<Object, CompletableFuture<Void>> last = new ConcurrentHashMap<>();
            return AsyncFlow.<T>from(upstream)
                    .map(value -> {
                        K key = keyFn.apply(value);
                        if (key == null) {
                            throw new NullPointerException("keyFn returned null for " + value
                                    + "; return a non-null key (e.g. the record's partition)");
                        }
                        CompletableFuture<Void> done = new CompletableFuture<>();
                        return new Step<T>(value, key, last.put(key, done), done);
                    })
                    .mapAsync(concurrency, step -> {
                        try {
                            if (step.previous() != null) {
                                Suspend.await(step.previous());
                            }
                            return fn.apply(step.value());
                        } finally {
                            step.done().complete(null);
                            last.remove(step.key(), step.done());
                        }
                    });
        });
    }
}
