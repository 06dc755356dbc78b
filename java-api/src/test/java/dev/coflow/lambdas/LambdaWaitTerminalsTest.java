package dev.coflow.lambdas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coflow.AsyncFlow;
import dev.coflow.CloseableIterator;
import dev.coflow.bridge.Coroutines;
import dev.coflow.bridge.Suspend;
import dev.coflow.test.VirtualTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collector;
import java.util.stream.Stream;
import kotlinx.coroutines.CoroutineStart;
import kotlinx.coroutines.Dispatchers;
import kotlinx.coroutines.GlobalScope;
import kotlinx.coroutines.future.FutureKt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * "Suspend-like everywhere" for the lambdas of terminals: {@code forEach}, {@code fold},
 * {@code reduce}, {@code collect} with a JDK {@link Collector} whose accumulator waits,
 * {@code toMap}, {@code any}, {@code forEachAsync} and {@code collectAsync}; plus the laziness of
 * {@code iterator()} and {@code stream()}.
 *
 * <p>Rule checked: a terminal's lambda may wait with {@code Suspend.delay} or
 * {@code Suspend.await} wherever the terminal is called (plain Java, {@code Coroutines.run},
 * {@code VirtualTime.run}, a Java body started by kotlinx on {@code Dispatchers.Default}, over a
 * {@code buffer(2)} or {@code flowOn(IO)} source) with the right result; under virtual time n waits
 * of d ms read exactly n*d; {@code timeout}, an interrupted caller and a cancelled
 * {@code forEachAsync}/{@code collectAsync} future cancel a waiting lambda (its {@code finally}
 * runs once); a waiting {@code forEachAsync} lambda does not hold a kotlinx worker thread; and
 * {@code iterator()}/{@code stream()} run the producer no further than the consumer asked.
 */
class LambdaWaitTerminalsTest extends LambdaWaitTestBase {

    /** The terminals under test, over the elements 1, 2, 3. */
    enum Terminal {
        FOR_EACH(List.of(1, 2, 3), 3) {
            Object run(AsyncFlow<Integer> s, Hook h) {
                List<Integer> out = Collections.synchronizedList(new ArrayList<>());
                s.forEach(i -> out.add(h.at(i)));
                return List.copyOf(out);
            }
        },
        FOLD(6, 3) {
            Object run(AsyncFlow<Integer> s, Hook h) {
                return s.fold(0, (acc, i) -> acc + h.at(i));
            }
        },
        REDUCE(Optional.of(6), 2) {
            Object run(AsyncFlow<Integer> s, Hook h) {
                return s.reduce((acc, i) -> acc + h.at(i));
            }
        },
        COLLECT(List.of(1, 2, 3), 3) {
            Object run(AsyncFlow<Integer> s, Hook h) {
                return s.collect(waitingCollector(h));
            }
        },
        TO_MAP(Map.of(1, 10, 2, 20, 3, 30), 3) {
            Object run(AsyncFlow<Integer> s, Hook h) {
                return s.toMap(i -> h.at(i), i -> i * 10);
            }
        },
        ANY(true, 2) {
            Object run(AsyncFlow<Integer> s, Hook h) {
                return s.any(i -> h.at(i) == 2);
            }
        },
        FOR_EACH_ASYNC(List.of(1, 2, 3), 3) {
            Object run(AsyncFlow<Integer> s, Hook h) {
                List<Integer> out = Collections.synchronizedList(new ArrayList<>());
                Suspend.await(s.forEachAsync(i -> out.add(h.at(i))));
                return List.copyOf(out);
            }

            @Override
            CompletableFuture<?> start(AsyncFlow<Integer> s, Hook h) {
                return s.forEachAsync(h::at);
            }
        },
        COLLECT_ASYNC(List.of(1, 2, 3), 3) {
            Object run(AsyncFlow<Integer> s, Hook h) {
                return Suspend.await(s.collectAsync(waitingCollector(h)));
            }

            @Override
            CompletableFuture<?> start(AsyncFlow<Integer> s, Hook h) {
                return s.collectAsync(waitingCollector(h));
            }
        };

