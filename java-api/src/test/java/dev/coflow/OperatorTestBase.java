package dev.coflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.coflow.bridge.SuspendBody;
import dev.coflow.test.CoflowExtension;
import dev.coflow.test.VirtualTime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The battery every operator passes (docs/style.md): values, upstream errors, errors in the user's
 * lambda (checked and unchecked), cancellation of the upstream when the downstream stops early or
 * fails, and the order of side effects. A subclass says how to apply its operator and what to
 * expect; operator-specific tests live next to it.
 *
 * <p>The upstream of the battery is a generator over {@code 1..n} that logs {@code "start"},
 * {@code "emit i"} before each emit, {@code "cancelled"} when an emit throws
 * {@link CancellationException}, {@code "emit threw <message>"} when it throws another (a
 * downstream failure), and {@code "finally"}.
 */
abstract class OperatorTestBase {
    /** After each test, no coroutine body it started may still be running (the harness's leak check). */
    @RegisterExtension
    static final CoflowExtension COFLOW = CoflowExtension.withLeakGrace(Duration.ZERO);

    /** Shared by the generator (its own thread) and the collector; thread-safe on purpose. */
    protected final List<String> log = new CopyOnWriteArrayList<>();

    /** The operator under test, with lambdas that let the battery's upstream run to its end. */
    protected abstract AsyncFlow<?> apply(AsyncFlow<Integer> upstream);

    /** What {@code apply(1..5)} emits. */
    protected abstract List<?> expected();

    /**
     * The operator with its user lambda throwing {@code failure} (at element 3 when it sees
     * elements); {@code null} for operators that take no lambda.
     */
    protected AsyncFlow<?> applyFailing(AsyncFlow<Integer> upstream, Exception failure) {
        return null;
    }

    /**
     * The log of {@code apply(1..3)} collected by a consumer that logs {@code "got v"}; {@code null}
     * for operators that run the upstream concurrently (then only each side's own order is checked).
     */
    protected abstract List<String> expectedOrder();

    /** Compares collected values; operators that may drop elements (conflate) override this. */
    protected void assertValues(List<?> actual) {
        assertEquals(expected(), actual);
    }

    // ---- the battery ---------------------------------------------------------------------------

    @Test
    void emitsExpectedValuesAndIsColdAndRecollectable() {
        AsyncFlow<?> f = apply(upstream(5));
        assertValues(f.toList());
        assertValues(f.toList());
        assertEquals(2, log.stream().filter("start"::equals).count(), "one generator run per collection");
    }

    @Test
    void uncheckedUpstreamErrorReachesCallerUnchanged() {
        AsyncFlow<?> f = apply(failingUpstream(2, new IllegalStateException("upstream boom")));
        IllegalStateException e = assertThrows(IllegalStateException.class, f::toList);
        assertEquals("upstream boom", e.getMessage());
        assertTrue(log.contains("finally"));
    }

    @Test
    void checkedUpstreamErrorIsWrappedWithOriginalAsCause() {
        AsyncFlow<?> f = apply(failingUpstream(2, new IOException("disk gone")));
        UncheckedIOException e = assertThrows(UncheckedIOException.class, f::toList);
        assertInstanceOf(IOException.class, e.getCause());
        assertEquals("disk gone", e.getCause().getMessage());
    }

