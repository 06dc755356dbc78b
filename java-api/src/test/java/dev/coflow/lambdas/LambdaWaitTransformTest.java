package dev.coflow.lambdas;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.coflow.AsyncFlow;
import dev.coflow.test.VirtualTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * "Suspend-like everywhere" for the per-element operator lambdas: {@code map}, {@code filter},
 * {@code filterNot}, {@code mapNotNull}, {@code onEach}, {@code transform}, {@code scan},
 * {@code takeWhile}, {@code dropWhile}, {@code distinctUntilChangedBy} and
 * {@code distinctUntilChanged(areEquivalent)}.
 *
 * <p>Rule checked: such a lambda may wait with {@code Suspend.delay} or {@code Suspend.await}
 * like a generator body. Its results are right on every driver path (plain Java, inside
 * {@code Coroutines.run}, under virtual time, collected by kotlinx on {@code Dispatchers.Default},
 * behind {@code buffer(2)} and {@code flowOn(IO)}), over a fusable {@code range} and over a
 * generator; under virtual time n waiting calls of d ms take exactly n*d on the virtual clock and
 * no wall time; {@code take(1)}, {@code timeout}, a cancelled {@code toListAsync()} future and an
 * interrupted caller cancel a lambda that is waiting, running its {@code finally} once; a
 * blocking terminal nested in a lambda works on every path.
 */
class LambdaWaitTransformTest extends LambdaWaitTestBase {

    /** The operators under test, over the elements 1, 2, 3; {@code side} collects side effects. */
    enum Op {
        MAP(List.of(10, 20, 30), 3) {
            AsyncFlow<?> build(AsyncFlow<Integer> s, Hook h, List<Object> side) {
                return s.map(i -> h.at(i) * 10);
            }
        },
        FILTER(List.of(1, 3), 3) {
            AsyncFlow<?> build(AsyncFlow<Integer> s, Hook h, List<Object> side) {
                return s.filter(i -> h.at(i) % 2 == 1);
            }
        },
        FILTER_NOT(List.of(2), 3) {
            AsyncFlow<?> build(AsyncFlow<Integer> s, Hook h, List<Object> side) {
                return s.filterNot(i -> h.at(i) % 2 == 1);
            }
        },
        MAP_NOT_NULL(List.of(10, 30), 3) {
            AsyncFlow<?> build(AsyncFlow<Integer> s, Hook h, List<Object> side) {
                return s.mapNotNull(i -> {
                    int v = h.at(i);
                    return v == 2 ? null : v * 10;
                });
            }
        },
        ON_EACH(List.of(1, 2, 3), 3) {
            AsyncFlow<?> build(AsyncFlow<Integer> s, Hook h, List<Object> side) {
                return s.onEach(i -> side.add(h.at(i) * 100));
            }

            @Override
            List<?> expectedSide() {
                return List.of(100, 200, 300);
            }
        },
        TRANSFORM(List.of(1, -1, 2, -2, 3, -3), 3) {
            AsyncFlow<?> build(AsyncFlow<Integer> s, Hook h, List<Object> side) {
                return s.<Integer>transform((i, out) -> {
                    int v = h.at(i);
                    out.emit(v);
                    out.emit(-v);
                });
            }
        },
        SCAN(List.of(0, 1, 3, 6), 3) {
            AsyncFlow<?> build(AsyncFlow<Integer> s, Hook h, List<Object> side) {
                return s.scan(0, (acc, i) -> acc + h.at(i));
            }
        },
        TAKE_WHILE(List.of(1, 2), 3) {
            AsyncFlow<?> build(AsyncFlow<Integer> s, Hook h, List<Object> side) {
                return s.takeWhile(i -> h.at(i) < 3);
            }
        },
        DROP_WHILE(List.of(2, 3), 2) {
            AsyncFlow<?> build(AsyncFlow<Integer> s, Hook h, List<Object> side) {
                return s.dropWhile(i -> h.at(i) < 2);
            }
        },
        DISTINCT_UNTIL_CHANGED_BY(List.of(1, 2), 3) {
            AsyncFlow<?> build(AsyncFlow<Integer> s, Hook h, List<Object> side) {
                return s.distinctUntilChangedBy(i -> h.at(i) / 2); // keys 0, 1, 1
            }
        },
        DISTINCT_UNTIL_CHANGED_WITH(List.of(1, 2), 2) {
            AsyncFlow<?> build(AsyncFlow<Integer> s, Hook h, List<Object> side) {
                return s.distinctUntilChanged((last, next) -> h.at(last) / 2 == next / 2);
            }
        };

