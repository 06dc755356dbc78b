package dev.coflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coflow.bridge.Coroutines;
import dev.coflow.bridge.Suspend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import kotlinx.coroutines.flow.FlowKt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fused plain loop ({@link Fused}) gives exactly what the kotlinx operator chain gives: every
 * pipeline of fusable stages is run by every fusable terminal twice, once fused and once forced
 * through kotlinx ({@code AsyncFlow.from(flow.asFlow())} is not fusable), and the results,
 * failures and logs of side effects must match.
 */
class FusionTest {
    /** Side effects of one run, in order. */
    private final List<String> log = new ArrayList<>();

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    // ---- the matrix: pipelines x terminals, fused vs kotlinx ---------------------------------

    private interface Pipeline extends Function<List<String>, AsyncFlow<Integer>> {}

    private static AsyncFlow<Integer> logged(List<String> log, AsyncFlow<Integer> source) {
        return source.onEach(v -> log.add("src " + v));
    }

    private static final Pipeline[] PIPELINES = {
        l -> AsyncFlow.range(0, 20).map(v -> v * 2).filter(v -> v % 3 == 0),
        l -> logged(l, AsyncFlow.of(5, 1, 4, 2, 3)).filterNot(v -> v % 2 == 0).map(v -> v + 100),
        l -> logged(l, AsyncFlow.range(1, 10)).mapNotNull(v -> v % 3 == 0 ? null : v * 10),
        l -> logged(l, AsyncFlow.range(1, 100)).take(3),
        l -> logged(l, AsyncFlow.range(1, 10)).drop(7),
        l -> logged(l, AsyncFlow.range(1, 10)).drop(0).take(1),
        l -> logged(l, AsyncFlow.range(1, 100)).takeWhile(v -> v < 4),
        l -> logged(l, AsyncFlow.of(1, 2, 5, 1, 7)).dropWhile(v -> v < 3),
        l -> logged(l, AsyncFlow.range(1, 100)).take(5).filter(v -> v > 2).take(2),
        l -> logged(l, AsyncFlow.range(0, 0)).map(v -> v),
        l -> logged(l, AsyncFlow.fromIterable(List.of(3, 2, 1))).onEach(v -> l.add("second " + v)),
        l -> logged(l, AsyncFlow.fromStream(() -> Stream.of(1, 2, 3).onClose(() -> l.add("closed"))))
                .take(2),
        l -> logged(l, AsyncFlow.fromStream(() -> Stream.of(1, 2, 3).onClose(() -> l.add("closed")))),
        // failures: null results, checked and unchecked exceptions, null elements, bad sources
        l -> logged(l, AsyncFlow.range(1, 5)).map(v -> v == 3 ? null : v),
        l -> logged(l, AsyncFlow.range(1, 5)).map(v -> {
            if (v == 2) {
                throw new IOException("io " + v);
            }
            return v;
        }),
        l -> logged(l, AsyncFlow.range(1, 5)).filter(v -> {
            if (v == 3) {
                throw new Exception("checked " + v);
            }
            return true;
        }),
        l -> logged(l, AsyncFlow.range(1, 5)).takeWhile(v -> {
            if (v == 4) {
                throw new IllegalStateException("boom " + v);
            }
            return true;
        }),
        l -> logged(l, AsyncFlow.fromIterable(Arrays.asList(1, 2, null, 4))),
        l -> AsyncFlow.<Integer>fromStream(() -> {
            throw new IOException("cannot open");
        }),
        l -> AsyncFlow.<Integer>fromStream(() -> null),
        l -> logged(
                l,
                AsyncFlow.fromStream(() -> Stream.of(1, 2, 3).onClose(() -> {
                    l.add("closed");
                    throw new IllegalStateException("close failed");
                }))),
        l -> logged(
                        l,
                        AsyncFlow.fromStream(() -> Stream.of(1, 2, 3).onClose(() -> {
                            l.add("closed");
                            throw new IllegalStateException("close failed");
                        })))
                .take(1),
        l -> logged(
                        l,
                        AsyncFlow.fromStream(() -> Stream.of(1, 2, 3).onClose(() -> {
                            l.add("closed");
                            throw new IllegalStateException("close failed");
                        })))
                .map(v -> {
                    if (v == 2) {
                        throw new IllegalArgumentException("bad " + v);
                    }
                    return v;
                }),
        // generators (FusedGenerator): early stops reach the body's finally, failures go both ways
        l -> generator(l, 6, -1).map(v -> v * 3).filter(v -> v % 2 == 0),
        l -> generator(l, 1_000, -1).take(4),
        l -> generator(l, 10, -1).takeWhile(v -> v < 3).onEach(v -> l.add("after " + v)),
        l -> generator(l, 5, 3),
        l -> generator(l, 5, -1).map(v -> {
            if (v == 2) {
                throw new IOException("io " + v);
            }
            return v;
        }),
        l -> generator(l, 0, -1).map(v -> v),
        l -> AsyncFlow.<Integer>generate(e -> {
                    l.add("emitAll");
                    e.emitAll(AsyncFlow.range(0, 3));
                    e.emitAll(List.of(7, 8));
                })
                .drop(1),
    };

