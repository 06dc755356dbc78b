package dev.coflow.lambdas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coflow.AsyncFlow;
import dev.coflow.test.VirtualTime;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * "Suspend-like everywhere" for the lambdas that join flows: the mappers of
 * {@code flatMapConcat} and {@code flatMapMerge} and the combiners of {@code zip} and
 * {@code combine}.
 *
 * <p>Rule checked: these lambdas may wait with {@code Suspend.delay} or {@code Suspend.await}
 * like a generator body, with the right results on every driver path and source; under virtual
 * time n waiting calls of d ms read exactly n*d; and {@code take(1)}, {@code timeout}, a cancelled
 * {@code toListAsync()} and an interrupted caller cancel a waiting mapper or combiner (its
 * {@code finally} runs once) while the other flows involved are cancelled too.
 */
class LambdaWaitFlatMapZipTest extends LambdaWaitTestBase {

    /** The operators under test, over the elements 1, 2, 3. */
    enum Op {
        FLAT_MAP_CONCAT(3) {
            AsyncFlow<?> build(AsyncFlow<Integer> s, Hook h) {
                return s.flatMapConcat(i -> {
                    int v = h.at(i);
                    return AsyncFlow.of(v, v * 10);
                });
            }

            void verify(List<?> got, int calls) {
                assertEquals(List.of(1, 10, 2, 20, 3, 30), got);
            }
        },
        FLAT_MAP_MERGE(3) {
            AsyncFlow<?> build(AsyncFlow<Integer> s, Hook h) {
                return s.flatMapMerge(i -> {
                    int v = h.at(i);
                    return AsyncFlow.of(v, v * 10);
                });
            }

            void verify(List<?> got, int calls) {
                // no order between inner flows; each inner flow's own order is kept
                assertEquals(
                        List.of(1, 2, 3, 10, 20, 30),
                        got.stream().map(Integer.class::cast).sorted().toList());
                for (int v = 1; v <= 3; v++) {
                    assertTrue(got.indexOf(v) < got.indexOf(v * 10), "inner order of " + v + " in " + got);
                }
            }
        },
        ZIP(3) {
            AsyncFlow<?> build(AsyncFlow<Integer> s, Hook h) {
                return s.zip(AsyncFlow.of(100, 200, 300), (a, b) -> h.at(a) + b);
            }

            void verify(List<?> got, int calls) {
                assertEquals(List.of(101, 202, 303), got);
            }
        },
        COMBINE(-1) {
            AsyncFlow<?> build(AsyncFlow<Integer> s, Hook h) {
                return s.combine(AsyncFlow.of(100), (a, b) -> h.at(a) + b);
            }

            void verify(List<?> got, int calls) {
                // which pairs are combined depends on timing; the last one is always (3, 100)
                assertFalse(got.isEmpty());
                assertEquals(103, got.get(got.size() - 1), "the last combination in " + got);
                int previous = 100;
                for (Object o : got) {
                    int v = (Integer) o;
                    assertTrue(Set.of(101, 102, 103).contains(v) && v > previous, "combinations " + got);
                    previous = v;
                }
                assertEquals(got.size(), calls, "one combiner call per emitted combination");
            }
        };

        /** How many times the lambda runs for the elements 1, 2, 3, or -1 if that depends on timing. */
        final int calls;

        Op(int calls) {
            this.calls = calls;
        }

        abstract AsyncFlow<?> build(AsyncFlow<Integer> source, Hook hook);

        abstract void verify(List<?> got, int calls);

        /** The first element for the sources 1..5 (take-one test; not for combine). */
        Object first() {
            return switch (this) {
                case FLAT_MAP_CONCAT, FLAT_MAP_MERGE -> 1;
                case ZIP -> 101;
                case COMBINE -> throw new AssertionError("depends on timing");
            };
        }

        void verifyCalls(int actual) {
            if (calls >= 0) {
                assertEquals(calls, actual, "lambda calls");
            }
        }
    }

    static Stream<Arguments> everyCombination() {
        return product(Op.values(), Source.values(), Path.values(), Wait.values());
    }

