package dev.coflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.coflow.bridge.Coroutines;
import dev.coflow.bridge.Suspend;
import dev.coflow.bridge.TaskScope;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import kotlin.coroutines.Continuation;
import kotlin.coroutines.CoroutineContext;
import kotlin.coroutines.EmptyCoroutineContext;
import kotlinx.coroutines.CoroutineScope;
import kotlinx.coroutines.CoroutineScopeKt;
import kotlinx.coroutines.JobKt;
import kotlinx.coroutines.channels.BufferOverflow;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.FlowKt;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The bad-input catalogue, {@code docs/bad-input.md}: every misuse listed there, run for real, must
 * end exactly as the table says (the exception's simple class name and its whole message, or the
 * value returned), and for every row not marked as a gap the message must name the argument or the
 * misuse (each word of the case's {@code names}, as a whole word).
 *
 * <p>The tables of the document are generated from the cases below: run this class with
 * {@code -Dcoflow.badInput.print=/tmp/tables.md} to write them from the actual outcomes, then paste
 * them into the document. {@link #everyCaseHasARowAndEveryRowACase()} keeps the two in step, and a
 * new public method of {@link AsyncFlow} gets its null-argument rows from the reflective sweep
 * ({@link #nullArgumentCases()}), so it cannot be forgotten.
 *
 * <p>Each case runs on a thread of its own and is bounded: one that does not finish within 5 s
 * fails as a hang (and is interrupted).
 */
class BadInputCatalogueTest {
    private static final long BOUND_SECONDS = 5;
    /** Stands for any text in a documented message (identity hash codes and the like). */
    private static final String ANY = "…";

    // ---- the model of a row ------------------------------------------------------------------------

    /** Whether the outcome is what a user should get. */
    enum Kind {
        OK,
        FIXED,
        GAP
    }

    /** {@code ok}, {@code fixed} (on this branch) or {@code gap: File.java} (unclear; fix suggested there). */
    record Status(Kind kind, String where) {
        static final Status OK = new Status(Kind.OK, null);
        static final Status FIXED = new Status(Kind.FIXED, null);

        static Status gap(String where) {
            return new Status(Kind.GAP, where);
        }

        String text() {
            return switch (kind) {
                case OK -> "ok";
                case FIXED -> "fixed";
                case GAP -> "gap: " + where;
            };
        }
    }

    /**
     * One misuse. {@code names}: the words (space-separated) the message must contain; {@code mask}:
     * a regex for the parts of the message that vary between runs, replaced by {@link #ANY}.
     */
    record Case(
            String section, String id, String misuse, String names, Status status, String mask, Callable<Object> run) {}

    /** How a case ended: {@code type} is an exception's simple class name, or {@code returns}. */
    record Outcome(String type, String message) {}

    /** One row of a table of the document. */
    record Row(String id, String misuse, String type, String message, String status) {}

    // ---- the tests ---------------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> everyRowOfTheCatalogueHolds() throws IOException {
        Map<String, Case> cases = casesById();
        maybePrintTables(cases);
        return documentedRows().stream()
                .map(row -> DynamicTest.dynamicTest(row.id(), () -> {
                    Case c = cases.get(row.id());
                    if (c == null) {
                        fail("docs/bad-input.md has a row " + row.id() + " that no case of this class backs");
                    }
                    Outcome o = run(c);
                    String hint = c.status().kind() == Kind.GAP
                            ? " (a known gap, see " + c.status().where() + "; if you fixed it, regenerate the row)"
                            : "";
                    assertEquals(
                            row.type(),
                            o.type(),
                            () -> row.id() + ": exception type differs from the catalogue" + hint);
                    assertEquals(
                            row.message(), o.message(), () -> row.id() + ": message differs from the catalogue" + hint);
                    assertEquals(
                            row.status(), c.status().text(), () -> row.id() + ": status differs from the catalogue");
                    assertEquals(
                            row.misuse(),
                            escapeCode(c.misuse()),
                            () -> row.id() + ": misuse text differs from the catalogue");
                    if (c.status().kind() != Kind.GAP && !o.type().equals("returns")) {
                        for (String word : c.names().split(" ")) {
                            assertTrue(
                                    containsWord(o.message(), word),
                                    () -> row.id() + ": the message must name '" + word + "': " + o.message());
                        }
                    }
                }));
    }

    @Test
    void everyCaseHasARowAndEveryRowACase() throws IOException {
        List<String> documented = documentedRows().stream().map(Row::id).toList();
        List<String> defined = new ArrayList<>(casesById().keySet());
        assertEquals(documented.size(), documented.stream().distinct().count(), "duplicate ids in docs/bad-input.md");
        List<String> missing =
                defined.stream().filter(id -> !documented.contains(id)).toList();
        List<String> extra =
                documented.stream().filter(id -> !defined.contains(id)).toList();
        assertEquals(
                List.of(), missing, "cases without a row in docs/bad-input.md (run with -Dcoflow.badInput.print=FILE)");
        assertEquals(List.of(), extra, "rows of docs/bad-input.md without a case");
    }

    @Test
    void theNullSweepReachesEveryReferenceParameterOfEveryPublicMethod() {
        long params = publicMethods().stream()
                .flatMap(m -> Arrays.stream(m.getParameters()))
                .filter(p -> !p.getType().isPrimitive())
                .count();
        long nullable = 2; // paginateByToken's initialToken, in both overloads: null means "no token"
        assertEquals(params - nullable, nullArgumentCases().size());
        assertTrue(params > 80, "the sweep found too few parameters: " + params);
    }

    // ---- running a case ----------------------------------------------------------------------------

    /** Runs {@code c} on its own thread, bounded; a hang fails the test. */
    private static Outcome run(Case c) throws InterruptedException {
        FutureTask<Object> task = new FutureTask<>(c.run());
        Thread t = new Thread(task, "bad-input-case");
        t.setDaemon(true);
        t.start();
        Object value;
        try {
            value = task.get(BOUND_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            t.interrupt();
            throw new AssertionError(c.id() + ": hung for " + BOUND_SECONDS + " s: " + c.misuse());
        } catch (ExecutionException e) {
            Throwable failure = e.getCause();
            String message = String.valueOf(failure.getMessage());
            if (c.mask() != null) {
                message = message.replaceAll(c.mask(), ANY);
            }
            return new Outcome(failure.getClass().getSimpleName(), message);
        }
        return new Outcome("returns", String.valueOf(value));
    }

    private static boolean containsWord(String text, String word) {
        return Pattern.compile("(?<![A-Za-z0-9_])" + Pattern.quote(word) + "(?![A-Za-z0-9_])")
                .matcher(text)
                .find();
    }

    // ---- the cases ---------------------------------------------------------------------------------

    private static Map<String, Case> casesById() {
        Map<String, Case> byId = new LinkedHashMap<>();
        List<Case> all = new ArrayList<>(nullArgumentCases());
        all.addAll(handWrittenCases());
        for (Case c : all) {
            if (byId.put(c.id(), c) != null) {
                throw new AssertionError("duplicate case id " + c.id());
            }
        }
        return byId;
    }

    /** Collects a flow of the cases' usual shape. */
    private static List<?> list(AsyncFlow<?> f) {
        return f.toList();
    }

    /** Waits for a future, bounded, and rethrows its failure unwrapped (as the catalogue reports it). */
    private static <T> T join(CompletableFuture<T> f) throws Exception {
        try {
            return f.get(BOUND_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            throw (Error) cause;
        }
    }

    private static AsyncFlow<Integer> failing(String message) {
        return AsyncFlow.generate(out -> {
            out.emit(1);
            throw new IllegalStateException(message);
        });
    }

    /** A body that emits 0..999 and swallows every CancellationException its emit throws. */
    private static final class Swallower {
        final AtomicInteger swallowed = new AtomicInteger();
        final AtomicBoolean emittedAfterCancellation = new AtomicBoolean();
        final CountDownLatch ended = new CountDownLatch(1);
        final CountDownLatch firstEmit = new CountDownLatch(1);

        AsyncFlow<Integer> flow(boolean waitBetween) {
            return AsyncFlow.generate(out -> {
                try {
                    for (int i = 0; i < 1000; i++) {
                        try {
                            out.emit(i);
                            firstEmit.countDown();
                            if (swallowed.get() > 0) {
                                emittedAfterCancellation.set(true);
                            }
                            if (waitBetween) {
                                Suspend.delay(1);
                            }
                        } catch (CancellationException e) {
                            swallowed.incrementAndGet(); // the misuse: neither rethrown nor the loop left
                        }
                    }
                } finally {
                    ended.countDown();
                }
            });
        }

        String report(Object result) throws InterruptedException {
            boolean done = ended.await(BOUND_SECONDS, TimeUnit.SECONDS);
            return result + "; the body's loop ended: " + done + "; after the first CancellationException every emit "
                    + "threw one too: " + (swallowed.get() > 0 && !emittedAfterCancellation.get());
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<Case> handWrittenCases() {
        List<Case> cs = new ArrayList<>();
        AsyncFlow<Integer> f = AsyncFlow.of(1, 2, 3);

        String s = "Null elements and null results";
        cs.add(new Case(
                s,
                "of.nullElement",
                "AsyncFlow.of(1, null, 3)",
                "of null",
                Status.OK,
                null,
                () -> AsyncFlow.of(1, null, 3)));
        cs.add(new Case(
                s,
                "fromIterable.nullElement",
                "AsyncFlow.fromIterable(Arrays.asList(1, null)).toList()",
                "fromIterable null",
                Status.OK,
                null,
                () -> list(AsyncFlow.fromIterable(Arrays.asList(1, null)))));
        cs.add(new Case(
                s,
                "fromIterable.nullIterator",
                "AsyncFlow.fromIterable(() -> null).toList()",
                "fromIterable iterator() null",
                Status.FIXED,
                null,
                () -> list(AsyncFlow.<Integer>fromIterable(() -> null))));
        cs.add(new Case(
                s,
                "fromIterable.nullIterator.iterator",
                "AsyncFlow.fromIterable(() -> null).iterator().hasNext()",
                "fromIterable iterator() null",
                Status.FIXED,
                null,
                () -> {
                    try (CloseableIterator<Integer> it =
                            AsyncFlow.<Integer>fromIterable(() -> null).iterator()) {
                        return it.hasNext();
                    }
                }));
        cs.add(new Case(
                s,
                "fromStream.nullStream",
                "AsyncFlow.fromStream(() -> null).toList()",
                "fromStream null",
                Status.OK,
                null,
                () -> list(AsyncFlow.fromStream(() -> null))));
        cs.add(new Case(
                s,
                "fromFuture.nullStage",
                "AsyncFlow.fromFuture(() -> null).toList()",
                "fromFuture null",
                Status.OK,
                null,
                () -> list(AsyncFlow.fromFuture(() -> null))));
        cs.add(new Case(
                s,
                "defer.nullFlow",
                "AsyncFlow.defer(() -> null).toList()",
                "defer null",
                Status.OK,
                null,
                () -> list(AsyncFlow.defer(() -> null))));
        cs.add(new Case(
                s,
                "from.nullElement",
                "AsyncFlow.from(FlowKt.flowOf((Object) null)).toList()",
                "from null",
                Status.OK,
                null,
                () -> list(AsyncFlow.from(FlowKt.flowOf((Object) null)))));
        cs.add(new Case(
                s,
                "merge.nullFlowInArray",
                "AsyncFlow.merge(f, null)",
                "flows[1]",
                Status.OK,
                null,
                () -> AsyncFlow.merge(f, null)));
        cs.add(new Case(
                s,
                "merge.nullFlowInList",
                "AsyncFlow.merge(Arrays.asList(f, null))",
                "flows[1]",
                Status.OK,
                null,
                () -> AsyncFlow.merge(Arrays.asList(f, null))));
        cs.add(new Case(
                s,
                "emit.null",
                "generate(out -> out.emit(null)).toList()",
                "emit(null)",
                Status.OK,
                null,
                () -> list(AsyncFlow.<Integer>generate(out -> out.emit(null)))));
        cs.add(new Case(
                s,
                "emitAll.nullFlow",
                "generate(out -> out.emitAll((Flow<Integer>) null)).toList()",
                "flow",
                Status.OK,
                null,
                () -> list(AsyncFlow.<Integer>generate(out -> out.emitAll((Flow<Integer>) null)))));
        cs.add(new Case(
                s,
                "emitAll.nullIterable",
                "generate(out -> out.emitAll((Iterable<Integer>) null)).toList()",
                "values",
                Status.OK,
                null,
                () -> list(AsyncFlow.<Integer>generate(out -> out.emitAll((Iterable<Integer>) null)))));
        cs.add(new Case(
                s,
                "map.nullResult",
                "f.map(x -> null).toList()",
                "map null",
                Status.OK,
                null,
                () -> list(f.map(x -> null))));
        cs.add(new Case(
                s,
                "map.nullResult.kotlinxPath",
                "generate(1, 2, 3).map(x -> null).toList()",
                "map null",
                Status.OK,
                null,
                () -> list(AsyncFlow.<Integer>generate(out -> out.emitAll(List.of(1, 2, 3)))
                        .map(x -> null))));
        cs.add(new Case(
                s,
                "mapNotNull.allNull",
                "f.mapNotNull(x -> null).toList()",
                "",
                Status.OK,
                null,
                () -> list(f.mapNotNull(x -> null))));
        cs.add(new Case(
                s,
                "scan.nullResult",
                "f.scan(0, (a, x) -> null).toList()",
                "scan null",
                Status.OK,
                null,
                () -> list(f.scan(0, (a, x) -> null))));
        cs.add(new Case(
                s,
                "zip.nullResult",
                "f.zip(f, (a, b) -> null).toList()",
                "zip null",
                Status.OK,
                null,
                () -> list(f.zip(f, (a, b) -> null))));
        cs.add(new Case(
                s,
                "combine.nullResult",
                "f.combine(f, (a, b) -> null).toList()",
                "combine null",
                Status.OK,
                null,
                () -> list(f.combine(f, (a, b) -> null))));
        cs.add(new Case(
                s,
                "flatMapConcat.nullFlow",
                "f.flatMapConcat(x -> null).toList()",
                "flatMapConcat null",
                Status.OK,
                null,
                () -> list(f.flatMapConcat(x -> null))));
        cs.add(new Case(
                s,
                "flatMapMerge.nullFlow",
                "f.flatMapMerge(x -> null).toList()",
                "flatMapMerge null",
                Status.OK,
                null,
                () -> list(f.flatMapMerge(x -> null))));
        cs.add(new Case(
                s,
                "flatMapLatest.nullFlow",
                "f.flatMapLatest(x -> null).toList()",
                "flatMapLatest null",
                Status.OK,
                null,
                () -> list(f.flatMapLatest(x -> null))));
        cs.add(new Case(
                s,
                "flatMapConcat.innerNullElement",
                "f.flatMapConcat(x -> FlowKt.flowOf((Object) null)).toList()",
                "flatMapConcat null",
                Status.OK,
                null,
                () -> list(f.flatMapConcat(x -> FlowKt.flowOf((Object) null)))));
        cs.add(new Case(
                s,
                "mapAsync.nullResult",
                "f.mapAsync(2, x -> null).toList()",
                "mapAsync null",
                Status.OK,
                null,
                () -> list(f.mapAsync(2, x -> null))));
        cs.add(new Case(
                s,
                "mapAsyncStage.nullStage",
                "f.mapAsyncStage(2, x -> null).toList()",
                "mapAsyncStage null",
                Status.OK,
                null,
                () -> list(f.mapAsyncStage(2, x -> null))));
        cs.add(new Case(
                s,
                "mapAsyncStage.nullValue",
                "f.mapAsyncStage(2, x -> completedFuture(null)).toList()",
                "mapAsyncStage null",
                Status.OK,
                null,
                () -> list(f.mapAsyncStage(2, x -> CompletableFuture.completedFuture(null)))));
        cs.add(new Case(
                s,
                "mapAsyncUnordered.nullResult",
                "f.mapAsyncUnordered(2, x -> null).toList()",
                "mapAsyncUnordered null",
                Status.OK,
                null,
                () -> list(f.mapAsyncUnordered(2, x -> null))));
        cs.add(new Case(
                s,
                "onErrorResume.nullFlow",
                "failing.onErrorResume(e -> null).toList()",
                "onErrorResume null",
                Status.OK,
                null,
                () -> list(failing("boom").onErrorResume(e -> null))));
        cs.add(new Case(
                s,
                "using.acquireNull",
                "AsyncFlow.using(() -> null, r -> f, r -> {}).toList()",
                "using acquire null",
                Status.OK,
                null,
                () -> list(AsyncFlow.using(() -> null, r -> f, r -> {}))));
        cs.add(new Case(
                s,
                "using.useNull",
                "AsyncFlow.using(() -> \"r\", r -> null, r -> {}).toList()",
                "using null",
                Status.OK,
                null,
                () -> list(AsyncFlow.<String, Integer>using(() -> "r", r -> null, r -> {}))));
        cs.add(new Case(
                s,
                "paginate.nullPage",
                "AsyncFlow.paginate(page -> null).toList()",
                "",
                Status.OK,
                null,
                () -> list(AsyncFlow.<Integer>paginate(page -> null))));
        cs.add(new Case(
                s,
                "paginate.nullItem",
                "AsyncFlow.paginate(page -> page == 0 ? Arrays.asList(1, null) : List.of()).toList()",
                "paginate null",
                Status.OK,
                null,
                () -> list(AsyncFlow.<Integer>paginate(page -> page == 0 ? Arrays.asList(1, null) : List.of()))));
        cs.add(new Case(
                s,
                "paginateAsync.nullStage",
                "AsyncFlow.paginateAsync(page -> null).toList()",
                "paginateAsync null",
                Status.OK,
                null,
                () -> list(AsyncFlow.<Integer>paginateAsync(page -> null))));
        cs.add(new Case(
                s,
                "paginateByToken.nullPage",
                "AsyncFlow.paginateByToken(null, token -> null).toList()",
                "paginateByToken null",
                Status.OK,
                null,
                () -> list(AsyncFlow.<Integer>paginateByToken(null, t -> null))));
        cs.add(new Case(
                s,
                "toMap.nullKey",
                "f.toMap(x -> null, x -> x)",
                "toMap keyFn null",
                Status.OK,
                null,
                () -> f.toMap(x -> null, x -> x)));
        cs.add(new Case(
                s,
                "toMap.nullValue",
                "f.toMap(x -> x, x -> null)",
                "toMap valueFn null",
                Status.OK,
                null,
                () -> f.toMap(x -> x, x -> null)));
        cs.add(new Case(
                s,
                "fold.nullResult",
                "f.fold(0, (a, x) -> null)",
                "fold null",
                Status.OK,
                null,
                () -> f.fold(0, (a, x) -> null)));
        cs.add(new Case(
                s,
                "reduce.nullResult",
                "f.reduce((a, x) -> null)",
                "reduce null",
                Status.OK,
                null,
                () -> f.reduce((a, x) -> null)));
        cs.add(new Case(
                s,
                "channelFlow.sendNull",
                "AsyncFlow.channelFlow(p -> p.send(null)).toList()",
                "channelFlow null",
                Status.OK,
                null,
                () -> list(AsyncFlow.<Integer>channelFlow(p -> p.send(null)))));
        cs.add(new Case(
                s,
                "callbackFlow.trySendNull",
                "AsyncFlow.callbackFlow(p -> p.trySend(null)).toList()",
                "callbackFlow null",
                Status.OK,
                null,
                () -> list(AsyncFlow.<Integer>callbackFlow(p -> p.trySend(null)))));

        s = "Sizes, counts and durations out of range";
        cs.add(new Case(s, "take.negative", "f.take(-1)", "take n", Status.OK, null, () -> f.take(-1)));
        cs.add(new Case(
                s,
                "take.minValue",
                "f.take(Integer.MIN_VALUE)",
                "take n",
                Status.OK,
                null,
                () -> f.take(Integer.MIN_VALUE)));
        cs.add(new Case(s, "take.zero", "f.take(0).toList()", "", Status.OK, null, () -> list(f.take(0))));
        cs.add(new Case(s, "drop.negative", "f.drop(-1)", "drop n", Status.OK, null, () -> f.drop(-1)));
        cs.add(new Case(
                s,
                "drop.beyondEnd",
                "f.drop(Integer.MAX_VALUE).toList()",
                "",
                Status.OK,
                null,
                () -> list(f.drop(Integer.MAX_VALUE))));
        cs.add(new Case(s, "buffer.negative", "f.buffer(-5)", "buffer capacity", Status.OK, null, () -> f.buffer(-5)));
        cs.add(new Case(
                s,
                "buffer.negativeWithPolicy",
                "f.buffer(-5, BufferOverflow.DROP_OLDEST)",
                "buffer capacity",
                Status.OK,
                null,
                () -> f.buffer(-5, BufferOverflow.DROP_OLDEST)));
        cs.add(new Case(
                s,
                "buffer.zeroDropOldest",
                "f.buffer(0, BufferOverflow.DROP_OLDEST)",
                "buffer capacity",
                Status.OK,
                null,
                () -> f.buffer(0, BufferOverflow.DROP_OLDEST)));
        cs.add(new Case(
                s,
                "buffer.zeroDropLatest",
                "f.buffer(0, BufferOverflow.DROP_LATEST)",
                "buffer capacity",
                Status.OK,
                null,
                () -> f.buffer(0, BufferOverflow.DROP_LATEST)));
        cs.add(new Case(s, "buffer.zero", "f.buffer(0).toList()", "", Status.OK, null, () -> list(f.buffer(0))));
        cs.add(new Case(s, "chunked.zero", "f.chunked(0)", "chunked size", Status.OK, null, () -> f.chunked(0)));
        cs.add(new Case(s, "chunked.negative", "f.chunked(-3)", "chunked size", Status.OK, null, () -> f.chunked(-3)));
        cs.add(new Case(
                s,
                "flatMapMerge.concurrencyZero",
                "f.flatMapMerge(0, x -> f)",
                "flatMapMerge concurrency",
                Status.OK,
                null,
                () -> f.flatMapMerge(0, x -> f)));
        cs.add(new Case(
                s,
                "mapAsync.concurrencyZero",
                "f.mapAsync(0, x -> x)",
                "mapAsync concurrency",
                Status.OK,
                null,
                () -> f.mapAsync(0, x -> x)));
        cs.add(new Case(
                s,
                "mapAsyncStage.concurrencyZero",
                "f.mapAsyncStage(0, x -> completedFuture(x))",
                "mapAsyncStage concurrency",
                Status.OK,
                null,
                () -> f.mapAsyncStage(0, x -> CompletableFuture.completedFuture(x))));
        cs.add(new Case(
                s,
                "mapAsyncUnordered.concurrencyNegative",
                "f.mapAsyncUnordered(-1, x -> x)",
                "mapAsyncUnordered concurrency",
                Status.OK,
                null,
                () -> f.mapAsyncUnordered(-1, x -> x)));
        cs.add(new Case(
                s,
                "mapAsyncStageUnordered.concurrencyZero",
                "f.mapAsyncStageUnordered(0, x -> completedFuture(x))",
                "mapAsyncStageUnordered concurrency",
                Status.OK,
                null,
                () -> f.mapAsyncStageUnordered(0, x -> CompletableFuture.completedFuture(x))));
        cs.add(new Case(s, "retry.negative", "f.retry(-1)", "retry retries", Status.OK, null, () -> f.retry(-1)));
        cs.add(new Case(
                s,
                "retryPredicate.negative",
                "f.retry(-1, e -> true)",
                "retry retries",
                Status.OK,
                null,
                () -> f.retry(-1, e -> true)));
        cs.add(new Case(
                s,
                "timeout.zero",
                "f.timeout(Duration.ZERO)",
                "timeout limit",
                Status.OK,
                null,
                () -> f.timeout(Duration.ZERO)));
        cs.add(new Case(
                s,
                "timeout.negative",
                "f.timeout(Duration.ofMillis(-1))",
                "timeout limit",
                Status.OK,
                null,
                () -> f.timeout(Duration.ofMillis(-1))));
        cs.add(new Case(
                s,
                "timeoutEach.zero",
                "f.timeoutEach(Duration.ZERO)",
                "timeoutEach limit",
                Status.OK,
                null,
                () -> f.timeoutEach(Duration.ZERO)));
        cs.add(new Case(
                s,
                "timeout.forever",
                "f.timeout(ChronoUnit.FOREVER.getDuration()).toList()",
                "",
                Status.FIXED,
                null,
                () -> list(f.timeout(ChronoUnit.FOREVER.getDuration()))));
        cs.add(new Case(
                s,
                "timeoutEach.forever",
                "f.timeoutEach(ChronoUnit.FOREVER.getDuration()).toList()",
                "",
                Status.FIXED,
                null,
                () -> list(f.timeoutEach(ChronoUnit.FOREVER.getDuration()))));
        cs.add(new Case(
                s,
                "debounce.negative",
                "f.debounce(Duration.ofMillis(-1))",
                "debounce timeout",
                Status.OK,
                null,
                () -> f.debounce(Duration.ofMillis(-1))));
        cs.add(new Case(
                s,
                "debounce.forever",
                "f.debounce(ChronoUnit.FOREVER.getDuration()).toList()",
                "",
                Status.OK,
                null,
                () -> list(f.debounce(ChronoUnit.FOREVER.getDuration()))));
        cs.add(new Case(
                s,
                "sample.zero",
                "f.sample(Duration.ZERO)",
                "sample period",
                Status.OK,
                null,
                () -> f.sample(Duration.ZERO)));
        cs.add(new Case(
                s,
                "sample.negative",
                "f.sample(Duration.ofMillis(-1))",
                "sample period",
                Status.OK,
                null,
                () -> f.sample(Duration.ofMillis(-1))));
        cs.add(new Case(
                s,
                "paginate.negativePrefetch",
                "AsyncFlow.paginate(page -> List.of(), -1)",
                "paginate prefetchPages",
                Status.OK,
                null,
                () -> AsyncFlow.<Integer>paginate(page -> List.of(), -1)));
        cs.add(new Case(
                s,
                "paginateByToken.negativePrefetch",
                "AsyncFlow.paginateByToken(null, t -> Page.last(List.of()), -1)",
                "paginateByToken prefetchPages",
                Status.OK,
                null,
                () -> AsyncFlow.<Integer>paginateByToken(null, t -> Page.last(List.of()), -1)));
        cs.add(new Case(
                s,
                "shareIn.negativeReplay",
                "f.shareIn(scope, SharingStarted.LAZILY, -1)",
                "shareIn replay",
                Status.OK,
                null,
                () -> f.shareIn(cancelledScope(), SharingStarted.LAZILY, -1)));
        cs.add(new Case(
                s,
                "range.reversed",
                "AsyncFlow.range(5, 1).toList()",
                "",
                Status.OK,
                null,
                () -> list(AsyncFlow.range(5, 1))));
        cs.add(new Case(
                s,
                "flowOn.job",
                "f.flowOn(Job())",
                "flowOn context Job",
                Status.OK,
                "@[0-9a-f]+$",
                () -> f.flowOn(JobKt.Job(null))));
        cs.add(new Case(
                s,
                "toPublisher.job",
                "f.toPublisher(Job())",
                "toPublisher context Job",
                Status.OK,
                null,
                () -> f.toPublisher(JobKt.Job(null))));
        cs.add(new Case(
                s,
                "whileSubscribed.negative",
                "SharingStarted.whileSubscribed(Duration.ofSeconds(-1))",
                "stopTimeout",
                Status.OK,
                null,
                () -> SharingStarted.whileSubscribed(Duration.ofSeconds(-1))));
        cs.add(new Case(
                s,
                "whileSubscribed.negativeExpiration",
                "SharingStarted.whileSubscribed(Duration.ZERO, Duration.ofSeconds(-1))",
                "replayExpiration",
                Status.OK,
                null,
                () -> SharingStarted.whileSubscribed(Duration.ZERO, Duration.ofSeconds(-1))));
        cs.add(new Case(
                s,
                "backoff.negativeInitial",
                "Backoff.exponential(Duration.ofMillis(-1), 2.0, Duration.ofSeconds(1), 3)",
                "Backoff initial",
                Status.OK,
                null,
                () -> Backoff.exponential(Duration.ofMillis(-1), 2.0, Duration.ofSeconds(1), 3)));
        cs.add(new Case(
                s,
                "backoff.multiplierBelowOne",
                "Backoff.exponential(Duration.ofMillis(1), 0.5, Duration.ofSeconds(1), 3)",
                "Backoff multiplier",
                Status.OK,
                null,
                () -> Backoff.exponential(Duration.ofMillis(1), 0.5, Duration.ofSeconds(1), 3)));
        cs.add(new Case(
                s,
                "backoff.multiplierNaN",
                "Backoff.exponential(Duration.ofMillis(1), Double.NaN, Duration.ofSeconds(1), 3)",
                "Backoff multiplier",
                Status.OK,
                null,
                () -> Backoff.exponential(Duration.ofMillis(1), Double.NaN, Duration.ofSeconds(1), 3)));
        cs.add(new Case(
                s,
                "backoff.maxBelowInitial",
                "Backoff.exponential(Duration.ofSeconds(2), 2.0, Duration.ofSeconds(1), 3)",
                "Backoff max initial",
                Status.OK,
                null,
                () -> Backoff.exponential(Duration.ofSeconds(2), 2.0, Duration.ofSeconds(1), 3)));
        cs.add(new Case(
                s,
                "backoff.zeroAttempts",
                "Backoff.exponential(Duration.ofMillis(1), 2.0, Duration.ofSeconds(1), 0)",
                "Backoff maxAttempts",
                Status.OK,
                null,
                () -> Backoff.exponential(Duration.ofMillis(1), 2.0, Duration.ofSeconds(1), 0)));
        cs.add(new Case(
                s,
                "backoff.jitterAboveOne",
                "Backoff.fixed(Duration.ofMillis(1), 3).withJitter(1.5)",
                "Backoff jitter",
                Status.OK,
                null,
                () -> Backoff.fixed(Duration.ofMillis(1), 3).withJitter(1.5)));
        cs.add(new Case(
                s,
                "backoff.nullInitial",
                "Backoff.exponential(null, 2.0, Duration.ofSeconds(1), 3)",
                "initial",
                Status.OK,
                null,
                () -> Backoff.exponential(null, 2.0, Duration.ofSeconds(1), 3)));
        cs.add(new Case(
                s,
                "backoff.nullRetryOn",
                "Backoff.fixed(Duration.ofMillis(1), 3).retryOn(null)",
                "predicate",
                Status.OK,
                null,
                () -> Backoff.fixed(Duration.ofMillis(1), 3).retryOn(null)));
        cs.add(new Case(
                s,
                "backoff.foreverMax",
                "failing(\"boom\").retry(Backoff.exponential(Duration.ofMillis(1), 2.0, ChronoUnit.FOREVER.getDuration(), 2)).toList()",
                "boom",
                Status.FIXED,
                null,
                () -> list(failing("boom")
                        .retry(Backoff.exponential(Duration.ofMillis(1), 2.0, ChronoUnit.FOREVER.getDuration(), 2)))));

        s = "Emitters used outside their body";
        cs.add(new Case(
                s,
                "generate.emitAfterReturn",
                "Emitter kept from generate(out -> saved = out), emit(1) after toList()",
                "body returned emit",
                Status.OK,
                null,
                () -> {
                    AtomicReference<Emitter<Integer>> saved = new AtomicReference<>();
                    AsyncFlow.<Integer>generate(saved::set).toList();
                    saved.get().emit(1);
                    return null;
                }));
        cs.add(new Case(
                s,
                "generate.emitFromOtherThread",
                "generate(out -> a thread named \"other\" calls out.emit(1))",
                "emit thread other",
                Status.OK,
                null,
                () -> list(AsyncFlow.<Integer>generate(out -> {
                    AtomicReference<Throwable> failure = new AtomicReference<>();
                    Thread t = new Thread(
                            () -> {
                                try {
                                    out.emit(1);
                                } catch (Throwable e) {
                                    failure.set(e);
                                }
                            },
                            "other");
                    t.start();
                    t.join(TimeUnit.SECONDS.toMillis(BOUND_SECONDS));
                    throw (RuntimeException) failure.get();
                }))));
        cs.add(new Case(
                s,
                "generate.emitAllFromOtherThread",
                "generate(out -> a thread named \"other\" calls out.emitAll(f))",
                "emit thread other",
                Status.OK,
                null,
                () -> list(AsyncFlow.<Integer>generate(out -> {
                    AtomicReference<Throwable> failure = new AtomicReference<>();
                    Thread t = new Thread(
                            () -> {
                                try {
                                    out.emitAll(f);
                                } catch (Throwable e) {
                                    failure.set(e);
                                }
                            },
                            "other");
                    t.start();
                    t.join(TimeUnit.SECONDS.toMillis(BOUND_SECONDS));
                    throw (RuntimeException) failure.get();
                }))));
        cs.add(new Case(
                s,
                "transform.emitAfterReturn",
                "Emitter kept from f.transform((x, out) -> saved = out), emit(1) later",
                "transform body returned emit",
                Status.OK,
                null,
                () -> {
                    AtomicReference<Emitter<Integer>> saved = new AtomicReference<>();
                    f.<Integer>transform((x, out) -> saved.set(out)).toList();
                    saved.get().emit(1);
                    return null;
                }));
        cs.add(new Case(
                s,
                "onStart.emitAfterReturn",
                "Emitter kept from f.onStart(out -> saved = out), emit(1) later",
                "onStart body returned emit",
                Status.OK,
                null,
                () -> {
                    AtomicReference<Emitter<Integer>> saved = new AtomicReference<>();
                    f.onStart(saved::set).toList();
                    saved.get().emit(1);
                    return null;
                }));
        cs.add(new Case(
                s,
                "catchError.emitAfterReturn",
                "Emitter kept from failing.catchError((e, out) -> saved = out), emit(1) later",
                "catchError body returned emit",
                Status.OK,
                null,
                () -> {
                    AtomicReference<Emitter<Integer>> saved = new AtomicReference<>();
                    failing("boom").catchError((e, out) -> saved.set(out)).toList();
                    saved.get().emit(1);
                    return null;
                }));
        cs.add(new Case(
                s,
                "channelFlow.sendAfterReturn",
                "Producer kept from channelFlow(p -> saved = p), send(1) after toList()",
                "send ended",
                Status.FIXED,
                null,
                () -> {
                    AtomicReference<Producer<Integer>> saved = new AtomicReference<>();
                    AsyncFlow.<Integer>channelFlow(saved::set).toList();
                    saved.get().send(1);
                    return null;
                }));
        cs.add(new Case(
                s,
                "channelFlow.trySendAfterReturn",
                "Producer kept from channelFlow(p -> saved = p), trySend(1) after toList()",
                "",
                Status.OK,
                null,
                () -> {
                    AtomicReference<Producer<Integer>> saved = new AtomicReference<>();
                    AsyncFlow.<Integer>channelFlow(saved::set).toList();
                    return saved.get().trySend(1);
                }));
        cs.add(new Case(
                s,
                "callbackFlow.noAwaitClose",
                "AsyncFlow.callbackFlow(p -> p.trySend(1)).toList()",
                "awaitClose",
                Status.gap("Channels.java"),
                null,
                () -> list(AsyncFlow.<Integer>callbackFlow(p -> p.trySend(1)))));
        cs.add(new Case(
                s,
                "callbackFlow.awaitCloseInLaunchedBody",
                "callbackFlow(p -> { p.launch(() -> p.awaitClose(() -> {})); p.awaitClose(() -> {}); })",
                "awaitClose",
                Status.OK,
                null,
                () -> list(AsyncFlow.<Integer>callbackFlow(p -> {
                    p.launch(() -> p.awaitClose(() -> {}));
                    p.awaitClose(() -> {});
                }))));

        s = "Iterators and streams after close or past the end";
        cs.add(new Case(
                s,
                "iterator.nextPastEnd",
                "it = AsyncFlow.of(1).iterator(); it.next(); it.next()",
                "no more elements",
                Status.OK,
                null,
                () -> {
                    try (CloseableIterator<Integer> it = AsyncFlow.of(1).iterator()) {
                        it.next();
                        return it.next();
                    }
                }));
        cs.add(new Case(
                s,
                "iterator.nextAfterClose",
                "it = f.iterator(); it.next(); it.close(); it.next()",
                "closed",
                Status.FIXED,
                null,
                () -> {
                    CloseableIterator<Integer> it = f.iterator();
                    it.next();
                    it.close();
                    return it.next();
                }));
        cs.add(new Case(
                s,
                "iterator.hasNextAfterClose",
                "it = f.iterator(); it.next(); it.close(); it.hasNext()",
                "",
                Status.OK,
                null,
                () -> {
                    CloseableIterator<Integer> it = f.iterator();
                    it.next();
                    it.close();
                    return it.hasNext();
                }));
        cs.add(new Case(
                s,
                "iterator.hasNextAfterCloseBeforeStart",
                "it = f.iterator(); it.close(); it.hasNext()",
                "",
                Status.OK,
                null,
                () -> {
                    CloseableIterator<Integer> it = f.iterator();
                    it.close();
                    return it.hasNext();
                }));
        cs.add(new Case(
                s,
                "iterator.closeTwice",
                "it = f.iterator(); it.next(); it.close(); it.close(); it.hasNext()",
                "",
                Status.OK,
                null,
                () -> {
                    CloseableIterator<Integer> it = f.iterator();
                    it.next();
                    it.close();
                    it.close();
                    return it.hasNext();
                }));
        cs.add(new Case(
                s,
                "iterator.hasNextAfterFailure",
                "it = failing(\"boom\").iterator(); it.next(); it.hasNext() throws; it.hasNext() again",
                "",
                Status.OK,
                null,
                () -> {
                    CloseableIterator<Integer> it = failing("boom").iterator();
                    it.next();
                    try {
                        it.hasNext();
                        return "no failure";
                    } catch (IllegalStateException e) {
                        return it.hasNext();
                    }
                }));
        cs.add(new Case(s, "iterator.removeUnsupported", "f.iterator().remove()", "remove", Status.OK, null, () -> {
            try (CloseableIterator<Integer> it = f.iterator()) {
                it.next();
                it.remove();
                return null;
            }
        }));
        cs.add(new Case(
                s, "stream.afterClose", "s = f.stream(); s.close(); s.toList()", "closed", Status.OK, null, () -> {
                    Stream<Integer> st = f.stream();
                    st.close();
                    return st.toList();
                }));
        cs.add(new Case(s, "stream.twice", "s = f.stream(); s.toList(); s.toList()", "closed", Status.OK, null, () -> {
            try (Stream<Integer> st = f.stream()) {
                st.toList();
                return st.toList();
            }
        }));

        s = "Re-entrant and nested collection";
        AsyncFlow<Integer>[] self = new AsyncFlow[1];
        self[0] = AsyncFlow.generate(out -> {
            out.emit(1);
            out.emit(2);
        });
        cs.add(new Case(
                s,
                "generate.consumerCollectsSameFlow",
                "self.forEach(v -> results.add(self.toList())) with self = generate(1, 2)",
                "",
                Status.OK,
                null,
                () -> {
                    List<Object> results = new ArrayList<>();
                    self[0].forEach(v -> results.add(self[0].toList()));
                    return results;
                }));
        cs.add(new Case(
                s,
                "generate.mapCollectsSameFlow",
                "self.map(v -> self.toList()).toList() with self = generate(1, 2)",
                "",
                Status.OK,
                null,
                () -> list(self[0].map(v -> self[0].toList()))));
        cs.add(new Case(
                s,
                "generate.bodyCollectsItsOwnFlowOnce",
                "rec = generate(out -> { out.emit(1); out.emitAll(rec.take(1)); }); rec.take(3).toList()",
                "",
                Status.OK,
                null,
                () -> {
                    AsyncFlow<Integer>[] rec = new AsyncFlow[1];
                    rec[0] = AsyncFlow.generate(out -> {
                        out.emit(1);
                        out.emitAll(rec[0].take(1));
                    });
                    return rec[0].take(3).toList();
                }));
        AsyncFlow<Integer> lookup = AsyncFlow.generate(out -> {
            out.emit(10);
            out.emit(20);
        });
        cs.add(new Case(
                s,
                "map.nestedFirst.blocking",
                "generate(1, 2).map(x -> lookup.first().orElseThrow() + x).toList()",
                "",
                Status.OK,
                null,
                () -> list(self[0].map(x -> lookup.first().orElseThrow() + x))));

        s = "Bodies that swallow CancellationException";
        cs.add(new Case(
                s,
                "swallow.take",
                "a generator catching CancellationException around each emit, take(2).toList()",
                "emit",
                Status.OK,
                null,
                () -> list(new Swallower().flow(false).take(2))));
        cs.add(new Case(
                s,
                "swallow.first",
                "the same generator, first()",
                "emit",
                Status.OK,
                null,
                () -> new Swallower().flow(false).first()));
        cs.add(new Case(
                s,
                "swallow.bufferedTake",
                "the same generator, buffer(2).take(2).toList()",
                "",
                Status.OK,
                null,
                () -> {
                    Swallower sw = new Swallower();
                    return sw.report(sw.flow(false).buffer(2).take(2).toList());
                }));
        cs.add(new Case(
                s,
                "swallow.iteratorClose",
                "the same generator, iterator(): next(), then close()",
                "",
                Status.OK,
                null,
                () -> {
                    Swallower sw = new Swallower();
                    CloseableIterator<Integer> it = sw.flow(false).iterator();
                    Integer first = it.next();
                    it.close();
                    return sw.report(first);
                }));
        cs.add(new Case(
                s,
                "swallow.cancelledFuture",
                "the same generator with Suspend.delay(1) after each emit, toListAsync().cancel(true)",
                "",
                Status.OK,
                null,
                () -> {
                    Swallower sw = new Swallower();
                    CompletableFuture<List<Integer>> fut = sw.flow(true).toListAsync();
                    sw.firstEmit.await(BOUND_SECONDS, TimeUnit.SECONDS);
                    fut.cancel(true);
                    return sw.report("cancelled: " + fut.isCancelled());
                }));

        s = "One-shot sources collected twice";
        cs.add(new Case(
                s,
                "fromStream.sameStreamTwice",
                "st = Stream.of(1, 2); g = AsyncFlow.fromStream(() -> st); g.toList(); g.toList()",
                "fromStream stream",
                Status.FIXED,
                null,
                () -> {
                    Stream<Integer> st = Stream.of(1, 2);
                    AsyncFlow<Integer> g = AsyncFlow.fromStream(() -> st);
                    g.toList();
                    return g.toList();
                }));
        cs.add(new Case(
                s,
                "fromIterable.oneShotIterable",
                "st = Stream.of(1, 2); g = AsyncFlow.fromIterable(st::iterator); g.toList(); g.toList()",
                "stream closed",
                Status.OK,
                null,
                () -> {
                    Stream<Integer> st = Stream.of(1, 2);
                    AsyncFlow<Integer> g = AsyncFlow.fromIterable(st::iterator);
                    g.toList();
                    return g.toList();
                }));

        s = "Terminals on the wrong number of elements";
        cs.add(new Case(
                s,
                "single.empty",
                "AsyncFlow.empty().single()",
                "single 0",
                Status.OK,
                null,
                () -> AsyncFlow.empty().single()));
        cs.add(new Case(s, "single.many", "f.single()", "single 2", Status.OK, null, f::single));
        cs.add(new Case(
                s,
                "toMap.duplicateKey",
                "AsyncFlow.of(1, 1).toMap(x -> x, x -> x)",
                "Duplicate key",
                Status.OK,
                null,
                () -> AsyncFlow.of(1, 1).toMap(x -> x, x -> x)));
        cs.add(new Case(
                s,
                "reduce.empty",
                "AsyncFlow.<Integer>empty().reduce(Integer::sum)",
                "",
                Status.OK,
                null,
                () -> AsyncFlow.<Integer>empty().reduce(Integer::sum)));
        cs.add(new Case(
                s,
                "first.empty.async",
                "AsyncFlow.empty().firstAsync().get()",
                "",
                Status.OK,
                null,
                () -> join(AsyncFlow.empty().firstAsync())));

        s = "Bridge calls made from a body";
        cs.add(new Case(
                s,
                "suspend.delayNegative",
                "generate(out -> Suspend.delay(-1)).toList()",
                "Suspend.delay millis",
                Status.FIXED,
                null,
                () -> list(AsyncFlow.<Integer>generate(out -> Suspend.delay(-1)))));
        cs.add(new Case(
                s,
                "suspend.delayNullDuration",
                "generate(out -> Suspend.delay((Duration) null)).toList()",
                "duration",
                Status.OK,
                null,
                () -> list(AsyncFlow.<Integer>generate(out -> Suspend.delay((Duration) null)))));
        cs.add(new Case(
                s,
                "suspend.awaitNull",
                "generate(out -> Suspend.await(null)).toList()",
                "stage",
                Status.OK,
                null,
                () -> list(AsyncFlow.<Integer>generate(out -> Suspend.await(null)))));
        return cs;
    }

    // ---- the null sweep ------------------------------------------------------------------------------

    /** Every public method declared by AsyncFlow, in a stable order. */
    private static List<Method> publicMethods() {
        return Arrays.stream(AsyncFlow.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && !m.isSynthetic() && !m.isBridge())
                .sorted(Comparator.comparing(BadInputCatalogueTest::signature))
                .toList();
    }

    private static String signature(Method m) {
        return m.getName()
                + Arrays.stream(m.getParameterTypes())
                        .map(Class::getSimpleName)
                        .collect(Collectors.joining(",", "(", ")"));
    }

    /** For each reference parameter of each public method: the call with that argument null, others valid. */
    static List<Case> nullArgumentCases() {
        List<Case> cs = new ArrayList<>();
        for (Method m : publicMethods()) {
            Parameter[] ps = m.getParameters();
            for (int i = 0; i < ps.length; i++) {
                Parameter p = ps[i];
                if (p.getType().isPrimitive()) {
                    continue;
                }
                if (m.getName().equals("paginateByToken") && p.getName().equals("initialToken")) {
                    continue; // documented: null means the first request has no token
                }
                int nullAt = i;
                StringBuilder call = new StringBuilder(Modifier.isStatic(m.getModifiers()) ? "AsyncFlow." : "flow.");
                call.append(m.getName()).append('(');
                for (int k = 0; k < ps.length; k++) {
                    call.append(k > 0 ? ", " : "").append(k == nullAt ? ps[k].getName() + " = null" : ps[k].getName());
                }
                call.append(')');
                boolean kotlinxEntry = m.getName().equals("collect") && ps.length == 2;
                Status status = kotlinxEntry ? Status.FIXED : Status.OK;
                cs.add(new Case(
                        "Null arguments",
                        "null." + signature(m) + "." + p.getName(),
                        call.toString(),
                        p.getName(),
                        status,
                        null,
                        () -> invokeWithNull(m, nullAt)));
            }
        }
        return cs;
    }

    private static Object invokeWithNull(Method m, int nullAt) throws Exception {
        Class<?>[] types = m.getParameterTypes();
        if (Arrays.asList(types).contains(TaskScope.class)) {
            // a TaskScope exists only inside a bridge body: run the call there
            return Coroutines.run(scope -> call(m, nullAt, scope));
        }
        return call(m, nullAt, null);
    }

    private static Object call(Method m, int nullAt, TaskScope taskScope) throws Exception {
        Class<?>[] types = m.getParameterTypes();
        Object[] args = new Object[types.length];
        for (int k = 0; k < types.length; k++) {
            args[k] = k == nullAt ? null : validArgument(types[k], taskScope);
        }
        Object receiver = Modifier.isStatic(m.getModifiers()) ? null : AsyncFlow.of(1);
        try {
            return m.invoke(receiver, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw (Error) e.getCause();
        }
    }

    /** A valid value of a parameter type; a lambda-like interface gets a proxy that must never be called. */
    private static Object validArgument(Class<?> type, TaskScope taskScope) {
        if (type == Object.class || type == Integer.class || type == int.class) {
            return 1;
        }
        if (type == long.class) {
            return 1L;
        }
        if (type == String.class) {
            return "token";
        }
        if (type == Duration.class) {
            return Duration.ofSeconds(1);
        }
        if (type == Flow.class) {
            return AsyncFlow.of(1);
        }
        if (type == Flow[].class) {
            return new Flow<?>[] {AsyncFlow.of(1)};
        }
        if (type == Object[].class) {
            return new Object[] {1};
        }
        if (type == List.class || type == Iterable.class) {
            return List.of(AsyncFlow.of(1));
        }
        if (type == CoroutineContext.class) {
            return EmptyCoroutineContext.INSTANCE;
        }
        if (type == CoroutineScope.class) {
            return cancelledScope();
        }
        if (type == TaskScope.class) {
            return taskScope;
        }
        if (type == SharingStarted.class) {
            return SharingStarted.LAZILY;
        }
        if (type == BufferOverflow.class) {
            return BufferOverflow.SUSPEND;
        }
        if (type == System.Logger.Level.class) {
            return System.Logger.Level.DEBUG;
        }
        if (type == Backoff.class) {
            return Backoff.fixed(Duration.ofMillis(1), 2);
        }
        if (type == java.util.stream.Collector.class) {
            return Collectors.toList();
        }
        if (type == Continuation.class) {
            return new Continuation<Object>() {
                @Override
                public CoroutineContext getContext() {
                    return EmptyCoroutineContext.INSTANCE;
                }

                @Override
                public void resumeWith(Object result) {}
            };
        }
        if (type.isInterface()) {
            return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, a) -> {
                return switch (method.getName()) {
                    case "toString" -> "a valid " + type.getSimpleName();
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == a[0];
                    default ->
                        throw new AssertionError(
                                "the null sweep's " + type.getSimpleName() + " must not be called: " + method);
                };
            });
        }
        throw new AssertionError("the null sweep has no valid value for " + type + "; add one");
    }

    private static CoroutineScope cancelledScope() {
        CoroutineScope scope = CoroutineScopeKt.CoroutineScope(JobKt.Job(null));
        CoroutineScopeKt.cancel(scope, null);
        return scope;
    }

    // ---- the document --------------------------------------------------------------------------------

    private static Path document() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path p = dir.resolve("docs").resolve("bad-input.md");
            if (Files.exists(p)) {
                return p;
            }
        }
        throw new AssertionError(
                "docs/bad-input.md not found above " + Path.of("").toAbsolutePath());
    }

    /** The rows of every table whose first column is an id in backticks. */
    private static List<Row> documentedRows() throws IOException {
        List<Row> rows = new ArrayList<>();
        for (String line : Files.readAllLines(document())) {
            if (!line.startsWith("| `")) {
                continue;
            }
            List<String> cells = cells(line);
            if (cells.size() != 5) {
                throw new AssertionError("a catalogue row needs 5 cells: " + line);
            }
            rows.add(new Row(
                    strip(cells.get(0)),
                    strip(cells.get(1)),
                    strip(cells.get(2)),
                    unescape(cells.get(3)),
                    cells.get(4)));
        }
        return rows;
    }

    /** Splits a table line at unescaped '|'. */
    private static List<String> cells(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        String body = line.substring(1, line.length() - 1);
        for (int i = 0; i < body.length(); i++) {
            char ch = body.charAt(i);
            if (ch == '\\' && i + 1 < body.length() && body.charAt(i + 1) == '|') {
                cell.append("\\|");
                i++;
            } else if (ch == '|') {
                cells.add(cell.toString().trim());
                cell.setLength(0);
            } else {
                cell.append(ch);
            }
        }
        cells.add(cell.toString().trim());
        return cells;
    }

    private static String strip(String code) {
        return code.startsWith("`") && code.endsWith("`") ? code.substring(1, code.length() - 1) : code;
    }

    /** A code span in a table cell: only '|' needs escaping. */
    private static String escapeCode(String code) {
        return code.replace("|", "\\|");
    }

    /** Table-cell text: '|' escaped, newlines as {@code <br>}, HTML's three specials as entities. */
    private static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("|", "\\|")
                .replace("\n", "<br>");
    }

    private static String unescape(String cell) {
        return cell.replace("<br>", "\n")
                .replace("\\|", "|")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&");
    }

    /** With {@code -Dcoflow.badInput.print=FILE}: writes the tables from the actual outcomes. */
    private static void maybePrintTables(Map<String, Case> cases) throws IOException {
        String target = System.getProperty("coflow.badInput.print");
        if (target == null || target.isBlank()) {
            return;
        }
        StringBuilder out = new StringBuilder();
        String section = null;
        for (Case c : cases.values()) {
            if (!c.section().equals(section)) {
                section = c.section();
                out.append("\n### ")
                        .append(section)
                        .append("\n\n")
                        .append("| id | misuse | user gets | message (or value returned) | status |\n")
                        .append("| --- | --- | --- | --- | --- |\n");
            }
            Outcome o;
            try {
                o = run(c);
            } catch (AssertionError | InterruptedException e) {
                o = new Outcome("HANG", e.getMessage());
            }
            out.append("| `")
                    .append(c.id())
                    .append("` | `")
                    .append(escapeCode(c.misuse()))
                    .append("` | ")
                    .append(o.type().equals("returns") ? "returns" : "`" + o.type() + "`")
                    .append(" | ")
                    .append(escape(o.message()))
                    .append(" | ")
                    .append(c.status().text())
                    .append(" |\n");
        }
        Files.writeString(Path.of(target), out.toString());
    }
}
