package dev.coflow;

import static org.junit.jupiter.api.Assertions.assertSame;

import dev.coflow.bridge.Coroutines;
import org.junit.jupiter.api.Test;

/**
 * The names the layout step renamed keep working, deprecated, and reach the same objects as the new
 * ones (one name, {@code asKotlin()}, for the kotlinx object behind any coflow type).
 */
@SuppressWarnings("deprecation")
class DeprecatedNamesTest {
    @Test
    void everyOldNameReachesTheSameKotlinxObject() {
        AsyncFlow<Integer> flow = AsyncFlow.of(1);
        assertSame(flow.asKotlin(), flow.asFlow());

        MutableAsyncStateFlow<Integer> state = MutableAsyncStateFlow.create(1);
        assertSame(state.asKotlin(), state.kotlinFlow());
        AsyncStateFlow<Integer> readOnly = state.asReadOnly();
        assertSame(readOnly.asKotlin(), readOnly.kotlinFlow());
        MutableAsyncSharedFlow<Integer> shared = MutableAsyncSharedFlow.create(1);
        assertSame(shared.asKotlin(), shared.kotlinFlow());
        AsyncSharedFlow<Integer> sharedView = shared.asReadOnly();
        assertSame(sharedView.asKotlin(), sharedView.kotlinFlow());

        assertSame(SharingStarted.LAZILY.asKotlin(), SharingStarted.LAZILY.kotlin());

        Coroutines.run(scope -> {
            assertSame(scope.asKotlin(), scope.coroutineScope());
            var task = scope.async(() -> 1);
            assertSame(task.asKotlin(), task.deferred());
            return task.await();
        });
    }
}