        final Object expected;
        /** How many times the lambda runs for the elements 1, 2, 3. */
        final int calls;

        Terminal(Object expected, int calls) {
            this.expected = expected;
            this.calls = calls;
        }

        abstract Object run(AsyncFlow<Integer> source, Hook hook) throws Exception;

        /** The asynchronous terminals' future, to cancel. */
        CompletableFuture<?> start(AsyncFlow<Integer> source, Hook hook) {
            throw new UnsupportedOperationException(name() + " is blocking");
        }

        /**
         * Whether the terminal runs in the caller's coroutine. The asynchronous ones run on
         * {@code Dispatchers.Default} by contract, so their waits are real-time even under a
         * virtual-time test, and there is no blocked caller to interrupt.
         */
        boolean blocking() {
            return this != FOR_EACH_ASYNC && this != COLLECT_ASYNC;
        }
    }

    static Collector<Integer, List<Integer>, List<Integer>> waitingCollector(Hook h) {
        return Collector.of(
                ArrayList::new,
                (list, i) -> list.add(h.at(i)),
                (a, b) -> {
                    a.addAll(b);
                    return a;
                },
                List::copyOf);
    }

    static Stream<Arguments> everyCombination() {
        return product(Terminal.values(), Source.values(), Path.values(), Wait.values());
    }

    static Stream<Arguments> blockingTerminalsAndSources() {
        return Arrays.stream(Terminal.values())
                .filter(Terminal::blocking)
                .flatMap(t -> Arrays.stream(Source.values()).map(s -> Arguments.of(t, s)));
    }

    static Stream<Arguments> asyncTerminalsAndSources() {
        return Arrays.stream(Terminal.values())
                .filter(t -> !t.blocking())
                .flatMap(t -> Arrays.stream(Source.values()).map(s -> Arguments.of(t, s)));
    }

    static Stream<Terminal> blockingTerminals() {
        return Arrays.stream(Terminal.values()).filter(Terminal::blocking);
    }

    // ------------------------------------------------------------------ 1 and 3: values on every path