    /** 0..n-1 from a generator that logs each emit and its end, failing at {@code failAt} (-1: never). */
    private static AsyncFlow<Integer> generator(List<String> log, int n, int failAt) {
        return AsyncFlow.generate(e -> {
            try {
                for (int i = 0; i < n; i++) {
                    if (i == failAt) {
                        throw new IllegalStateException("body failed at " + i);
                    }
                    log.add("emit " + i);
                    e.emit(i);
                }
            } finally {
                log.add("body finally");
            }
        });
    }

    private interface Terminal extends Function<AsyncFlow<Integer>, Object> {}

    private Terminal[] terminals() {
        return new Terminal[] {
            AsyncFlow::toList,
            f -> f.collect(Collectors.toList()),
            f -> f.collect(Collectors.mapping(String::valueOf, Collectors.joining(",", "[", "]"))),
            AsyncFlow::count,
            AsyncFlow::first,
            f -> f.fold(0, Integer::sum),
            f -> f.fold("", (acc, v) -> acc + v + ";"),
            f -> f.fold(0, (acc, v) -> v > 4 ? null : acc + v),
            f -> f.reduce(Integer::sum),
            f -> f.reduce((a, b) -> b > 4 ? null : a * b),
            f -> {
                f.forEach(v -> log.add("got " + v));
                return "done";
            },
            f -> {
                f.forEach(v -> {
                    if (v > 3) {
                        throw new IOException("consumer " + v);
                    }
                    log.add("got " + v);
                });
                return "done";
            },
        };
    }

    /** The result or failure of one run plus its side effects, as comparable text. */
    private String outcome(Pipeline pipeline, Terminal terminal, boolean forceKotlinx) {
        log.clear();
        AsyncFlow<Integer> flow = pipeline.apply(log);
        AsyncFlow<Integer> target = forceKotlinx ? AsyncFlow.from(flow.asFlow()) : flow;
        String result;
        try {
            result = "ok " + terminal.apply(target);
        } catch (Throwable t) {
            result = describe(t);
        }
        return result + " | log " + log;
    }