        final List<?> expected;
        /** How many times the lambda runs for the elements 1, 2, 3. */
        final int calls;

        Op(List<?> expected, int calls) {
            this.expected = expected;
            this.calls = calls;
        }

        abstract AsyncFlow<?> build(AsyncFlow<Integer> source, Hook hook, List<Object> side);

        List<?> expectedSide() {
            return List.of();
        }
    }

    static Stream<Arguments> everyCombination() {
        return product(Op.values(), Source.values(), Path.values(), Wait.values());
    }

    static Stream<Arguments> opsAndSources() {
        return Arrays.stream(Op.values())
                .flatMap(op -> Arrays.stream(Source.values()).map(s -> Arguments.of(op, s)));
    }

    // ------------------------------------------------------------------ 1 and 3: values on every path

    @ParameterizedTest(name = "{0} over {1}, {2}, lambda uses Suspend.{3}")
    @MethodSource("everyCombination")
    void lambdaThatWaitsGivesTheRightValues(Op op, Source source, Path path, Wait wait) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        List<Object> side = Collections.synchronizedList(new ArrayList<>());
        List<?> got = promptly(op + " on " + path, () -> path.toList(op.build(source.flow(), wait.hook(calls), side)));
        assertEquals(op.expected, got);
        assertEquals(op.expectedSide(), List.copyOf(side));
        assertEquals(op.calls, calls.get(), "lambda calls");
    }

    // ------------------------------------------------------------------ 2: virtual time

    @ParameterizedTest(name = "{0} over {1}: n calls of Suspend.delay(100) take n*100 virtual ms")
    @MethodSource("opsAndSources")
    void delaysInTheLambdaRunOnTheVirtualClock(Op op, Source source) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        long[] now = new long[1];
        List<?> got = promptly(
                op + " under virtual time",
                () -> VirtualTime.call(scope -> {
                    List<?> r = op.build(
                                    source.flow(), delayHook(D, calls), Collections.synchronizedList(new ArrayList<>()))
                            .toList();
                    now[0] = scope.currentTime();
                    return r;
                }));
        assertEquals(op.expected, got);
        assertEquals(op.calls, calls.get(), "lambda calls");
        assertEquals(op.calls * D, now[0], "virtual time after " + op.calls + " waits of " + D + " ms");
    }

    @ParameterizedTest(name = "{0} over {1}, behind buffer(2): waits still move the virtual clock")
    @MethodSource("opsAndSources")
    void delaysInTheLambdaRunOnTheVirtualClockBehindABuffer(Op op, Source source) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        long[] now = new long[1];
        List<?> got = promptly(
                op + " + buffer(2) under virtual time",
                () -> VirtualTime.call(scope -> {
                    List<?> r = op.build(
                                    source.flow(), delayHook(D, calls), Collections.synchronizedList(new ArrayList<>()))
                            .buffer(2)
                            .toList();
                    now[0] = scope.currentTime();
                    return r;
                }));
        assertEquals(op.expected, got);
        assertEquals(op.calls * D, now[0], "virtual time");
    }

    @ParameterizedTest(name = "{0}: Suspend.await of futures a child completes every 100 virtual ms")
    @EnumSource(Op.class)
    void awaitInTheLambdaOfAFutureCompletedByAnotherCoroutine(Op op) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        long[] now = new long[1];
        List<?> got = promptly(
                op + " awaiting a child's futures",
                () -> VirtualTime.call(scope -> {
                    Hook hook = childCompletedHook(scope, 3, calls);
                    List<?> r = op.build(Source.GENERATOR.flow(), hook, Collections.synchronizedList(new ArrayList<>()))
                            .toList();
                    now[0] = scope.currentTime();
                    return r;
                }));
        assertEquals(op.expected, got);
        assertEquals(op.calls * D, now[0], "virtual time");
    }

    // ------------------------------------------------------------------ 4: cancellation while the lambda waits

    @ParameterizedTest(name = "{0} over {1}: take(1) cancels the lambda waiting ahead behind buffer(2)")
    @MethodSource("cancellableAhead")
    void takeOneCancelsALambdaThatWaitsForLaterElements(Op op, Source source) throws Exception {
        Once sourceFinally = new Once();
        assertTakeOneCancelsAWaitAhead(
                h -> op.build(source.flow(5, sourceFinally), h, new ArrayList<>()), op.expected.get(0));
        if (source.hasFinally()) {
            assertRanOnce(sourceFinally, "the generator's finally");
        }
    }

    static Stream<Arguments> cancellableAhead() {
        // the operators whose first output needs only the lambda's first call
        return opsAndSources().filter(a -> a.get()[0] != Op.FILTER_NOT && a.get()[0] != Op.DROP_WHILE);
    }

    @ParameterizedTest(name = "{0}: take(1) under virtual time waits for nothing")
    @MethodSource("cancellableAheadOps")
    void takeOneUnderVirtualTimeDoesNotWaitForLaterElements(Op op) throws Exception {
        assertTakeOneDoesNotWaitOnTheVirtualClock(
                h -> op.build(Source.GENERATOR.flow(5, null), h, new ArrayList<>()), op.expected.get(0));
    }

    static Stream<Op> cancellableAheadOps() {
        return Arrays.stream(Op.values()).filter(op -> op != Op.FILTER_NOT && op != Op.DROP_WHILE);
    }

    @ParameterizedTest(name = "{0} over {1}: timeout(200 ms) cancels a 10 s wait at virtual 200 ms")
    @MethodSource("opsAndSources")
    void timeoutCancelsTheWaitingLambdaOnTheVirtualClock(Op op, Source source) throws Exception {
        Once sourceFinally = new Once();
        assertTimeoutCancelsOnTheVirtualClock(h -> op.build(source.flow(3, sourceFinally), h, new ArrayList<>())
                .timeout(LIMIT)
                .toList());
        if (source.hasFinally()) {
            assertRanOnce(sourceFinally, "the generator's finally");
        }
    }

    @ParameterizedTest(name = "onEach(Suspend.delay(10_000)).timeout(200 ms) over {0}, {1}: fails promptly")
    @MethodSource("timeoutPaths")
    void timeoutAroundAWaitingOnEachFailsPromptly(Source source, Path path) throws Exception {
        assertTimeoutIsPromptInRealTime(
                h -> path.toList(source.flow().onEach(h::at).timeout(LIMIT)));
    }

    static Stream<Arguments> timeoutPaths() {
        return Stream.of(
                Arguments.of(Source.RANGE, Path.BLOCKING), Arguments.of(Source.GENERATOR, Path.COROUTINES_RUN));
    }

    @ParameterizedTest(name = "{0} over {1}: cancelling toListAsync() ends the lambda's wait")
    @MethodSource("opsAndSources")
    void cancellingToListAsyncCancelsTheWaitingLambda(Op op, Source source) throws Exception {
        Once sourceFinally = new Once();
        assertCancellingTheFutureCancels(h ->
                op.build(source.flow(3, sourceFinally), h, new ArrayList<>()).toListAsync());
        if (source.hasFinally()) {
            assertRanOnce(sourceFinally, "the generator's finally");
        }
    }

    @ParameterizedTest(name = "{0} over {1}: interrupting the thread blocked in toList() cancels the lambda")
    @MethodSource("opsAndSources")
    void interruptingTheBlockedCallerCancelsTheWaitingLambda(Op op, Source source) throws Exception {
        Once sourceFinally = new Once();
        assertInterruptCancels(h ->
                op.build(source.flow(3, sourceFinally), h, new ArrayList<>()).toList());
        if (source.hasFinally()) {
            assertRanOnce(sourceFinally, "the generator's finally");
        }
    }

    // ------------------------------------------------------------------ 6: a blocking terminal nested in a lambda

    @ParameterizedTest(name = "map(x -> lookup.first().get() + x), {0}, 50 runs")
    @EnumSource(Path.class)
    void aBlockingTerminalNestedInAMapLambdaWorksOnEveryPath(Path path) throws Exception {
        promptly("50 runs with a nested first() on " + path, () -> {
            for (int run = 0; run < 50; run++) {
                int k = run * 10;
                AsyncFlow<Integer> lookup = AsyncFlow.generate(e -> e.emit(k));
                AsyncFlow<Integer> flow = AsyncFlow.<Integer>generate(e -> {
                            for (int i = 0; i < 3; i++) {
                                e.emit(i);
                            }
                        })
                        .map(x -> lookup.first().get() + x);
                assertEquals(List.of(k, k + 1, k + 2), path.toList(flow), "run " + run);
            }
            return null;
        });
    }
}
