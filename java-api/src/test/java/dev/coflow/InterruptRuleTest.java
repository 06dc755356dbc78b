package dev.coflow;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coflow.bridge.Suspend;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The interrupt rule of blocking terminals ({@link AsyncFlow}'s class Javadoc: "an interrupted
 * caller cancels the upstream"; {@code Terminals.block}: "an interrupt of the blocked caller
 * cancels the collection and keeps the interrupt flag set") for a caller whose interrupt flag is
 * already set when it enters {@code toList()}: whatever the source, the call throws
 * {@link CancellationException} and the flag is still set afterwards. Today {@code range},
 * {@code fromIterable}, a buffered range and a generator that waits do so, but a plain generator
 * that never suspends returns its elements: its body runs inline on the caller's thread, its emits
 * never suspend, and the caller loop looks at the flag only when it parks or every 32 calls.
 */
class InterruptRuleTest {
    private static final long BOUND_SECONDS = 5;

    static Stream<Arguments> flows() {
        return Stream.of(
                Arguments.of("AsyncFlow.range(0, 3)", AsyncFlow.range(0, 3)),
                Arguments.of("AsyncFlow.fromIterable(List.of(0, 1, 2))", AsyncFlow.fromIterable(List.of(0, 1, 2))),
                Arguments.of("AsyncFlow.range(0, 3).buffer(2)", AsyncFlow.range(0, 3).buffer(2)),
                Arguments.of("a generator that waits (Suspend.delay(10) before each emit)", AsyncFlow.<Integer>generate(out -> {
                    for (int i = 0; i < 3; i++) {
                        Suspend.delay(10);
                        out.emit(i);
                    }
                })),
                Arguments.of("a plain generator (emit 0, 1, 2)", AsyncFlow.<Integer>generate(out -> {
                    for (int i = 0; i < 3; i++) {
                        out.emit(i);
                    }
                })));
    }

    /** How a call with the flag set ended: what it threw (or returned), and whether the flag was still set. */
    private record Outcome(Object result, Throwable failure, boolean stillInterrupted) {}

    @ParameterizedTest(name = "{0}")
    @MethodSource("flows")
    void toListEnteredWithTheInterruptFlagSetThrowsCancellationAndKeepsTheFlag(String name, AsyncFlow<Integer> flow)
            throws Exception {
        Outcome o = callInterrupted(flow::toList);
        assertTrue(o.failure() instanceof CancellationException,
                () -> name + ": expected CancellationException, but the call "
                        + (o.failure() == null ? "returned " + o.result() : "threw " + o.failure()));
        assertTrue(o.stillInterrupted(), () -> name + ": the interrupt flag must stay set");
    }

    /** Runs {@code call} on a fresh thread whose interrupt flag is set first; bounded. */
    private static Outcome callInterrupted(java.util.concurrent.Callable<Object> call) throws Exception {
        FutureTask<Outcome> task = new FutureTask<>(() -> {
            Thread.currentThread().interrupt();
            Object result = null;
            Throwable failure = null;
            try {
                result = call.call();
            } catch (Throwable e) {
                failure = e;
            }
            boolean still = Thread.interrupted(); // reads and clears it, so the pooled state stays clean
            return new Outcome(result, failure, still);
        });
        Thread t = new Thread(task, "interrupted-caller");
        t.setDaemon(true);
        t.start();
        try {
            return task.get(BOUND_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            t.interrupt();
            throw new AssertionError("the call hung for " + BOUND_SECONDS + " s with the interrupt flag set");
        }
    }
}