    private static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder("threw");
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            sb.append(' ').append(c.getClass().getName()).append(": ").append(c.getMessage());
        }
        sb.append(" suppressed ").append(t.getSuppressed().length);
        return sb.toString();
    }

    @Test
    void everyPipelineAndTerminalMatchesTheKotlinxPath() {
        Terminal[] terminals = terminals();
        int compared = 0;
        for (int p = 0; p < PIPELINES.length; p++) {
            for (int t = 0; t < terminals.length; t++) {
                String kotlinx = outcome(PIPELINES[p], terminals[t], true);
                String fused = outcome(PIPELINES[p], terminals[t], false);
                assertEquals(kotlinx, fused, "pipeline " + p + ", terminal " + t);
                compared++;
            }
        }
        assertEquals(PIPELINES.length * terminals.length, compared);
    }

    /** Every pipeline of the matrix through {@code terminal}, fused vs kotlinx. */
    private void assertMatchesTheKotlinxPath(String name, Terminal terminal) {
        for (int p = 0; p < PIPELINES.length; p++) {
            String kotlinx = outcome(PIPELINES[p], terminal, true);
            String fused = outcome(PIPELINES[p], terminal, false);
            assertEquals(kotlinx, fused, name + ", pipeline " + p);
        }
    }

    @Test
    void toSetMatchesTheKotlinxPath() {
        assertMatchesTheKotlinxPath("toSet", AsyncFlow::toSet);
        assertMatchesTheKotlinxPath(
                "toSet of duplicates", f -> f.map(v -> v % 3).toSet());
    }

    @Test
    void singleMatchesTheKotlinxPath() {
        assertMatchesTheKotlinxPath("single", AsyncFlow::single);
        assertMatchesTheKotlinxPath("single of one", f -> f.take(1).single());
    }

    @Test
    void anyMatchesTheKotlinxPath() {
        assertMatchesTheKotlinxPath("any > 2", f -> f.any(v -> v > 2));
        assertMatchesTheKotlinxPath("any never", f -> f.any(v -> false));
        assertMatchesTheKotlinxPath(
                "any throwing",
                f -> f.any(v -> {
                    if (v > 1) {
                        throw new IOException("predicate " + v);
                    }
                    return false;
                }));
    }

    @Test
    void allMatchesTheKotlinxPath() {
        assertMatchesTheKotlinxPath("all < 4", f -> f.all(v -> v < 4));
        assertMatchesTheKotlinxPath("all always", f -> f.all(v -> true));
        assertMatchesTheKotlinxPath(
                "all throwing",
                f -> f.all(v -> {
                    if (v > 1) {
                        throw new IllegalStateException("predicate " + v);
                    }
                    return true;
                }));
    }

    @Test
    void noneMatchesTheKotlinxPath() {
        assertMatchesTheKotlinxPath("none > 2", f -> f.none(v -> v > 2));
        assertMatchesTheKotlinxPath("none never", f -> f.none(v -> false));
    }

    @Test
    void toSetSingleAndAnyTakeTheFusedLoop() {
        List<Boolean> fused = new ArrayList<>();
        AsyncFlow<Integer> probe =
                AsyncFlow.range(0, 3).onEach(v -> fused.add(fusedOnStack())).map(v -> v);
        assertEquals(java.util.Set.of(0, 1, 2), probe.toSet());
        assertEquals(2, probe.filter(v -> v == 2).single());
        assertTrue(probe.any(v -> v == 1));
        assertTrue(probe.all(v -> v < 3));
        assertTrue(probe.none(v -> v > 5));
        assertEquals(3 + 3 + 2 + 3 + 3, fused.size());
        assertFalse(fused.contains(false));
    }

    @Test
    void matrixSpotChecksHaveTheExpectedValues() {
        assertEquals(
                List.of(0, 6, 12, 18, 24, 30, 36),
                AsyncFlow.range(0, 20).map(v -> v * 2).filter(v -> v % 3 == 0).toList());
        assertEquals(
                List.of(105, 101, 103),
                AsyncFlow.of(5, 1, 4, 2, 3)
                        .filterNot(v -> v % 2 == 0)
                        .map(v -> v + 100)
                        .toList());
        assertEquals(Optional.of(4), AsyncFlow.range(4, 9).first());
        assertEquals(
                List.of(5, 1, 7),
                AsyncFlow.of(1, 2, 5, 1, 7).dropWhile(v -> v < 3).toList());
        assertEquals(45L, (long) AsyncFlow.range(0, 10).fold(0, Integer::sum));

        NullPointerException npe = assertThrows(
                NullPointerException.class,
                () -> AsyncFlow.range(1, 5).map(v -> v == 3 ? null : v).toList());
        assertEquals(
                "map: the function returned null for 3; AsyncFlow elements are non-null "
                        + "(use mapNotNull to drop elements)",
                npe.getMessage());
        UncheckedIOException io = assertThrows(
                UncheckedIOException.class,
                () -> AsyncFlow.range(1, 5)
                        .map(v -> {
                            throw new IOException("io");
                        })
                        .count());
        assertInstanceOf(IOException.class, io.getCause());
        CompletionException ce = assertThrows(
                CompletionException.class,
                () -> AsyncFlow.range(1, 5)
                        .filter(v -> {
                            throw new Exception("checked");
                        })
                        .toList());
        assertEquals("checked", ce.getCause().getMessage());
        NullPointerException src = assertThrows(
                NullPointerException.class,
                () -> AsyncFlow.fromIterable(Arrays.asList(1, null)).toList());
        assertTrue(src.getMessage().startsWith("AsyncFlow.fromIterable: the source contains null"), src.getMessage());
    }

    // ---- early stop and closing --------------------------------------------------------------

    /** An iterable that counts how many elements its iterators produced. */
    private static Iterable<Integer> counting(AtomicInteger produced, int size) {
        return () -> new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < size;
            }

            @Override
            public Integer next() {
                produced.incrementAndGet();
                return next++;
            }
        };
    }

    @Test
    void takeTakeWhileAndFirstStopTheSourceEarly() {
        AtomicInteger produced = new AtomicInteger();
        AsyncFlow<Integer> source = AsyncFlow.fromIterable(counting(produced, 1_000_000));

        assertEquals(List.of(0, 2, 4), source.map(v -> v * 2).take(3).toList());
        assertEquals(3, produced.getAndSet(0));

        assertEquals(List.of(0, 1, 2), source.takeWhile(v -> v < 3).toList());
        assertEquals(4, produced.getAndSet(0));

        assertEquals(Optional.of(10), source.filter(v -> v >= 10).first());
        assertEquals(11, produced.getAndSet(0));

        // the same counts on the kotlinx path
        assertEquals(
                List.of(0, 2, 4),
                AsyncFlow.from(source.map(v -> v * 2).take(3).asFlow()).toList());
        assertEquals(3, produced.get());
    }

    @Test
    void streamsAreClosedOnEveryExitPath() {
        AtomicInteger closed = new AtomicInteger();
        AsyncFlow<Integer> source = AsyncFlow.fromStream(
                () -> Stream.iterate(0, i -> i + 1).limit(1000).onClose(closed::incrementAndGet));

        assertEquals(1000L, source.count());
        assertEquals(1, closed.getAndSet(0), "completion");

        assertEquals(List.of(0, 1), source.take(2).toList());
        assertEquals(1, closed.getAndSet(0), "take");

        assertEquals(Optional.of(0), source.first());
        assertEquals(1, closed.getAndSet(0), "first");

        assertThrows(
                IllegalStateException.class,
                () -> source.map(v -> {
                            if (v == 5) {
                                throw new IllegalStateException("stage");
                            }
                            return v;
                        })
                        .toList());
        assertEquals(1, closed.getAndSet(0), "stage failure");

        assertThrows(
                UncheckedIOException.class,
                () -> source.forEach(v -> {
                    throw new IOException("terminal");
                }));
        assertEquals(1, closed.getAndSet(0), "terminal failure");

        Thread.currentThread().interrupt();
        assertThrows(CancellationException.class, source::toList);
        assertTrue(Thread.interrupted());
        assertEquals(1, closed.getAndSet(0), "interrupt");
    }

    // ---- interrupts ----------------------------------------------------------------------------

    @Test
    void anInterruptedCallerGetsCancellationWithTheFlagKept() {
        AtomicInteger seen = new AtomicInteger();
        CancellationException ce = assertThrows(
                CancellationException.class,
                () -> AsyncFlow.range(0, 1_000_000).map(v -> v + 1).forEach(v -> {
                    if (seen.incrementAndGet() == 5) {
                        Thread.currentThread().interrupt();
                    }
                }));
        assertTrue(Thread.currentThread().isInterrupted(), "flag kept");
        assertTrue(seen.get() <= 1024, "stopped within one check interval, saw " + seen.get());
        assertEquals(
                "blocking collection: the thread " + Thread.currentThread().getName() + " was interrupted",
                ce.getMessage());
        Thread.interrupted();

        Thread.currentThread().interrupt();
        AtomicInteger ran = new AtomicInteger();
        assertThrows(CancellationException.class, () -> AsyncFlow.range(0, 10).forEach(v -> ran.incrementAndGet()));
        assertTrue(Thread.currentThread().isInterrupted());
        assertEquals(0, ran.get(), "an already interrupted caller runs no element");
    }

    @Test
    void aLambdaThrowingInterruptedExceptionBehavesAsOnTheKotlinxPath() {
        Terminal[] both = {f -> f.toList()};
        Pipeline p = l -> AsyncFlow.range(0, 3).map(v -> {
            throw new InterruptedException("stop");
        });
        String kotlinx = outcome(p, both[0], true);
        boolean kotlinxFlag = Thread.interrupted();
        String fused = outcome(p, both[0], false);
        boolean fusedFlag = Thread.interrupted();
        assertEquals(kotlinx, fused);
        assertTrue(fused.contains(CancellationException.class.getName()), fused);
        assertEquals(kotlinxFlag, fusedFlag);
        assertTrue(fusedFlag);
    }

    // ---- which path runs -------------------------------------------------------------------------

    private static boolean kotlinxOnStack() {
        for (StackTraceElement e : new Throwable().getStackTrace()) {
            if (e.getClassName().startsWith("kotlinx.coroutines")) {
                return true;
            }
        }
        return false;
    }

    private static boolean fusedOnStack() {
        for (StackTraceElement e : new Throwable().getStackTrace()) {
            if (e.getClassName().equals(Fused.class.getName())) {
                return true;
            }
        }
        return false;
    }

    @Test
    void blockingTerminalsOutsideACoroutineTakeTheFusedLoop() {
        AsyncFlow<Integer> flow = AsyncFlow.range(0, 3).map(v -> v + 1).filter(v -> true);
        List<Boolean> fused = new ArrayList<>();
        List<Boolean> kotlinx = new ArrayList<>();
        flow.onEach(v -> {
                    fused.add(fusedOnStack());
                    kotlinx.add(kotlinxOnStack());
                })
                .forEach(v -> {});
        assertEquals(List.of(true, true, true), fused);
        assertEquals(List.of(false, false, false), kotlinx);

        // the probe itself can see the difference
        fused.clear();
        kotlinx.clear();
        AsyncFlow.from(flow.asFlow()).forEach(v -> {
            fused.add(fusedOnStack());
            kotlinx.add(kotlinxOnStack());
        });
        assertEquals(List.of(false, false, false), fused);
        assertEquals(List.of(true, true, true), kotlinx);
    }

    @Test
    void nonFusableStagesAndCoroutineCallersUseKotlinx() {
        List<Boolean> fused = new ArrayList<>();
        AsyncFlow<Integer> probe = AsyncFlow.range(0, 2).onEach(v -> fused.add(fusedOnStack()));

        assertEquals(List.of(0, 1), probe.buffer(0).map(v -> v).toList()); // a rendezvous is kotlinx's
        assertEquals(List.of(false, false), fused);
        fused.clear();

        assertEquals(List.of(0, 1), probe.buffer().map(v -> v).toList()); // FusedBuffer: fused on both sides
        assertEquals(List.of(true, true), fused);
        fused.clear();

        assertEquals(
                List.of(0, 1),
                AsyncFlow.generate(e -> {
                            e.emit(0);
                            e.emit(1);
                        })
                        .onEach(v -> fused.add(fusedOnStack()))
                        .take(5)
                        .toList());
        assertEquals(List.of(true, true), fused, "a generator's emits feed the fused stages directly");
        fused.clear();

        assertEquals(List.of(0, 1), Coroutines.run(scope -> {
            assertTrue(Suspend.inCoroutine());
            return probe.map(v -> v).toList();
        }));
        assertEquals(List.of(false, false), fused);
    }

    @Test
    void kotlinCollectorsStillSeeTheKotlinxFlow() {
        AsyncFlow<Integer> flow = AsyncFlow.range(0, 10)
                .map(v -> v * 3)
                .filterNot(v -> v % 2 == 0)
                .take(3);
        List<Integer> viaKotlin = Suspend.call(c -> FlowKt.toList(flow, new ArrayList<>(), c));
        assertEquals(List.of(3, 9, 15), viaKotlin);
        assertEquals(viaKotlin, flow.toList());
        assertEquals(viaKotlin, flow.toListAsync().join());
        assertFalse(flow.asFlow() instanceof AsyncFlow);
        assertEquals(List.of(3, 9), flow.zip(AsyncFlow.of(1, 2), (a, b) -> a).toList());
    }

    @Test
    void aFusedFlowCanBeCollectedAgainWithFreshStageState() {
        AsyncFlow<Integer> flow =
                AsyncFlow.range(0, 10).drop(2).dropWhile(v -> v < 4).take(3);
        assertEquals(List.of(4, 5, 6), flow.toList());
        assertEquals(List.of(4, 5, 6), flow.toList());
        assertEquals(3L, flow.count());
    }
}