    /** combine is left out of the take-one test: which pairs it combines depends on timing, so there may be no later call to wait in. */
    static Stream<Arguments> opsAndSourcesButCombine() {
        return opsAndSources().filter(a -> a.get()[0] != Op.COMBINE);
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
        List<?> got = promptly(op + " on " + path, () -> path.toList(op.build(source.flow(), wait.hook(calls))));
        op.verify(got, calls.get());
        op.verifyCalls(calls.get());
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
                    List<?> r = op.build(source.flow(), delayHook(D, calls)).toList();
                    now[0] = scope.currentTime();
                    return r;
                }));
        op.verify(got, calls.get());
        op.verifyCalls(calls.get());
        assertEquals(calls.get() * D, now[0], "virtual time after " + calls.get() + " waits of " + D + " ms");
    }

    @ParameterizedTest(name = "{0}: Suspend.await of futures a child completes every 100 virtual ms")
    @EnumSource(Op.class)
    void awaitInTheLambdaOfAFutureCompletedByAnotherCoroutine(Op op) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        long[] now = new long[1];
        List<?> got = promptly(
                op + " awaiting a child's futures",
                () -> VirtualTime.call(scope -> {
                    List<?> r = op.build(Source.GENERATOR.flow(), childCompletedHook(scope, 3, calls))
                            .toList();
                    now[0] = scope.currentTime();
                    return r;
                }));
        op.verify(got, calls.get());
        assertEquals(calls.get() * D, now[0], "virtual time");
    }

    // ------------------------------------------------------------------ 4: cancellation while the lambda waits

    @ParameterizedTest(name = "{0} over {1}: take(1) cancels the lambda waiting ahead behind buffer(2)")
    @MethodSource("opsAndSourcesButCombine")
    void takeOneCancelsALambdaThatWaitsForLaterElements(Op op, Source source) throws Exception {
        Once sourceFinally = new Once();
        assertTakeOneCancelsAWaitAhead(h -> op.build(source.flow(5, sourceFinally), h), op.first());
        if (source.hasFinally()) {
            assertRanOnce(sourceFinally, "the generator's finally");
        }
    }

    @ParameterizedTest(name = "{0} over {1}: timeout(200 ms) cancels a 10 s wait at virtual 200 ms")
    @MethodSource("opsAndSources")
    void timeoutCancelsTheWaitingLambdaOnTheVirtualClock(Op op, Source source) throws Exception {
        Once sourceFinally = new Once();
        assertTimeoutCancelsOnTheVirtualClock(
                h -> op.build(source.flow(3, sourceFinally), h).timeout(LIMIT).toList());
        if (source.hasFinally()) {
            assertRanOnce(sourceFinally, "the generator's finally");
        }
    }

    @ParameterizedTest(name = "flatMapMerge mapper waiting 10 s, timeout(200 ms), {0}: fails promptly")
    @EnumSource(
            value = Path.class,
            names = {"BLOCKING", "COROUTINES_RUN"})
    void timeoutAroundAWaitingMapperFailsPromptly(Path path) throws Exception {
        assertTimeoutIsPromptInRealTime(h ->
                path.toList(Op.FLAT_MAP_MERGE.build(Source.GENERATOR.flow(), h).timeout(LIMIT)));
    }

    @ParameterizedTest(name = "{0} over {1}: cancelling toListAsync() ends the lambda's wait")
    @MethodSource("opsAndSources")
    void cancellingToListAsyncCancelsTheWaitingLambda(Op op, Source source) throws Exception {
        Once sourceFinally = new Once();
        assertCancellingTheFutureCancels(
                h -> op.build(source.flow(3, sourceFinally), h).toListAsync());
        if (source.hasFinally()) {
            assertRanOnce(sourceFinally, "the generator's finally");
        }
    }

    @ParameterizedTest(name = "{0} over {1}: interrupting the thread blocked in toList() cancels the lambda")
    @MethodSource("opsAndSources")
    void interruptingTheBlockedCallerCancelsTheWaitingLambda(Op op, Source source) throws Exception {
        Once sourceFinally = new Once();
        assertInterruptCancels(h -> op.build(source.flow(3, sourceFinally), h).toList());
        if (source.hasFinally()) {
            assertRanOnce(sourceFinally, "the generator's finally");
        }
    }
}
