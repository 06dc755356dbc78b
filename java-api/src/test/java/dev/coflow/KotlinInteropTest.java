package dev.coflow;

import static org.junit.jupiter.api.Assertions.*;

import dev.coflow.bridge.Suspend;
import dev.coflow.test.CoflowExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import kotlin.coroutines.Continuation;
import kotlin.coroutines.ContinuationInterceptor;
import kotlin.jvm.functions.Function2;
import kotlinx.coroutines.BuildersKt;
import kotlinx.coroutines.CoroutineScope;
import kotlinx.coroutines.Dispatchers;
import kotlinx.coroutines.ExecutorsKt;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.FlowKt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A mixed codebase without a Kotlin compiler: AsyncFlow generators collected by kotlinx's own
 * compiled operators and terminals, on real dispatchers. Never a "Flow invariant is violated",
 * never a deadlock (the timeout is only a deadlock guard), values in order.
 */
class KotlinInteropTest {
    /** After each test, no coroutine body it started may still be running (the harness's leak check). */
    @RegisterExtension
    static final CoflowExtension COFLOW = CoflowExtension.withLeakGrace(Duration.ZERO);

    private static final Duration DEADLOCK_GUARD = Duration.ofSeconds(20);
    private final Set<String> bodyThreads = ConcurrentHashMap.newKeySet();
    private final List<Object> bodyDispatchers = Collections.synchronizedList(new ArrayList<>());

    /** start, start+1, ... (n elements); records where its body ran and in which dispatcher. */
    private AsyncFlow<Integer> numbers(int start, int n) {
        return AsyncFlow.generate(e -> {
            bodyThreads.add(
                    Thread.currentThread().isVirtual()
                            ? "virtual"
                            : Thread.currentThread().getName());
            bodyDispatchers.add(Suspend.context().get(ContinuationInterceptor.Key));
            for (int i = start; i < start + n; i++) {
                if (i % 7 == 0) {
                    Suspend.delay(1);
                }
                e.emit(i);
            }
        });
    }

    private static <T> T onDefault(Function2<CoroutineScope, Continuation<? super T>, Object> block) {
        return assertTimeoutPreemptively(DEADLOCK_GUARD, () -> BuildersKt.runBlocking(Dispatchers.getDefault(), block));
    }

