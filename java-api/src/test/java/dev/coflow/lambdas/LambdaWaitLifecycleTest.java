package dev.coflow.lambdas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.coflow.AsyncFlow;
import dev.coflow.Page;
import dev.coflow.bridge.Suspend;
import dev.coflow.test.VirtualTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * "Suspend-like everywhere" for the lambdas around a flow's life: {@code onStart},
 * {@code onCompletion}, {@code onEmpty}, {@code catchError}, {@code retryWhen}, {@code using}'s
 * acquire and release, and the fetchers of {@code paginate} (with and without prefetch) and
 * {@code paginateByToken}.
 *
 * <p>Rule checked: these lambdas may wait with {@code Suspend.delay} or {@code Suspend.await}
 * with the right results on every driver path; under virtual time n waiting calls of d ms read
 * exactly n*d; {@code take(1)}, {@code timeout}, a cancelled {@code toListAsync()} and an
 * interrupted caller cancel a waiting lambda (its {@code finally} runs once), except {@code using}'s
 * release, which by contract waits in {@code nonCancellable}; and after {@code take(1)} the cause
 * {@code onCompletion} sees is a plain {@link CancellationException}, not a kotlinx internal.
 */
class LambdaWaitLifecycleTest extends LambdaWaitTestBase {

    static AsyncFlow<Integer> oneTwoThree() {
        return AsyncFlow.generate(e -> {
            for (int i = 1; i <= 3; i++) {
                e.emit(i);
            }
        });
    }

    /** The operators under test; each builds its own upstream. {@code side} collects side effects. */
    enum Op {
        ON_START(List.of(0, 1, 2, 3), 1) {
            AsyncFlow<?> build(Hook h, List<Object> side) {
                return oneTwoThree().onStart(out -> out.emit(h.at(0)));
            }
        },
        ON_COMPLETION(List.of(1, 2, 3), 1) {
            AsyncFlow<?> build(Hook h, List<Object> side) {
                return oneTwoThree().onCompletion(cause -> side.add(h.at(cause == null ? 9 : -1)));
            }

            @Override
            List<?> expectedSide() {
                return List.of(9);
            }
        },
        ON_EMPTY(List.of(7), 1) {
            AsyncFlow<?> build(Hook h, List<Object> side) {
                return AsyncFlow.<Integer>generate(e -> {}).onEmpty(out -> out.emit(h.at(7)));
            }
        },
        CATCH_ERROR(List.of(1, 2, 3), 1) {
            AsyncFlow<?> build(Hook h, List<Object> side) {
                return AsyncFlow.<Integer>generate(e -> {
                            e.emit(1);
                            e.emit(2);
                            throw new IllegalStateException("boom");
                        })
                        .catchError((t, out) -> out.emit(h.at(t instanceof IllegalStateException ? 3 : -1)));
            }
        },
        RETRY_WHEN(List.of(0, 1, 2), 2) {
            AsyncFlow<?> build(Hook h, List<Object> side) {
                AtomicInteger attempts = new AtomicInteger();
                return AsyncFlow.<Integer>generate(e -> {
                            int a = attempts.getAndIncrement();
                            e.emit(a);
                            if (a < 2) {
                                throw new IllegalStateException("attempt " + a);
                            }
                        })
                        .retryWhen((t, attempt) -> h.at(attempt.intValue()) < 2);
            }
        },
        USING_ACQUIRE(List.of(5, 6), 1) {
            AsyncFlow<?> build(Hook h, List<Object> side) {
                return AsyncFlow.<Integer, Integer>using(() -> h.at(5), r -> AsyncFlow.of(r, r + 1), r -> side.add(-r));
            }

            @Override
            List<?> expectedSide() {
                return List.of(-5);
            }
        },
        USING_RELEASE(List.of(5, 6), 1) {
            AsyncFlow<?> build(Hook h, List<Object> side) {
                return AsyncFlow.<Integer, Integer>using(() -> 5, r -> AsyncFlow.of(r, r + 1), r -> side.add(h.at(r)));
            }

            @Override
            List<?> expectedSide() {
                return List.of(5);
            }
        },
        PAGINATE(List.of(0, 1, 10, 11, 20, 21), 4) {
            AsyncFlow<?> build(Hook h, List<Object> side) {
                return AsyncFlow.paginate(page -> {
                    int p = h.at(page);
                    return p < 3 ? List.of(p * 10, p * 10 + 1) : List.of();
                });
            }
        },
        PAGINATE_PREFETCH(List.of(0, 1, 10, 11, 20, 21), 4) {
            AsyncFlow<?> build(Hook h, List<Object> side) {
                return AsyncFlow.paginate(
                        page -> {
                            int p = h.at(page);
                            return p < 3 ? List.of(p * 10, p * 10 + 1) : List.of();
                        },
                        1);
            }
        },
        PAGINATE_BY_TOKEN(List.of(0, 1, 2), 3) {
            AsyncFlow<?> build(Hook h, List<Object> side) {
                return AsyncFlow.paginateByToken(null, token -> {
                    int p = h.at(token == null ? 0 : Integer.parseInt(token));
                    return p < 2 ? new Page<>(List.of(p), String.valueOf(p + 1)) : Page.last(List.of(p));
                });
            }
        };

