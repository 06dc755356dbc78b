package dev.coflow;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.FlowKt;
import org.junit.jupiter.api.Test;

/** of, empty, range, fromIterable, fromStream, fromFuture, defer, from. */
class SourcesTest {
    @Test
    void ofEmptyRange() {
        assertEquals(List.of(1, 2, 3), AsyncFlow.of(1, 2, 3).toList());
        assertEquals(List.of(), AsyncFlow.of().toList());
        assertEquals(List.of(), AsyncFlow.empty().toList());
        assertEquals(45, AsyncFlow.range(0, 10).collect(Collectors.summingInt(x -> x)));
        assertEquals(List.of(3), AsyncFlow.range(3, 4).toList());
        assertEquals(List.of(), AsyncFlow.range(5, 5).toList());
        assertEquals(List.of(), AsyncFlow.range(5, 1).toList());
        assertEquals(
                List.of(0, 1, 2), AsyncFlow.range(0, Integer.MAX_VALUE).take(3).toList());
    }

    @Test
    void ofCopiesItsArguments() {
        Integer[] values = {1, 2};
        AsyncFlow<Integer> f = AsyncFlow.of(values);
        values[0] = 9;
        assertEquals(List.of(1, 2), f.toList());
    }

    @Test
    void nullsAreRejectedWithAReason() {
        var e = assertThrows(NullPointerException.class, () -> AsyncFlow.of(1, null));
        assertTrue(e.getMessage().contains("non-null"), e.getMessage());
        var it = assertThrows(
                NullPointerException.class,
                () -> AsyncFlow.fromIterable(Arrays.asList(1, null)).toList());
        assertTrue(it.getMessage().contains("AsyncFlow.fromIterable"), it.getMessage());
        assertThrows(NullPointerException.class, () -> AsyncFlow.fromIterable(null));
        assertThrows(NullPointerException.class, () -> AsyncFlow.fromStream(null));
        assertThrows(NullPointerException.class, () -> AsyncFlow.from(null));
    }

    @Test
    void fromIterableIteratesAfreshPerCollection() {
        List<String> source = new ArrayList<>(List.of("a"));
        AsyncFlow<String> f = AsyncFlow.fromIterable(source);
        assertEquals(List.of("a"), f.toList());
        source.add("b");
        assertEquals(List.of("a", "b"), f.toList());
    }

    @Test
    void fromStreamClosesTheStreamOnEveryEnding() {
        AtomicInteger opened = new AtomicInteger();
        AtomicInteger closed = new AtomicInteger();
        AsyncFlow<Integer> f = AsyncFlow.fromStream(() -> {
            opened.incrementAndGet();
            return Stream.iterate(0, i -> i + 1).onClose(closed::incrementAndGet);
        });
        assertEquals(List.of(0, 1, 2), f.take(3).toList());
        assertEquals(1, closed.get());
        assertThrows(
                IllegalStateException.class,
                () -> f.forEach(x -> {
                    if (x == 5) {
                        throw new IllegalStateException("stop");
                    }
                }));
        assertEquals(2, closed.get());
        assertEquals(
                List.of(0, 1),
                AsyncFlow.fromStream(() -> Stream.of(0, 1).onClose(closed::incrementAndGet))
                        .toList());
        assertEquals(3, closed.get());
        assertEquals(2, opened.get());
    }

    @Test
    void fromStreamSupplierMayThrowChecked() {
        AsyncFlow<String> f = AsyncFlow.fromStream(() -> {
            throw new IOException("cannot open");
        });
        var e = assertThrows(UncheckedIOException.class, f::toList);
        assertEquals("cannot open", e.getCause().getMessage());
    }

    @Test
    void fromFutureCallsTheSupplierPerCollection() {
        AtomicInteger calls = new AtomicInteger();
        AsyncFlow<Integer> f = AsyncFlow.fromFuture(() -> CompletableFuture.supplyAsync(calls::incrementAndGet));
        assertEquals(List.of(1), f.toList());
        assertEquals(List.of(2), f.toList());
        var e = assertThrows(
                IllegalStateException.class,
                () -> AsyncFlow.fromFuture(() -> CompletableFuture.failedFuture(new IllegalStateException("503")))
                        .toList());
        assertEquals("503", e.getMessage());
    }

    @Test
    void deferCreatesAFlowPerCollection() {
        AtomicInteger n = new AtomicInteger();
        AsyncFlow<Integer> f = AsyncFlow.defer(() -> AsyncFlow.of(n.incrementAndGet()));
        assertEquals(0, n.get());
        assertEquals(List.of(1), f.toList());
        assertEquals(List.of(2), f.toList());
    }

    @Test
    void fromWrapsKotlinFlowsAndIsIdentityOnAsyncFlows() {
        Flow<String> kotlin = FlowKt.flowOf(new String[] {"x", "y"});
        assertEquals(List.of("x", "y"), AsyncFlow.from(kotlin).toList());
        AsyncFlow<Integer> a = AsyncFlow.of(1);
        assertSame(a, AsyncFlow.from(a));
    }
}