    /** kotlinx {@code toList()}; the cast only tames Java's inference over Kotlin's variance. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object toList(Flow<?> flow, Continuation<?> c) {
        return FlowKt.toList((Flow) flow, new ArrayList<>(), (Continuation) c);
    }

    private static List<Integer> range(int start, int n) {
        List<Integer> r = new ArrayList<>();
        for (int i = start; i < start + n; i++) {
            r.add(i);
        }
        return r;
    }

    @Test
    void kotlinOperatorsAndTerminalOnDefault() {
        List<Object> downstreamDispatchers = Collections.synchronizedList(new ArrayList<>());
        Flow<Integer> doubled = FlowKt.map(numbers(0, 50), (v, c) -> {
            // On Dispatchers.Default the body may run this step itself (ADR 0001, direct calls):
            // what must hold is the coroutine context, not the thread.
            downstreamDispatchers.add(c.getContext().get(kotlin.coroutines.ContinuationInterceptor.Key));
            return v * 2;
        });
        Flow<Integer> evens = FlowKt.filter(doubled, (v, c) -> v % 4 == 0);
        List<Integer> r = onDefault((s, c) -> toList(evens, c));
        assertEquals(
                range(0, 50).stream().map(v -> v * 2).filter(v -> v % 4 == 0).toList(), r);
        assertEquals(Set.of("virtual"), bodyThreads);
        assertEquals(
                Set.of(Dispatchers.getDefault()),
                Set.copyOf(downstreamDispatchers),
                "elements must reach the collector's context");
        assertEquals(List.of(Dispatchers.getDefault()), bodyDispatchers);
    }

    @Test
    void kotlinTakeCancelsTheGenerator() {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        AsyncFlow<Integer> infinite = AsyncFlow.generate(e -> {
            try {
                for (int i = 0; ; i++) {
                    e.emit(i);
                }
            } finally {
                log.add("finally");
            }
        });
        List<Integer> r = onDefault((s, c) -> toList(FlowKt.take(infinite, 3), c));
        assertEquals(List.of(0, 1, 2), r);
        assertEquals(List.of("finally"), log);
    }

    @Test
    void insideWithContext() {
        List<Integer> r = onDefault((s, c) ->
                BuildersKt.withContext(Dispatchers.getIO(), (s2, c2) -> toList(numbers(0, 30), c2), c));
        assertEquals(range(0, 30), r);
        assertEquals(List.of(Dispatchers.getIO()), bodyDispatchers);
    }

    @Test
    void afterFlowOn() {
        Flow<Integer> upstreamOnIo = FlowKt.flowOn(numbers(0, 40), Dispatchers.getIO());
        Flow<String> described = FlowKt.map(upstreamOnIo, (v, c) -> "#" + v);
        List<String> r = onDefault((s, c) -> toList(described, c));
        assertEquals(range(0, 40).stream().map(v -> "#" + v).toList(), r);
        assertEquals(List.of(Dispatchers.getIO()), bodyDispatchers);
    }

    @Test
    void throughBuffer() {
        Flow<Integer> buffered = FlowKt.buffer(numbers(0, 200), 8, kotlinx.coroutines.channels.BufferOverflow.SUSPEND);
        List<Integer> r = onDefault((s, c) -> toList(buffered, c));
        assertEquals(range(0, 200), r);
    }

    @Test
    void zipOfTwoGenerators() {
        Flow<String> zipped = FlowKt.zip(numbers(0, 100), numbers(1000, 80), (a, b, c) -> a + ":" + b);
        List<String> r = onDefault((s, c) -> toList(zipped, c));
        assertEquals(80, r.size());
        for (int i = 0; i < 80; i++) {
            assertEquals(i + ":" + (1000 + i), r.get(i));
        }
    }

    @Test
    void flatMapMergeOfGenerators() {
        Flow<Integer> merged = FlowKt.flatMapMerge(numbers(0, 4), 4, (k, c) -> numbers(k * 100, 25));
        List<Integer> r = onDefault((s, c) -> toList(merged, c));
        assertEquals(100, r.size());
        for (int k = 0; k < 4; k++) {
            int base = k * 100;
            List<Integer> inner =
                    r.stream().filter(v -> v >= base && v < base + 100).toList();
            assertEquals(range(base, 25), inner, "each inner generator's values stay in order");
        }
    }

    @Test
    void kotlinCollectorFailureReachesTheGeneratorsFinallyAndTheCaller() {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        AsyncFlow<Integer> f = AsyncFlow.generate(e -> {
            try {
                e.emit(1);
                e.emit(2);
            } finally {
                log.add("finally");
            }
        });
        Flow<Integer> failing = FlowKt.map(f, (v, c) -> {
            if (v == 2) {
                throw new IllegalStateException("kotlin side failed");
            }
            return v;
        });
        var e = assertThrows(IllegalStateException.class, () -> onDefault((s, c) -> toList(failing, c)));
        assertEquals("kotlin side failed", e.getMessage());
        assertEquals(List.of("finally"), log);
    }

    @Test
    void asyncFlowTerminalsAcceptKotlinOperatorChains() {
        Flow<Integer> kotlinChain = FlowKt.flowOn(FlowKt.map(numbers(0, 20), (v, c) -> v + 1), Dispatchers.getIO());
        assertTimeoutPreemptively(
                DEADLOCK_GUARD,
                () -> assertEquals(range(1, 20), AsyncFlow.from(kotlinChain).toList()));
    }

    @Test
    void unconfinedCollector() {
        @SuppressWarnings({"unchecked", "rawtypes"})
        List<Integer> r = (List<Integer>) assertTimeoutPreemptively(
                DEADLOCK_GUARD,
                () -> BuildersKt.runBlocking(
                        Dispatchers.getUnconfined(),
                        (s, c) -> FlowKt.toList(
                                (kotlinx.coroutines.flow.Flow) FlowKt.take(numbers(0, 100), 30),
                                new ArrayList<>(),
                                (kotlin.coroutines.Continuation) c)));
        assertEquals(range(0, 30), r);
    }

    @Test
    void singleThreadDispatcherFlowOn() {
        var ex = Executors.newSingleThreadExecutor();
        try {
            List<Integer> r = assertTimeoutPreemptively(
                    DEADLOCK_GUARD,
                    () -> numbers(0, 100).flowOn(ExecutorsKt.from(ex)).toList());
            assertEquals(range(0, 100), r);
            List<Integer> r2 = assertTimeoutPreemptively(
                    DEADLOCK_GUARD,
                    () -> numbers(0, 100).flowOn(ExecutorsKt.from(ex)).take(3).toList());
            assertEquals(List.of(0, 1, 2), r2);
        } finally {
            ex.shutdownNow();
        }
    }
}