        final List<?> expected;
        /** How many times the lambda runs. */
        final int calls;

        Op(List<?> expected, int calls) {
            this.expected = expected;
            this.calls = calls;
        }

        abstract AsyncFlow<?> build(Hook hook, List<Object> side);

        List<?> expectedSide() {
            return List.of();
        }
    }

    static Stream<Arguments> everyCombination() {
        return product(Op.values(), Path.values(), Wait.values());
    }

    /** Every lambda but using's release, which runs in nonCancellable by contract. */
    static Stream<Op> cancellableOps() {
        return Arrays.stream(Op.values()).filter(op -> op != Op.USING_RELEASE);
    }

    // ------------------------------------------------------------------ 1 and 3: values on every path

    @ParameterizedTest(name = "{0}, {1}, lambda uses Suspend.{2}")
    @MethodSource("everyCombination")
    void lambdaThatWaitsGivesTheRightValues(Op op, Path path, Wait wait) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        List<Object> side = Collections.synchronizedList(new ArrayList<>());
        List<?> got = promptly(op + " on " + path, () -> path.toList(op.build(wait.hook(calls), side)));
        assertEquals(op.expected, got);
        assertEquals(op.expectedSide(), List.copyOf(side));
        assertEquals(op.calls, calls.get(), "lambda calls");
    }

    // ------------------------------------------------------------------ 2: virtual time

    @ParameterizedTest(name = "{0}: n calls of Suspend.delay(100) take n*100 virtual ms")
    @EnumSource(Op.class)
    void delaysInTheLambdaRunOnTheVirtualClock(Op op) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        long[] now = new long[1];
        List<?> got = promptly(
                op + " under virtual time",
                () -> VirtualTime.call(scope -> {
                    List<?> r = op.build(delayHook(D, calls), Collections.synchronizedList(new ArrayList<>()))
                            .toList();
                    now[0] = scope.currentTime();
                    return r;
                }));
        assertEquals(op.expected, got);
        assertEquals(op.calls, calls.get(), "lambda calls");
        assertEquals(op.calls * D, now[0], "virtual time after " + op.calls + " waits of " + D + " ms");
    }

    @ParameterizedTest(name = "{0}: Suspend.await of futures a child completes every 100 virtual ms")
    @EnumSource(Op.class)
    void awaitInTheLambdaOfAFutureCompletedByAnotherCoroutine(Op op) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        long[] now = new long[1];
        List<?> got = promptly(
                op + " awaiting a child's futures",
                () -> VirtualTime.call(scope -> {
                    List<?> r = op.build(
                                    childCompletedHook(scope, 4, calls),
                                    Collections.synchronizedList(new ArrayList<>()))
                            .toList();
                    now[0] = scope.currentTime();
                    return r;
                }));
        assertEquals(op.expected, got);
        assertEquals(op.calls * D, now[0], "virtual time");
    }

    // ------------------------------------------------------------------ 4: cancellation while the lambda waits

    @ParameterizedTest(name = "{0}: take(1) cancels the lambda waiting ahead behind buffer(2)")
    @EnumSource(
            value = Op.class,
            names = {"RETRY_WHEN", "PAGINATE", "PAGINATE_PREFETCH", "PAGINATE_BY_TOKEN"})
    void takeOneCancelsALambdaThatWaitsForLaterElements(Op op) throws Exception {
        assertTakeOneCancelsAWaitAhead(h -> op.build(h, new ArrayList<>()), op.expected.get(0));
    }

    @ParameterizedTest(name = "{0}: timeout(200 ms) cancels a 10 s wait at virtual 200 ms")
    @MethodSource("cancellableOps")
    void timeoutCancelsTheWaitingLambdaOnTheVirtualClock(Op op) throws Exception {
        assertTimeoutCancelsOnTheVirtualClock(
                h -> op.build(h, new ArrayList<>()).timeout(LIMIT).toList());
    }

    @ParameterizedTest(name = "onStart waiting 10 s, timeout(200 ms), {0}: fails promptly")
    @EnumSource(
            value = Path.class,
            names = {"BLOCKING", "COROUTINES_RUN"})
    void timeoutAroundAWaitingOnStartFailsPromptly(Path path) throws Exception {
        assertTimeoutIsPromptInRealTime(
                h -> path.toList(Op.ON_START.build(h, new ArrayList<>()).timeout(LIMIT)));
    }

    @ParameterizedTest(name = "{0}: cancelling toListAsync() ends the lambda's wait")
    @MethodSource("cancellableOps")
    void cancellingToListAsyncCancelsTheWaitingLambda(Op op) throws Exception {
        assertCancellingTheFutureCancels(h -> op.build(h, new ArrayList<>()).toListAsync());
    }

    @ParameterizedTest(name = "{0}: interrupting the thread blocked in toList() cancels the lambda")
    @MethodSource("cancellableOps")
    void interruptingTheBlockedCallerCancelsTheWaitingLambda(Op op) throws Exception {
        assertInterruptCancels(h -> op.build(h, new ArrayList<>()).toList());
    }

    @Test
    void usingReleaseMayWaitOnTheVirtualClockAfterTakeOne() throws Exception {
        // release runs in Suspend.nonCancellable: after take(1) cancelled the use, its wait still
        // completes, on the virtual clock, exactly once
        Once released = new Once();
        long[] now = new long[1];
        List<?> got = promptly(
                "take(1) over using",
                () -> VirtualTime.call(scope -> {
                    List<Integer> r = AsyncFlow.<Integer, Integer>using(
                                    () -> 5,
                                    res -> AsyncFlow.generate(e -> {
                                        for (int i = res; ; i++) {
                                            e.emit(i);
                                        }
                                    }),
                                    res -> {
                                        Suspend.delay(1_000);
                                        released.run();
                                    })
                            .take(1)
                            .toList();
                    now[0] = scope.currentTime();
                    return r;
                }));
        assertEquals(List.of(5), got);
        assertEquals(1_000, now[0], "the release's wait ran on the virtual clock");
        assertRanOnce(released, "using's release");
    }

    @Test
    void onCompletionMayWaitInNonCancellableAfterTakeOne() throws Exception {
        Once done = new Once();
        long[] now = new long[1];
        List<?> got = promptly(
                "take(1) with a waiting onCompletion",
                () -> VirtualTime.call(scope -> {
                    List<Integer> r = Source.GENERATOR
                            .flow(5, null)
                            .onCompletion(cause -> {
                                Suspend.nonCancellable(() -> Suspend.delay(1_000));
                                done.run();
                            })
                            .take(1)
                            .toList();
                    now[0] = scope.currentTime();
                    return r;
                }));
        assertEquals(List.of(1), got);
        assertEquals(1_000, now[0], "the completion's nonCancellable wait ran on the virtual clock");
        assertRanOnce(done, "the onCompletion action");
    }

    // ------------------------------------------------------------------ 10: the cause after take(1)

    @ParameterizedTest(name = "onCompletion before take(1) over {0}, {1}: a java.util.concurrent.CancellationException")
    @MethodSource("sourcesAndPaths")
    void onCompletionBeforeTakeSeesAPlainCancellationException(Source source, Path path) throws Exception {
        AtomicReference<Throwable> cause = new AtomicReference<>();
        AtomicInteger calls = new AtomicInteger();
        List<?> got = promptly(
                "take(1) on " + path,
                () -> path.toList(source.flow(5, null)
                        .onCompletion(c -> {
                            calls.incrementAndGet();
                            cause.set(c);
                        })
                        .take(1)));
        assertEquals(List.of(1), got);
        assertEquals(1, calls.get(), "onCompletion runs once");
        Throwable c = cause.get();
        assertInstanceOf(CancellationException.class, c, "the cause after take(1)");
        assertFalse(
                c.getClass().getName().startsWith("kotlinx."),
                "the cause must not be a kotlinx internal: " + c.getClass().getName());
    }

    static Stream<Arguments> sourcesAndPaths() {
        return Arrays.stream(Source.values())
                .flatMap(s -> Arrays.stream(Path.values()).map(p -> Arguments.of(s, p)));
    }
}
