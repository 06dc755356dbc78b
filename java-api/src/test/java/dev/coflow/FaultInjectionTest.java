package dev.coflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.coflow.bridge.Coroutines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fault injection (issue 10): an exception thrown at each position of one pipeline that has every
 * kind of lambda,
 *
 * <pre>{@code
 * using(acquire, r -> generate(0..4), release)          // SOURCE, RELEASE
 *     .map(..).filter(..).onEach(..)                     // MAP (or NESTED: a blocking terminal of a
 *     .transform(..).scan(..)                            //   failing flow inside map), FILTER, ON_EACH,
 *     .flatMapConcat(v -> generate(v))                   //   TRANSFORM, SCAN, FLAT_MAP_CONCAT
 *     .zip(generate(0..), (a, b) -> ..)                  // ZIP
 *     .onCompletion(..)                                  // ON_COMPLETION
 *     .forEach(..) / toList() / iterator() / ...         // CONSUMER
 * }</pre>
 *
 * surfaces as the {@link AsyncFlow} contract says, for every kind of exception (unchecked, an
 * {@link Error}, {@link IOException}, another checked exception) and every terminal: blocking
 * terminals (also inside {@code Coroutines.run}) rethrow unchecked exceptions and errors unchanged
 * and wrap checked ones, {@link UncheckedIOException} for an {@code IOException}, otherwise
 * {@link CompletionException}, the original as the cause; async terminals complete with the
 * original. Under {@code -ea} kotlinx may rethrow a copy (same type and message, the original as
 * cause), which is accepted as the original.
 *
 * <p>Where two exceptions happen, the second is added as suppressed to the first: the body (source,
 * an operator lambda, the consumer) fails and {@code using}'s release fails too. For
 * {@code onCompletion} the rule is kotlinx's ({@code invokeSafely}): an action that throws while the
 * flow fails ends the flow with the action's exception, the flow's failure added to it as suppressed.
 *
 * <p>Every cleanup runs exactly once, whatever failed: each generator's {@code finally} (the source,
 * each inner flow of {@code flatMapConcat}, the zip partner, the flow of the nested terminal), the
 * release, the {@code onCompletion} action; and no body is left running.
 */
class FaultInjectionTest {
    private static final int ELEMENTS = 5;
    /** The element (or, for the consumer, the call) at which the chosen position fails. */
    private static final int FAIL_AT = 2;

    private static final long BOUND_SECONDS = 10;

    enum Position {
        SOURCE,
        MAP,
        FILTER,
        ON_EACH,
        TRANSFORM,
        SCAN,
        FLAT_MAP_CONCAT,
        ZIP,
        CONSUMER,
        RELEASE,
        ON_COMPLETION,
        NESTED
    }

    enum Kind {
        UNCHECKED,
        ERROR,
        IO,
        CHECKED
    }

    enum Terminal {
        TO_LIST(false),
        FOR_EACH(false),
        ITERATOR(false),
        TO_LIST_IN_COROUTINES_RUN(false),
        TO_LIST_ASYNC(true),
        FOR_EACH_ASYNC(true);

        final boolean async;

        Terminal(boolean async) {
            this.async = async;
        }

        /** Terminals with a consumer lambda of coflow's (for the iterator, the loop body is the consumer). */
        boolean hasConsumer() {
            return this == FOR_EACH || this == FOR_EACH_ASYNC || this == ITERATOR;
        }
    }

    static final class InjectedUnchecked extends IllegalStateException {
        InjectedUnchecked(String message) {
            super(message);
        }
    }

    static final class InjectedError extends Error {
        InjectedError(String message) {
            super(message);
        }
    }

    static final class InjectedChecked extends Exception {
        InjectedChecked(String message) {
            super(message);
        }
    }

    static Throwable injected(Kind kind, String where) {
        String message = kind + " thrown by " + where;
        return switch (kind) {
            case UNCHECKED -> new InjectedUnchecked(message);
            case ERROR -> new InjectedError(message);
            case IO -> new IOException(message);
            case CHECKED -> new InjectedChecked(message);
        };
    }