    @Test
    void uncheckedErrorInLambdaReachesCallerAndStopsUpstream() {
        AsyncFlow<?> f = applyFailing(upstream(5), new IllegalArgumentException("lambda boom"));
        assumeTrue(f != null, "operator takes no lambda");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, f::toList);
        assertEquals("lambda boom", e.getMessage());
        assertUpstreamCleanedUp();
    }

    @Test
    void checkedErrorInLambdaIsWrappedWithOriginalAsCause() {
        AsyncFlow<?> f = applyFailing(upstream(5), new IOException("lambda io"));
        assumeTrue(f != null, "operator takes no lambda");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, f::toList);
        assertInstanceOf(IOException.class, e.getCause());
        assertEquals("lambda io", e.getCause().getMessage());
        assertUpstreamCleanedUp();
    }

    @Test
    void earlyExitDownstreamCancelsUpstreamAndRunsItsFinally() {
        List<?> got = apply(infiniteUpstream()).take(2).toList();
        assertEquals(2, got.size());
        assertTrue(log.contains("cancelled"), () -> "generator did not see a CancellationException: " + log);
        assertEquals("finally", log.getLast(), () -> "finally must run before the terminal returns: " + log);
    }

    @Test
    void downstreamFailureIsNotCaughtAndCancelsUpstream() {
        int[] seen = {0};
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> apply(infiniteUpstream()).forEach(v -> {
                    if (++seen[0] == 2) {
                        throw new IllegalStateException("consumer boom");
                    }
                }));
        assertEquals("consumer boom", e.getMessage());
        // sequential: the consumer's exception comes out of emit; concurrent (buffer): the producer is cancelled
        assertTrue(
                log.contains("cancelled") || log.contains("emit threw consumer boom"),
                () -> "generator's emit did not throw: " + log);
        assertEquals("finally", log.getLast());
    }

    @Test
    void sideEffectsHappenInOrder() {
        apply(upstream(3)).forEach(v -> log.add("got " + v));
        List<String> expected = expectedOrder();
        if (expected != null) {
            assertEquals(expected, log);
            return;
        }
        List<String> emits = log.stream().filter(s -> s.startsWith("emit")).toList();
        assertEquals(List.of("emit 1", "emit 2", "emit 3"), emits);
        assertEquals("start", log.getFirst());
        assertTrue(log.indexOf("finally") > log.indexOf("emit 3"));
    }

    // ---- helpers for subclasses ----------------------------------------------------------------

    /** A generator over {@code 1..n} that logs its life (see the class comment). */
    protected AsyncFlow<Integer> upstream(int n) {
        return AsyncFlow.generate(out -> {
            log.add("start");
            try {
                for (int i = 1; i <= n; i++) {
                    log.add("emit " + i);
                    out.emit(i);
                }
            } catch (CancellationException e) {
                log.add("cancelled");
                throw e;
            } catch (RuntimeException e) {
                // kotlinx rule: a failure downstream of a sequential pipeline is thrown out of emit itself
                log.add("emit threw " + e.getMessage());
                throw e;
            } finally {
                log.add("finally");
            }
        });
    }

    /** Like {@link #upstream(int)} but never ends on its own. */
    protected AsyncFlow<Integer> infiniteUpstream() {
        return upstream(Integer.MAX_VALUE);
    }

    /** Emits {@code 1..n}, then throws {@code failure}. */
    protected AsyncFlow<Integer> failingUpstream(int n, Exception failure) {
        return AsyncFlow.generate(out -> {
            try {
                for (int i = 1; i <= n; i++) {
                    out.emit(i);
                }
                throw failure;
            } finally {
                log.add("finally");
            }
        });
    }

    /** Throws {@code failure} (checked or not) from a lambda declared {@code throws Exception}. */
    protected static <R> R fail(Exception failure) throws Exception {
        throw failure;
    }

    /** The interleaved log of a sequential 1:1 operator over {@code 1..3} mapping i to {@code outs[i-1]}. */
    protected static List<String> oneToOne(Object... outs) {
        List<String> l = new ArrayList<>();
        l.add("start");
        for (int i = 0; i < outs.length; i++) {
            l.add("emit " + (i + 1));
            l.add("got " + outs[i]);
        }
        l.add("finally");
        return l;
    }

    private void assertUpstreamCleanedUp() {
        assertEquals(
                log.contains("start"),
                log.contains("finally"),
                () -> "upstream started but its finally did not run: " + log);
    }

    /** A value and the virtual time at which it was produced. */
    protected record Timed<R>(R value, long virtualMillis) {}

    /**
     * Runs {@code body} on the harness's virtual clock ({@link VirtualTime#call}) and returns its
     * result with the virtual time at which it returned. Terminals called inside the body suspend
     * the owning coroutine, so every delay in the pipeline uses the virtual clock and the test
     * takes no real time; a failure of the body is rethrown as it was thrown.
     */
    protected static <R> Timed<R> inVirtualTime(SuspendBody<R> body) {
        return VirtualTime.call(scope -> new Timed<>(body.run(), scope.currentTime()));
    }

    /**
     * Collects {@code flow} with a consumer that works {@code millisPerItem} (virtual) milliseconds
     * per element; call it inside {@link #inVirtualTime}.
     */
    protected static <T> List<T> collectSlowly(AsyncFlow<T> flow, long millisPerItem) {
        List<T> got = new ArrayList<>();
        flow.forEach(v -> {
            got.add(v);
            dev.coflow.bridge.Suspend.delay(millisPerItem); // a consumer that waits, written plainly
        });
        return got;
    }

    /** Collects {@code flow} on {@code Dispatchers.Default} with kotlinx's own {@code toList}, as Kotlin code would. */
    @SuppressWarnings("unchecked")
    protected static <T> List<T> onDefault(AsyncFlow<T> flow) throws Exception {
        return (List<T>) kotlinx.coroutines.future.FutureKt.future(
                        kotlinx.coroutines.CoroutineScopeKt.CoroutineScope(kotlinx.coroutines.Dispatchers.getDefault()),
                        kotlin.coroutines.EmptyCoroutineContext.INSTANCE,
                        kotlinx.coroutines.CoroutineStart.DEFAULT,
                        (s, c) -> kotlinx.coroutines.flow.FlowKt.toList(flow, new java.util.ArrayList<T>(), c))
                .get(30, java.util.concurrent.TimeUnit.SECONDS);
    }
}