    @ParameterizedTest(name = "{0} over {1}, {2}, lambda uses Suspend.{3}")
    @MethodSource("everyCombination")
    void lambdaThatWaitsGivesTheRightResult(Terminal t, Source source, Path path, Wait wait) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Object got = promptly(t + " on " + path, () -> path.terminal(source.flow(), s -> t.run(s, wait.hook(calls))));
        assertEquals(t.expected, got);
        assertEquals(t.calls, calls.get(), "lambda calls");
    }

    // ------------------------------------------------------------------ 2: virtual time

    @ParameterizedTest(name = "{0} over {1}: n calls of Suspend.delay(100) take n*100 virtual ms")
    @MethodSource("blockingTerminalsAndSources")
    void delaysInTheLambdaRunOnTheVirtualClock(Terminal t, Source source) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        long[] now = new long[1];
        Object got = promptly(
                t + " under virtual time",
                () -> VirtualTime.call(scope -> {
                    Object r = t.run(source.flow(), delayHook(D, calls));
                    now[0] = scope.currentTime();
                    return r;
                }));
        assertEquals(t.expected, got);
        assertEquals(t.calls, calls.get(), "lambda calls");
        assertEquals(t.calls * D, now[0], "virtual time after " + t.calls + " waits of " + D + " ms");
    }

    @ParameterizedTest(name = "{0} over {1} + buffer(2): waits still move the virtual clock")
    @MethodSource("blockingTerminalsAndSources")
    void delaysInTheLambdaRunOnTheVirtualClockOverABufferedSource(Terminal t, Source source) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        long[] now = new long[1];
        Object got = promptly(
                t + " over buffer(2) under virtual time",
                () -> VirtualTime.call(scope -> {
                    Object r = t.run(source.flow().buffer(2), delayHook(D, calls));
                    now[0] = scope.currentTime();
                    return r;
                }));
        assertEquals(t.expected, got);
        assertEquals(t.calls * D, now[0], "virtual time");
    }

    @ParameterizedTest(name = "{0}: Suspend.await of futures a child completes every 100 virtual ms")
    @MethodSource("blockingTerminals")
    void awaitInTheLambdaOfAFutureCompletedByAnotherCoroutine(Terminal t) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        long[] now = new long[1];
        Object got = promptly(
                t + " awaiting a child's futures",
                () -> VirtualTime.call(scope -> {
                    Object r = t.run(Source.GENERATOR.flow(), childCompletedHook(scope, 3, calls));
                    now[0] = scope.currentTime();
                    return r;
                }));
        assertEquals(t.expected, got);
        assertEquals(t.calls * D, now[0], "virtual time");
    }

    // ------------------------------------------------------------------ 4: cancellation while the lambda waits

    @ParameterizedTest(
            name = "{0} over {1}: timeout(200 ms) on the source cancels the terminal's 10 s wait at virtual 200 ms")
    @MethodSource("blockingTerminalsAndSources")
    void timeoutCancelsTheWaitingLambdaOnTheVirtualClock(Terminal t, Source source) throws Exception {
        Once sourceFinally = new Once();
        assertTimeoutCancelsOnTheVirtualClock(
                h -> t.run(source.flow(3, sourceFinally).timeout(LIMIT), h));
        if (source.hasFinally()) {
            assertRanOnce(sourceFinally, "the generator's finally");
        }
    }

    @ParameterizedTest(name = "timeout(200 ms).forEach(Suspend.delay(10_000)) over {0}, {1}: fails promptly")
    @MethodSource("timeoutPaths")
    void timeoutAroundAWaitingForEachFailsPromptly(Source source, Path path) throws Exception {
        assertTimeoutIsPromptInRealTime(h -> path.terminal(source.flow().timeout(LIMIT), s -> {
            s.forEach(h::at);
            return null;
        }));
    }

    static Stream<Arguments> timeoutPaths() {
        return Stream.of(
                Arguments.of(Source.RANGE, Path.BLOCKING), Arguments.of(Source.GENERATOR, Path.COROUTINES_RUN));
    }

    @ParameterizedTest(name = "{0} over {1}: interrupting the blocked caller cancels the lambda")
    @MethodSource("blockingTerminalsAndSources")
    void interruptingTheBlockedCallerCancelsTheWaitingLambda(Terminal t, Source source) throws Exception {
        Once sourceFinally = new Once();
        assertInterruptCancels(h -> t.run(source.flow(3, sourceFinally), h));
        if (source.hasFinally()) {
            assertRanOnce(sourceFinally, "the generator's finally");
        }
    }

    @ParameterizedTest(name = "{0} over {1}: cancelling its future ends the lambda's wait")
    @MethodSource("asyncTerminalsAndSources")
    void cancellingTheAsyncTerminalsFutureCancelsTheWaitingLambda(Terminal t, Source source) throws Exception {
        Once sourceFinally = new Once();
        assertCancellingTheFutureCancels(h -> t.start(source.flow(3, sourceFinally), h));
        if (source.hasFinally()) {
            assertRanOnce(sourceFinally, "the generator's finally");
        }
    }

    // ------------------------------------------------------------------ 7: forEachAsync does not hold a worker

    @ParameterizedTest(name = "forEachAsync over {0}: after Suspend.delay the lambda is not on a kotlinx worker")
    @EnumSource(Source.class)
    void forEachAsyncLambdaDoesNotWaitOnAKotlinxWorker(Source source) throws Exception {
        // Expectation: a forEachAsync lambda that waits suspends its coroutine instead of sleeping on
        // the Dispatchers.Default thread that collects; so the code after the wait runs as a
        // coroutine body (a virtual thread), never on a "DefaultDispatcher-worker-N" thread.
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        getPromptly(
                source.flow().forEachAsync(i -> {
                    Suspend.delay(1);
                    threads.add(Thread.currentThread().getName());
                }),
                "forEachAsync");
        assertEquals(3, threads.size());
        for (String name : threads) {
            assertFalse(
                    name.startsWith("DefaultDispatcher-worker"),
                    "the lambda continued on a kotlinx worker after Suspend.delay: " + threads);
        }
    }

    @ParameterizedTest(name = "forEachAsync over {0}: waiting lambdas leave Dispatchers.Default free")
    @EnumSource(Source.class)
    void manyWaitingForEachAsyncLambdasDoNotStarveDispatchersDefault(Source source) throws Exception {
        int n = Runtime.getRuntime().availableProcessors() * 2 + 2; // more than Default has workers
        List<LongWait> waits = new ArrayList<>();
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            LongWait w = longWait(TEN_MINUTES);
            waits.add(w);
            futures.add(source.flow().forEachAsync(i -> w.run()));
        }
        for (LongWait w : waits) {
            awaitPromptly(w.entered, n + " forEachAsync lambdas did not all start waiting");
        }
        CompletableFuture<String> other = FutureKt.future(
                GlobalScope.INSTANCE, Dispatchers.getDefault(), CoroutineStart.DEFAULT, (scope, c) -> "ran");
        assertEquals(
                "ran", getPromptly(other, "a coroutine on Dispatchers.Default could not run while the lambdas waited"));
        futures.forEach(f -> f.cancel(true));
        for (LongWait w : waits) {
            assertRanOnce(w.done, "a cancelled forEachAsync lambda's finally");
        }
    }

    // ------------------------------------------------------------------ 9: iterator() and stream() laziness

    /** The generator of the laziness tests: logs before each emit and in its finally. */
    static AsyncFlow<Integer> loggingGenerator(List<String> log) {
        return AsyncFlow.generate(e -> {
            try {
                log.add("produce 0");
                e.emit(0);
                log.add("produce 1");
                e.emit(1);
            } finally {
                log.add("finally");
            }
        });
    }

    @ParameterizedTest(name = "iterator() {0}: the producer runs no further than the first element")
    @EnumSource(
            value = Path.class,
            names = {"BLOCKING", "COROUTINES_RUN", "VIRTUAL_TIME"})
    void iteratorStoppedAfterTheFirstElementRanOnlyThatFar(Path path) throws Exception {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        promptly(
                "iterator on " + path,
                () -> onPath(path, () -> {
                    try (CloseableIterator<Integer> it = loggingGenerator(log).iterator()) {
                        assertTrue(it.hasNext());
                        log.add("got " + it.next());
                    }
                    return null;
                }));
        assertEquals(List.of("produce 0", "got 0", "finally"), List.copyOf(log));
    }

    @ParameterizedTest(name = "stream().findFirst() {0}: the producer runs no further than the first element")
    @EnumSource(
            value = Path.class,
            names = {"BLOCKING", "COROUTINES_RUN", "VIRTUAL_TIME"})
    void streamFindFirstRanOnlyThatFar(Path path) throws Exception {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        promptly(
                "stream on " + path,
                () -> onPath(path, () -> {
                    try (Stream<Integer> s = loggingGenerator(log).stream()) {
                        log.add("got " + s.findFirst().orElseThrow());
                    }
                    return null;
                }));
        assertEquals(List.of("produce 0", "got 0", "finally"), List.copyOf(log));
    }

    /** Runs {@code body} from plain Java, inside {@code Coroutines.run} or inside {@code VirtualTime.run}. */
    static <T> T onPath(Path path, java.util.concurrent.Callable<T> body) throws Exception {
        return switch (path) {
            case BLOCKING -> body.call();
            case COROUTINES_RUN -> Coroutines.run(scope -> body.call());
            case VIRTUAL_TIME -> VirtualTime.call(scope -> body.call());
            default -> throw new IllegalArgumentException(path.name());
        };
    }
}