    /** Throws any throwable from a lambda that may throw {@code Exception}. */
    @SuppressWarnings("unchecked")
    static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
        throw (E) t;
    }

    /** The faults of one case: at {@code first} (the primary failure) and optionally at {@code second}. */
    record Case(Position first, Position second, Kind kind, Terminal terminal) {
        @Override
        public String toString() {
            return first + (second == null ? "" : " + " + second) + ", " + kind + ", " + terminal;
        }

        boolean failsAt(Position p) {
            return first == p || second == p;
        }
    }

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (Position p : Position.values()) {
            for (Kind k : Kind.values()) {
                for (Terminal t : Terminal.values()) {
                    if (p == Position.CONSUMER && !t.hasConsumer()) {
                        continue;
                    }
                    all.add(Arguments.of(new Case(p, null, k, t)));
                }
            }
        }
        // two failures: the body fails, then using's release (or the onCompletion action) too
        for (Position p : EnumSet.of(Position.SOURCE, Position.MAP, Position.ZIP, Position.CONSUMER, Position.NESTED)) {
            for (Position second : EnumSet.of(Position.RELEASE, Position.ON_COMPLETION)) {
                for (Kind k : Kind.values()) {
                    for (Terminal t : Terminal.values()) {
                        if (p == Position.CONSUMER && !t.hasConsumer()) {
                            continue;
                        }
                        all.add(Arguments.of(new Case(p, second, k, t)));
                    }
                }
            }
        }
        return all.stream();
    }

    /** What the pipeline of one case started and cleaned up, and what it threw where. */
    static final class Run {
        final AtomicInteger generatorsStarted = new AtomicInteger();
        final AtomicInteger generatorFinallies = new AtomicInteger();
        final AtomicInteger acquired = new AtomicInteger();
        final AtomicInteger released = new AtomicInteger();
        final AtomicInteger completionCalls = new AtomicInteger();
        final AtomicReference<Throwable> thrownFirst = new AtomicReference<>();
        final AtomicReference<Throwable> thrownSecond = new AtomicReference<>();
        /** For NESTED: what the nested blocking terminal threw (the map lambda rethrows it). */
        final AtomicReference<Throwable> nestedThrew = new AtomicReference<>();

        final AtomicInteger consumerCalls = new AtomicInteger();

        @Override
        public String toString() {
            return "generators started " + generatorsStarted + " / finallies " + generatorFinallies + ", acquired "
                    + acquired + " / released " + released + ", onCompletion calls " + completionCalls;
        }
    }

    private static AsyncFlow<Integer> counted(Run run, int size, Throwable failAtFailAt) {
        return AsyncFlow.generate(out -> {
            run.generatorsStarted.incrementAndGet();
            try {
                for (int i = 0; size < 0 || i < size; i++) {
                    if (i == FAIL_AT && failAtFailAt != null) {
                        throw sneaky(failAtFailAt);
                    }
                    out.emit(i);
                }
            } finally {
                run.generatorFinallies.incrementAndGet();
            }
        });
    }

    /** Throws the fault of position {@code p} if the case fails there and the value is the failing one. */
    private static void maybeFail(Case c, Run run, Position p, int value) {
        if (c.failsAt(p) && value == FAIL_AT) {
            Throwable t = injected(c.kind(), p.name());
            (c.first() == p ? run.thrownFirst : run.thrownSecond).set(t);
            throw sneaky(t);
        }
    }

    private static AsyncFlow<Integer> pipeline(Case c, Run run) {
        Throwable sourceFault = null;
        if (c.failsAt(Position.SOURCE)) {
            sourceFault = injected(c.kind(), "SOURCE");
            run.thrownFirst.set(sourceFault);
        }
        Throwable source = sourceFault;
        AsyncFlow<Integer> flow = AsyncFlow.using(
                () -> {
                    run.acquired.incrementAndGet();
                    return "resource";
                },
                resource -> counted(run, ELEMENTS, source),
                resource -> {
                    run.released.incrementAndGet();
                    if (c.failsAt(Position.RELEASE)) {
                        Throwable t = injected(c.kind(), "RELEASE");
                        (c.first() == Position.RELEASE ? run.thrownFirst : run.thrownSecond).set(t);
                        throw sneaky(t);
                    }
                });
        flow = flow.map(v -> {
            maybeFail(c, run, Position.MAP, v);
            if (c.failsAt(Position.NESTED) && v == FAIL_AT) {
                Throwable t = injected(c.kind(), "the source of a nested terminal");
                run.thrownFirst.set(t);
                try {
                    return counted(run, ELEMENTS, t).toList().size(); // throws
                } catch (Throwable e) {
                    run.nestedThrew.set(e);
                    throw e;
                }
            }
            return v;
        });
        flow = flow.filter(v -> {
            maybeFail(c, run, Position.FILTER, v);
            return true;
        });
        flow = flow.onEach(v -> maybeFail(c, run, Position.ON_EACH, v));
        flow = flow.<Integer>transform((v, out) -> {
            maybeFail(c, run, Position.TRANSFORM, v);
            out.emit(v);
        });
        flow = flow.scan(-1, (acc, v) -> {
                    maybeFail(c, run, Position.SCAN, v);
                    return v;
                })
                .filter(v -> v >= 0);
        flow = flow.flatMapConcat(v -> {
            maybeFail(c, run, Position.FLAT_MAP_CONCAT, v);
            return counted(run, 1, null).map(zero -> v);
        });
        flow = flow.zip(counted(run, -1, null), (a, b) -> {
            maybeFail(c, run, Position.ZIP, a);
            return a;
        });
        flow = flow.onCompletion(cause -> {
            run.completionCalls.incrementAndGet();
            if (c.failsAt(Position.ON_COMPLETION)) {
                Throwable t = injected(c.kind(), "ON_COMPLETION");
                (c.first() == Position.ON_COMPLETION ? run.thrownFirst : run.thrownSecond).set(t);
                throw sneaky(t);
            }
        });
        return flow;
    }

    /** Runs the terminal; returns what it threw (null if it returned). */
    private static Throwable collect(Case c, Run run, AsyncFlow<Integer> flow) throws Exception {
        dev.coflow.function.ThrowingConsumer<Integer> consumer = v -> {
            run.consumerCalls.incrementAndGet();
            maybeFail(c, run, Position.CONSUMER, v);
        };
        CompletableFuture<?> future = null;
        try {
            switch (c.terminal()) {
                case TO_LIST -> flow.toList();
                case FOR_EACH -> flow.forEach(consumer);
                case ITERATOR -> {
                    try (CloseableIterator<Integer> it = flow.iterator()) {
                        while (it.hasNext()) {
                            consumer.accept(it.next());
                        }
                    }
                }
                case TO_LIST_IN_COROUTINES_RUN -> Coroutines.run(scope -> flow.toList());
                case TO_LIST_ASYNC -> future = flow.toListAsync();
                case FOR_EACH_ASYNC -> future = flow.forEachAsync(consumer);
            }
        } catch (Throwable t) {
            if (c.terminal().async) {
                throw new AssertionError("an async terminal threw instead of failing its future", t);
            }
            return t;
        }
        if (future == null) {
            return null;
        }
        return failureOf(future);
    }

    /**
     * The exception {@code future} was completed with, or null. Read with {@code handle}, which
     * passes it as it is: {@code get()} and {@code exceptionNow()} would unwrap a
     * {@link CompletionException} to its cause (the JDK takes it for its own wrapper).
     */
    static Throwable failureOf(CompletableFuture<?> future) throws Exception {
        try {
            return future.handle((v, e) -> e).get(BOUND_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the future did not complete within " + BOUND_SECONDS + " s");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theFaultSurfacesAsDocumentedAndEveryCleanupRunsOnce(Case c) throws Exception {
        Run run = new Run();
        AsyncFlow<Integer> flow = pipeline(c, run);
        Throwable thrown = collect(c, run, flow);
        String context = c + " (" + run + ")";

        // every cleanup ran exactly once, whatever failed
        assertEquals(
                run.generatorsStarted.get(), run.generatorFinallies.get(), () -> context + ": generator finallies");
        assertEquals(1, run.acquired.get(), () -> context + ": acquire");
        assertEquals(1, run.released.get(), () -> context + ": release must run exactly once");
        assertEquals(1, run.completionCalls.get(), () -> context + ": onCompletion must be called exactly once");

        // the primary failure: what the first fault threw (for NESTED, what the nested terminal threw,
        // which its map lambda rethrew)
        Throwable first = run.thrownFirst.get();
        if (first == null) {
            throw new AssertionError(context + ": the fault at " + c.first() + " was never reached; the terminal "
                    + (thrown == null ? "returned" : "threw " + thrown));
        }
        Throwable second = run.thrownSecond.get();
        if (c.second() != null && second == null) {
            throw new AssertionError(context + ": the second fault at " + c.second() + " was never reached");
        }
        Throwable original = first;
        if (c.first() == Position.NESTED) {
            // the nested terminal is a blocking terminal: its own rule first
            Throwable nested = run.nestedThrew.get();
            assertSurfaces(context + ", the nested terminal", nested, first, false);
            original = nested;
        }
        Throwable primary = original;
        Throwable suppressed = second;
        if (c.first() == Position.CONSUMER && c.terminal() == Terminal.ITERATOR) {
            // the loop body is the caller's own code: its exception is thrown by the caller, not by
            // a terminal, so it is never wrapped; close() (try-with-resources) then cancels the
            // producer, and a release or onCompletion failure during that cancellation is added to
            // the cancellation (as after take or first), which close() does not rethrow
            if (thrown != first) {
                throw new AssertionError(
                        context + ": expected the loop body's own " + first + ", got " + thrown, thrown);
            }
            if (first.getSuppressed().length != 0) {
                throw new AssertionError(
                        context + ": close() added " + Arrays.toString(first.getSuppressed())
                                + " to the loop body's exception",
                        thrown);
            }
            LeakCheck.awaitNoActiveBodies(() -> context);
            return;
        }
        if (c.second() == Position.ON_COMPLETION) {
            // kotlinx onCompletion (invokeSafely): the action's exception ends the flow, the flow's
            // failure is added to it as suppressed
            primary = second;
            suppressed = original;
        }
        Throwable surfaced = assertSurfaces(context, thrown, primary, c.terminal().async);
        List<Throwable> expectedSuppressed = suppressed == null ? List.of() : List.of(suppressed);
        List<Throwable> actual = Arrays.asList(primary.getSuppressed());
        if (actual.size() != expectedSuppressed.size()
                || (suppressed != null && !LeakCheck.isOriginalOrCopy(actual.get(0), suppressed))) {
            throw new AssertionError(
                    context + ": " + primary + " should carry as suppressed exactly " + expectedSuppressed
                            + ", but carries " + actual,
                    thrown);
        }
        if (surfaced != primary && surfaced.getSuppressed().length != 0) {
            throw new AssertionError(
                    context + ": the wrapper or copy " + surfaced + " carries suppressed "
                            + Arrays.toString(surfaced.getSuppressed()),
                    thrown);
        }
        LeakCheck.awaitNoActiveBodies(() -> context);
    }

    /**
     * Checks that {@code thrown} is how {@code original} must surface from a terminal: async
     * terminals complete with the original; blocking ones rethrow unchecked exceptions and errors
     * unchanged and wrap checked ones ({@code IOException} in {@link UncheckedIOException}, others in
     * {@link CompletionException}) with the original as the cause. Returns the original (or its copy)
     * as found in {@code thrown}.
     */
    private static Throwable assertSurfaces(String context, Throwable thrown, Throwable original, boolean async) {
        if (thrown == null) {
            throw new AssertionError(context + ": the terminal returned normally; expected " + original);
        }
        if (async || original instanceof RuntimeException || original instanceof Error) {
            if (!LeakCheck.isOriginalOrCopy(thrown, original)) {
                throw new AssertionError(context + ": expected " + original + " unchanged, got " + thrown, thrown);
            }
            return thrown;
        }
        Class<?> wrapper = original instanceof IOException ? UncheckedIOException.class : CompletionException.class;
        if (thrown.getClass() != wrapper || !LeakCheck.isOriginalOrCopy(thrown.getCause(), original)) {
            throw new AssertionError(
                    context + ": expected " + wrapper.getSimpleName() + " caused by " + original + ", got " + thrown
                            + " caused by " + thrown.getCause(),
                    thrown);
        }
        return thrown.getCause();
    }

    /**
     * A lambda that throws a {@link CompletionException} (what {@code future.join()} throws, and what a
     * nested blocking terminal throws for a checked failure): every async terminal completes its
     * future with that very exception, as with any other ("async terminals complete their future
     * with the original"); none unwraps it to its cause.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("asyncTerminals")
    void anAsyncTerminalCompletesWithACompletionExceptionThrownByALambdaUnchanged(String terminal) throws Exception {
        CompletionException thrown = new CompletionException("thrown by map", new InjectedChecked("its cause"));
        AsyncFlow<Integer> flow = AsyncFlow.of(1, 2).map(v -> {
            throw thrown;
        });
        CompletableFuture<?> f = switch (terminal) {
            case "toListAsync" -> flow.toListAsync();
            case "forEachAsync" -> flow.forEachAsync(v -> {});
            case "collectAsync" -> flow.collectAsync(java.util.stream.Collectors.toList());
            default -> flow.firstAsync();
        };
        Throwable failure = failureOf(f);
        if (!LeakCheck.isOriginalOrCopy(failure, thrown)) {
            throw new AssertionError(terminal + ": expected the lambda's " + thrown + ", got " + failure, failure);
        }
    }

    static Stream<String> asyncTerminals() {
        return Stream.of("toListAsync", "forEachAsync", "collectAsync", "firstAsync");
    }

    /** A case without any fault: the same pipeline delivers its elements and cleans up the same way. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("terminals")
    void withoutAFaultThePipelineCompletes(Terminal terminal) throws Exception {
        Run run = new Run();
        Case none = new Case(null, null, Kind.UNCHECKED, terminal);
        Throwable thrown = collect(none, run, pipeline(none, run));
        if (thrown != null) {
            throw new AssertionError(terminal + ": the pipeline without a fault failed", thrown);
        }
        assertEquals(run.generatorsStarted.get(), run.generatorFinallies.get());
        assertEquals(1 + ELEMENTS + 1, run.generatorsStarted.get(), "source, one inner flow per element, zip partner");
        assertEquals(1, run.released.get());
        assertEquals(1, run.completionCalls.get());
        if (terminal.hasConsumer()) {
            assertEquals(ELEMENTS, run.consumerCalls.get());
        }
    }

    static Stream<Terminal> terminals() {
        return Stream.of(Terminal.values());
    }

    @AfterAll
    static void nothingLeftRunning() {
        LeakCheck.awaitNothingLeft(() -> "after FaultInjectionTest");
    }

    /** The case list covers every position with every kind and terminal it applies to. */
    @org.junit.jupiter.api.Test
    void everyPositionIsInjected() {
        Set<Position> covered = EnumSet.noneOf(Position.class);
        cases().forEach(a -> covered.add(((Case) a.get()[0]).first()));
        assertEquals(EnumSet.allOf(Position.class), covered);
    }
}
