package dev.coflow;

import dev.coflow.bridge.Suspend;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The pipelines of {@link DifferentialPropertyTest}: a source and a list of stages over
 * {@code Integer}s, each of which both builds the real {@link AsyncFlow} and computes, with plain
 * {@code java.util} lists, every outcome kotlinx's semantics allow for it.
 *
 * <p><b>The model.</b> An {@link Outcome} is what a collection delivers: the elements, in order, and
 * then either completion or a {@link Failure}. A stage maps the outcome of its upstream to its own;
 * this is exact for sequential operators because an operator that stops early ({@code take},
 * {@code zip}) never lets its upstream run past the point where it stopped, so the rest of the
 * upstream outcome simply does not matter. Three things are not deterministic in kotlinx itself,
 * and the model returns all their outcomes:
 * <ul>
 * <li>an upstream failure that passes a {@code buffer} or {@code mapAsync} (a channel between two
 * coroutines) fails the producer's scope, which cancels the consumer wherever it is: before it has
 * taken the elements produced before the failure, or even in the middle of the downstream's work
 * on one of them (between two elements of a {@code flatMapConcat} inner flow). Such an outcome is
 * marked {@link Outcome#cut() cut}: any prefix of it may be delivered before the failure, and
 * every stage downstream keeps that true of its own output while the failure passes through;</li>
 * <li>{@code mapAsync}'s first failing call and a later upstream failure race;</li>
 * <li>{@code zip} with a range of {@code n} ends when the range's channel closes, which races with
 * an upstream that fails right after its {@code n}-th element.</li>
 * </ul>
 * A collection that re-collects its upstream ({@code retry}) needs the number of collections of the
 * (flaky) source so far: a {@link Model} maps that count to the possible results, each with the
 * count after it.
 */
final class DiffPipeline {
    private DiffPipeline() {}

    // ---- outcomes --------------------------------------------------------------------------------

    /** A failure as the code that raised it created it: its class and message. */
    record Failure(Class<? extends Exception> type, String message) {
        Exception create() {
            if (type == IllegalStateException.class) {
                return new IllegalStateException(message);
            }
            if (type == IOException.class) {
                return new IOException(message);
            }
            return new DiffCheckedException(message);
        }

        @Override
        public String toString() {
            return type.getSimpleName() + "(\"" + message + "\")";
        }
    }

    /** A checked exception that is not an IOException: blocking terminals wrap it in CompletionException. */
    static final class DiffCheckedException extends Exception {
        private static final long serialVersionUID = 1L;

        DiffCheckedException(String message) {
            super(message);
        }
    }

    /**
     * What a collection delivers: {@code elements}, then completion ({@code failure == null}) or the
     * failure. {@code cut}: the failure comes from a concurrent stage and may cancel the consumer
     * after any prefix of the elements (see the class comment).
     */
    record Outcome(List<Integer> elements, Failure failure, boolean cut) {
        Outcome(List<Integer> elements, Failure failure) {
            this(elements, failure, false);
        }

        static Outcome done(List<Integer> elements) {
            return new Outcome(List.copyOf(elements), null);
        }

        static Outcome failed(List<Integer> elements, Failure f) {
            return new Outcome(List.copyOf(elements), f);
        }

        @Override
        public String toString() {
            return elements + (failure == null ? " then completion" : " then " + failure);
        }
    }

    /** One possible result of a collection, with the number of source collections after it. */
    record Res(Outcome outcome, int collections) {}

    /** The possible results of one collection, starting after {@code collections} source collections. */
    @FunctionalInterface
    interface Model {
        Set<Res> collect(int collections);
    }

    /**
     * A stage whose outcome depends only on its upstream's (every stage but take(0) and retry). A
     * cut upstream failure that passes through the stage leaves the stage's output cut too: the
     * cancellation may stop the stage in the middle of its work on an element.
     */
    static Model pure(Model up, Function<Outcome, Set<Outcome>> f) {
        return pure(up, f, false);
    }

    /**
     * {@code stopsEarly}: the stage ends the collection from inside its upstream's {@code collect}
     * ({@code take}, {@code zip}), so a cut failure may still overtake that end after the last
     * element has been delivered: the stage's completion may then surface as the failure.
     */
    static Model pure(Model up, Function<Outcome, Set<Outcome>> f, boolean stopsEarly) {
        return c -> {
            Set<Res> out = new LinkedHashSet<>();
            for (Res r : up.collect(c)) {
                Outcome in = r.outcome();
                for (Outcome o : f.apply(in)) {
                    if (in.cut() && o.failure() != null && o.failure().equals(in.failure())) {
                        for (Outcome t : truncations(o)) {
                            out.add(new Res(t, r.collections()));
                        }
                    } else if (in.cut() && stopsEarly && o.failure() == null) {
                        out.add(new Res(o, r.collections()));
                        for (Outcome t : truncations(Outcome.failed(o.elements(), in.failure()))) {
                            out.add(new Res(t, r.collections()));
                        }
                    } else {
                        out.add(new Res(o, r.collections()));
                    }
                }
            }
            return out;
        };
    }

    static Set<Outcome> one(Outcome o) {
        Set<Outcome> s = new LinkedHashSet<>();
        s.add(o);
        return s;
    }

    /** Every prefix of the elements before {@code o}'s failure, then that failure; {@code o} itself if it completed. */
    static Set<Outcome> truncations(Outcome o) {
        if (o.failure() == null) {
            return one(o);
        }
        Set<Outcome> s = new LinkedHashSet<>();
        for (int k = o.elements().size(); k >= 0; k--) {
            s.add(new Outcome(List.copyOf(o.elements().subList(0, k)), o.failure(), true));
        }
        return s;
    }

    /** Throws any exception, checked or not, from code that may not declare it. */
    @SuppressWarnings("unchecked")
    static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
        throw (E) t;
    }

    /** "at element 3" of a source, "on value 7" of a lambda, with the kind of exception. */
    record Fault(int at, Class<? extends Exception> type) {
        Failure failure(String where) {
            return new Failure(type, where);
        }

        String kind() {
            return type.getSimpleName();
        }
    }

    // ---- sources ---------------------------------------------------------------------------------

    /** A source: builds a fresh flow per collection setup, and its model. */
    interface Source {
        AsyncFlow<Integer> build();

        Model model();
    }

    /** How a source made of a list delivers it. */
    enum Kind {
        OF,
        FROM_ITERABLE,
        FROM_STREAM,
        GENERATE,
        GENERATE_DELAY0,
        GENERATE_YIELD,
        GENERATE_EMIT_ALL
    }

    /**
     * {@code values}, delivered by {@code kind}; with {@code fault}, the source throws instead of
     * producing element {@code fault.at()} (at the end if that is past the last one). {@code OF}
     * never fails.
     */
    record ListSource(Kind kind, List<Integer> values, Fault fault) implements Source {
        String where() {
            return "source " + kind.name().toLowerCase() + " failed at element " + fault.at();
        }

        int failIndex() {
            return Math.min(fault.at(), values.size());
        }

        @Override
        public AsyncFlow<Integer> build() {
            List<Integer> vs = values;
            return switch (kind) {
                case OF -> AsyncFlow.of(vs.toArray(new Integer[0]));
                case FROM_ITERABLE -> AsyncFlow.fromIterable(failingIterable());
                case FROM_STREAM ->
                    AsyncFlow.fromStream(() -> fault == null
                            ? vs.stream()
                            : IntStream.rangeClosed(0, failIndex()).mapToObj(i -> {
                                if (i == failIndex()) {
                                    throw sneaky(fault.failure(where()).create());
                                }
                                return vs.get(i);
                            }));
                case GENERATE, GENERATE_DELAY0, GENERATE_YIELD ->
                    AsyncFlow.generate(out -> {
                        for (int i = 0; i <= vs.size(); i++) {
                            if (fault != null && i == failIndex()) {
                                throw fault.failure(where()).create();
                            }
                            if (i == vs.size()) {
                                break;
                            }
                            if (i > 0 && kind == Kind.GENERATE_DELAY0) {
                                Suspend.delay(0);
                            } else if (i > 0 && kind == Kind.GENERATE_YIELD) {
                                Suspend.yieldNow();
                            }
                            out.emit(vs.get(i));
                        }
                    });
                case GENERATE_EMIT_ALL ->
                    AsyncFlow.generate(out -> out.emitAll(AsyncFlow.fromIterable(failingIterable())));
            };
        }

        /** The values, with an iterator that throws at the fault. */
        private Iterable<Integer> failingIterable() {
            List<Integer> vs = values;
            return () -> new Iterator<>() {
                private int i;

                @Override
                public boolean hasNext() {
                    return i < vs.size() || fault != null && i == failIndex();
                }

                @Override
                public Integer next() {
                    if (fault != null && i == failIndex()) {
                        throw sneaky(fault.failure(where()).create());
                    }
                    if (i >= vs.size()) {
                        throw new NoSuchElementException();
                    }
                    return vs.get(i++);
                }
            };
        }

        @Override
        public Model model() {
            Outcome o = fault == null
                    ? Outcome.done(values)
                    : Outcome.failed(values.subList(0, failIndex()), fault.failure(where()));
            return c -> Set.of(new Res(o, c + 1));
        }

        @Override
        public String toString() {
            String list = values.stream().map(String::valueOf).collect(Collectors.joining(", "));
            String failing = fault == null ? "" : " /* throws " + fault.kind() + " at element " + fault.at() + " */";
            return switch (kind) {
                case OF -> "AsyncFlow.of(" + list + ")";
                case FROM_ITERABLE -> "AsyncFlow.fromIterable(List.of(" + list + "))" + failing;
                case FROM_STREAM -> "AsyncFlow.fromStream(() -> Stream.of(" + list + "))" + failing;
                case GENERATE -> "generate(emit " + list + ")" + failing;
                case GENERATE_DELAY0 -> "generate(emit " + list + ", Suspend.delay(0) between)" + failing;
                case GENERATE_YIELD -> "generate(emit " + list + ", Suspend.yieldNow() between)" + failing;
                case GENERATE_EMIT_ALL ->
                    "generate(out -> out.emitAll(AsyncFlow.fromIterable(List.of(" + list + "))))" + failing;
            };
        }
    }

    /** {@code AsyncFlow.range(from, from + count)}. */
    record RangeSource(int from, int count) implements Source {
        @Override
        public AsyncFlow<Integer> build() {
            return AsyncFlow.range(from, from + count);
        }

        @Override
        public Model model() {
            List<Integer> vs = IntStream.range(from, from + count).boxed().toList();
            return c -> Set.of(new Res(Outcome.done(vs), c + 1));
        }

        @Override
        public String toString() {
            return "AsyncFlow.range(" + from + ", " + (from + count) + ")";
        }
    }

    /** A generator whose first {@code failures} collections (per built flow) throw at element {@code fault.at()}. */
    record FlakySource(List<Integer> values, Fault fault, int failures) implements Source {
        String where(int collection) {
            return "flaky source failed collection " + collection + " at element " + fault.at();
        }

        int failIndex() {
            return Math.min(fault.at(), values.size());
        }

        @Override
        public AsyncFlow<Integer> build() {
            AtomicInteger collections = new AtomicInteger();
            List<Integer> vs = values;
            return AsyncFlow.generate(out -> {
                int n = collections.getAndIncrement();
                for (int i = 0; i <= vs.size(); i++) {
                    if (n < failures && i == failIndex()) {
                        throw fault.failure(where(n)).create();
                    }
                    if (i < vs.size()) {
                        out.emit(vs.get(i));
                    }
                }
            });
        }

        @Override
        public Model model() {
            return c -> Set.of(new Res(
                    c < failures
                            ? Outcome.failed(values.subList(0, failIndex()), fault.failure(where(c)))
                            : Outcome.done(values),
                    c + 1));
        }

        @Override
        public String toString() {
            return "flaky(emit "
                    + (values.isEmpty()
                            ? "nothing"
                            : values.stream().map(String::valueOf).collect(Collectors.joining(", ")))
                    + " /* the first " + failures + " collections throw " + fault.kind() + " at element " + fault.at()
                    + " */)";
        }
    }

    // ---- stages ----------------------------------------------------------------------------------

    /** One operator: applies itself to a flow, and to the model of that flow. */
    interface Stage {
        AsyncFlow<Integer> apply(AsyncFlow<Integer> up);

        Model model(Model up);
    }

    /** Applies {@code fn} to each element in order; a lambda that throws on {@code failOn} fails there. */
    static Outcome eachElement(Outcome o, Integer failOn, Failure f, Function<Integer, List<Integer>> fn) {
        List<Integer> out = new ArrayList<>();
        for (Integer x : o.elements()) {
            if (failOn != null && x.intValue() == failOn) {
                return Outcome.failed(out, f);
            }
            out.addAll(fn.apply(x));
        }
        return new Outcome(List.copyOf(out), o.failure());
    }

    /** The lambda's failure for value {@code v}, thrown (checked or not). */
    static void maybeFail(Fault fault, Integer failOn, int x, String where) {
        if (failOn != null && x == failOn) {
            throw sneaky(fault.failure(where).create());
        }
    }

    static String throwing(Fault fault, Integer failOn) {
        return failOn == null ? "" : " /* throws " + fault.kind() + " on " + failOn + " */";
    }

    /** {@code map(x -> a * x + b)}. */
    record MapStage(int a, int b, Fault fault, Integer failOn) implements Stage {
        String where() {
            return "map(x -> " + a + " * x + " + b + ") failed on " + failOn;
        }

        @Override
        public AsyncFlow<Integer> apply(AsyncFlow<Integer> up) {
            return up.map(x -> {
                maybeFail(fault, failOn, x, where());
                return a * x + b;
            });
        }

        @Override
        public Model model(Model up) {
            return pure(
                    up,
                    o -> one(eachElement(
                            o, failOn, failOn == null ? null : fault.failure(where()), x -> List.of(a * x + b))));
        }

        @Override
        public String toString() {
            return ".map(x -> " + a + " * x + " + b + ")" + throwing(fault, failOn);
        }
    }

    /** {@code filter(x -> floorMod(x, m) != r)}. */
    record FilterStage(int m, int r, Fault fault, Integer failOn) implements Stage {
        String where() {
            return "filter(x -> x mod " + m + " != " + r + ") failed on " + failOn;
        }

        @Override
        public AsyncFlow<Integer> apply(AsyncFlow<Integer> up) {
            return up.filter(x -> {
                maybeFail(fault, failOn, x, where());
                return Math.floorMod(x, m) != r;
            });
        }

        @Override
        public Model model(Model up) {
            return pure(
                    up,
                    o -> one(eachElement(
                            o,
                            failOn,
                            failOn == null ? null : fault.failure(where()),
                            x -> Math.floorMod(x, m) != r ? List.of(x) : List.of())));
        }

        @Override
        public String toString() {
            return ".filter(x -> Math.floorMod(x, " + m + ") != " + r + ")" + throwing(fault, failOn);
        }
    }

    /** {@code onEach(x -> { })}, possibly throwing. */
    record OnEachStage(Fault fault, Integer failOn) implements Stage {
        String where() {
            return "onEach failed on " + failOn;
        }

        @Override
        public AsyncFlow<Integer> apply(AsyncFlow<Integer> up) {
            return up.onEach(x -> maybeFail(fault, failOn, x, where()));
        }

        @Override
        public Model model(Model up) {
            return pure(up, o -> one(eachElement(o, failOn, failOn == null ? null : fault.failure(where()), List::of)));
        }

        @Override
        public String toString() {
            return ".onEach(x -> { })" + throwing(fault, failOn);
        }
    }

    record TakeStage(int n) implements Stage {
        @Override
        public AsyncFlow<Integer> apply(AsyncFlow<Integer> up) {
            return up.take(n);
        }

        @Override
        public Model model(Model up) {
            if (n == 0) {
                return c -> Set.of(new Res(Outcome.done(List.of()), c)); // take(0) never collects its upstream
            }
            return pure(
                    up,
                    o -> one(
                            o.elements().size() >= n ? Outcome.done(o.elements().subList(0, n)) : o),
                    true);
        }

        @Override
        public String toString() {
            return ".take(" + n + ")";
        }
    }

    record DropStage(int n) implements Stage {
        @Override
        public AsyncFlow<Integer> apply(AsyncFlow<Integer> up) {
            return up.drop(n);
        }

        @Override
        public Model model(Model up) {
            return pure(
                    up,
                    o -> one(new Outcome(
                            o.elements()
                                    .subList(
                                            Math.min(n, o.elements().size()),
                                            o.elements().size()),
                            o.failure())));
        }

        @Override
        public String toString() {
            return ".drop(" + n + ")";
        }
    }

    record DistinctStage() implements Stage {
        @Override
        public AsyncFlow<Integer> apply(AsyncFlow<Integer> up) {
            return up.distinctUntilChanged();
        }

        @Override
        public Model model(Model up) {
            return pure(up, o -> {
                List<Integer> out = new ArrayList<>();
                for (Integer x : o.elements()) {
                    if (out.isEmpty() || !out.getLast().equals(x)) {
                        out.add(x);
                    }
                }
                return one(new Outcome(List.copyOf(out), o.failure()));
            });
        }

        @Override
        public String toString() {
            return ".distinctUntilChanged()";
        }
    }

    /** {@code scan(seed, Integer::sum)}: the seed comes first, before the upstream runs. */
    record ScanStage(int seed) implements Stage {
        @Override
        public AsyncFlow<Integer> apply(AsyncFlow<Integer> up) {
            return up.scan(seed, Integer::sum);
        }

        @Override
        public Model model(Model up) {
            return pure(up, o -> {
                List<Integer> out = new ArrayList<>();
                int acc = seed;
                out.add(acc);
                for (Integer x : o.elements()) {
                    acc += x;
                    out.add(acc);
                }
                return one(new Outcome(List.copyOf(out), o.failure()));
            });
        }

        @Override
        public String toString() {
            return ".scan(" + seed + ", Integer::sum)";
        }
    }

    /** {@code withIndex().map(ix -> 100 * index + value)}. */
    record WithIndexStage() implements Stage {
        @Override
        public AsyncFlow<Integer> apply(AsyncFlow<Integer> up) {
            return up.withIndex().map(ix -> (int) (100 * ix.index()) + ix.value());
        }

        @Override
        public Model model(Model up) {
            return pure(up, o -> {
                List<Integer> out = new ArrayList<>();
                for (int i = 0; i < o.elements().size(); i++) {
                    out.add(100 * i + o.elements().get(i));
                }
                return one(new Outcome(List.copyOf(out), o.failure()));
            });
        }

        @Override
        public String toString() {
            return ".withIndex().map(ix -> 100 * ix.index() + ix.value())";
        }
    }

    /** {@code chunked(size).map(l -> 1000 * l.size() + sum(l))}: a failure drops the partial chunk. */
    record ChunkedStage(int size) implements Stage {
        @Override
        public AsyncFlow<Integer> apply(AsyncFlow<Integer> up) {
            return up.chunked(size).map(ChunkedStage::encode);
        }

        static int encode(List<Integer> chunk) {
            int sum = 0;
            for (int x : chunk) {
                sum += x;
            }
            return 1000 * chunk.size() + sum;
        }

        @Override
        public Model model(Model up) {
            return pure(up, o -> {
                List<Integer> out = new ArrayList<>();
                List<Integer> es = o.elements();
                int full = es.size() / size * size;
                for (int i = 0; i < full; i += size) {
                    out.add(encode(es.subList(i, i + size)));
                }
                if (o.failure() == null && full < es.size()) {
                    out.add(encode(es.subList(full, es.size())));
                }
                return one(new Outcome(List.copyOf(out), o.failure()));
            });
        }

        @Override
        public String toString() {
            return ".chunked(" + size + ").map(l -> 1000 * l.size() + sum(l))";
        }
    }

    /** {@code buffer(capacity)} with the SUSPEND policy. */
    record BufferStage(int capacity) implements Stage {
        @Override
        public AsyncFlow<Integer> apply(AsyncFlow<Integer> up) {
            return up.buffer(capacity);
        }

        @Override
        public Model model(Model up) {
            return pure(up, DiffPipeline::truncations);
        }

        @Override
        public String toString() {
            return ".buffer(" + capacity + ")";
        }
    }

    /** How an inner flow of flatMap delivers {@code x * 10, x * 10 + 1, ...}. */
    enum InnerKind {
        OF,
        RANGE,
        GENERATE,
        GENERATE_DELAY0
    }

    static AsyncFlow<Integer> inner(InnerKind kind, int x, int k) {
        List<Integer> vs = innerValues(x, k);
        return switch (kind) {
            case OF -> AsyncFlow.of(vs.toArray(new Integer[0]));
            case RANGE -> AsyncFlow.range(x * 10, x * 10 + k);
            case GENERATE -> AsyncFlow.generate(out -> out.emitAll(vs));
            case GENERATE_DELAY0 ->
                AsyncFlow.generate(out -> {
                    for (Integer v : vs) {
                        Suspend.delay(0);
                        out.emit(v);
                    }
                });
        };
    }

    static List<Integer> innerValues(int x, int k) {
        return IntStream.range(x * 10, x * 10 + k).boxed().toList();
    }

    static String innerText(InnerKind kind, int k) {
        return switch (kind) {
            case OF -> "AsyncFlow.of(x * 10, ... " + k + " values)";
            case RANGE -> "AsyncFlow.range(x * 10, x * 10 + " + k + ")";
            case GENERATE -> "generate(emit x * 10, ... " + k + " values)";
            case GENERATE_DELAY0 -> "generate(Suspend.delay(0), emit x * 10, ... " + k + " values)";
        };
    }

    record FlatMapConcatStage(InnerKind kind, int k, Fault fault, Integer failOn) implements Stage {
        String where() {
            return "flatMapConcat's function failed on " + failOn;
        }

        @Override
        public AsyncFlow<Integer> apply(AsyncFlow<Integer> up) {
            return up.flatMapConcat(x -> {
                maybeFail(fault, failOn, x, where());
                return inner(kind, x, k);
            });
        }

        @Override
        public Model model(Model up) {
            return pure(
                    up,
                    o -> one(eachElement(
                            o, failOn, failOn == null ? null : fault.failure(where()), x -> innerValues(x, k))));
        }

        @Override
        public String toString() {
            return ".flatMapConcat(x -> " + innerText(kind, k) + ")" + throwing(fault, failOn);
        }
    }

    /**
     * {@code flatMapMerge(concurrency, inner)} followed by a sort (a generator that collects its
     * upstream into a list, sorts it and emits it): the order of merged inner flows is not
     * defined, their union is. A failure means no element.
     */
    record FlatMapMergeSortedStage(int concurrency, InnerKind kind, int k, Fault fault, Integer failOn)
            implements Stage {
        String where() {
            return "flatMapMerge's function failed on " + failOn;
        }

        @Override
        public AsyncFlow<Integer> apply(AsyncFlow<Integer> up) {
            AsyncFlow<Integer> merged = up.flatMapMerge(concurrency, x -> {
                maybeFail(fault, failOn, x, where());
                return inner(kind, x, k);
            });
            return AsyncFlow.generate(out -> {
                // Suspend.call, not merged.toList(): a blocking terminal would wrap a checked failure
                List<Integer> all = new ArrayList<>(Suspend.<List<Integer>>call(
                        c -> kotlinx.coroutines.flow.FlowKt.toList(merged, new ArrayList<>(), c)));
                all.sort(null);
                out.emitAll(all);
            });
        }

        @Override
        public Model model(Model up) {
            return pure(up, o -> {
                Outcome merged =
                        eachElement(o, failOn, failOn == null ? null : fault.failure(where()), x -> innerValues(x, k));
                if (merged.failure() != null) {
                    return one(Outcome.failed(List.of(), merged.failure()));
                }
                List<Integer> sorted = new ArrayList<>(merged.elements());
                sorted.sort(null);
                return one(Outcome.done(sorted));
            });
        }

        @Override
        public String toString() {
            return ".flatMapMerge(" + concurrency + ", x -> " + innerText(kind, k) + ")" + throwing(fault, failOn)
                    + " then sorted (generate(out -> out.emitAll(sorted(upstream.toList()))))";
        }
    }

    /** {@code mapAsync(concurrency, x -> a * x + b)}: ordered; fail fast. */
    record MapAsyncStage(int concurrency, int a, int b, Fault fault, Integer failOn) implements Stage {
        String where() {
            return "mapAsync's function failed on " + failOn;
        }

        @Override
        public AsyncFlow<Integer> apply(AsyncFlow<Integer> up) {
            return up.mapAsync(concurrency, x -> {
                maybeFail(fault, failOn, x, where());
                return a * x + b;
            });
        }

        @Override
        public Model model(Model up) {
            return pure(up, o -> {
                Set<Outcome> out = new LinkedHashSet<>();
                Outcome ideal =
                        eachElement(o, failOn, failOn == null ? null : fault.failure(where()), x -> List.of(a * x + b));
                out.addAll(truncations(ideal));
                if (ideal.failure() != null
                        && o.failure() != null
                        && !ideal.failure().equals(o.failure())) {
                    // the failing call and the upstream's later failure race
                    out.addAll(truncations(Outcome.failed(ideal.elements(), o.failure())));
                }
                return out;
            });
        }

        @Override
        public String toString() {
            return ".mapAsync(" + concurrency + ", x -> " + a + " * x + " + b + ")" + throwing(fault, failOn);
        }
    }

    /** {@code zip(AsyncFlow.range(0, n), (x, i) -> 10 * x + i)}. */
    record ZipRangeStage(int n) implements Stage {
        @Override
        public AsyncFlow<Integer> apply(AsyncFlow<Integer> up) {
            return up.zip(AsyncFlow.range(0, n), (x, i) -> 10 * x + i);
        }

        @Override
        public Model model(Model up) {
            return pure(
                    up,
                    o -> {
                        List<Integer> es = o.elements();
                        List<Integer> pairs = new ArrayList<>();
                        for (int i = 0; i < Math.min(n, es.size()); i++) {
                            pairs.add(10 * es.get(i) + i);
                        }
                        if (es.size() > n) {
                            return one(Outcome.done(pairs));
                        }
                        Outcome exact = new Outcome(List.copyOf(pairs), o.failure());
                        Set<Outcome> s = one(exact);
                        if (es.size() == n && o.failure() != null) {
                            s.add(Outcome.done(pairs)); // the range's end races with the upstream's failure
                        }
                        return s;
                    },
                    true);
        }

        @Override
        public String toString() {
            return ".zip(AsyncFlow.range(0, " + n + "), (x, i) -> 10 * x + i)";
        }
    }

    /** {@code catchError((e, out) -> out.emit(fallback))}. */
    record CatchStage(int fallback) implements Stage {
        @Override
        public AsyncFlow<Integer> apply(AsyncFlow<Integer> up) {
            return up.catchError((e, out) -> out.emit(fallback));
        }

        @Override
        public Model model(Model up) {
            return pure(up, o -> {
                if (o.failure() == null) {
                    return one(o);
                }
                List<Integer> es = new ArrayList<>(o.elements());
                es.add(fallback);
                return one(Outcome.done(es));
            });
        }

        @Override
        public String toString() {
            return ".catchError((e, out) -> out.emit(" + fallback + "))";
        }
    }

    /** {@code retry(retries)}: re-collects the upstream after a failure; delivered elements stay delivered. */
    record RetryStage(int retries) implements Stage {
        @Override
        public AsyncFlow<Integer> apply(AsyncFlow<Integer> up) {
            return up.retry(retries);
        }

        @Override
        public Model model(Model up) {
            return c -> attempts(up, c, 0);
        }

        private Set<Res> attempts(Model up, int c, int attempt) {
            Set<Res> out = new LinkedHashSet<>();
            for (Res r : up.collect(c)) {
                Outcome o = r.outcome();
                if (o.failure() == null || attempt >= retries) {
                    out.add(r);
                    continue;
                }
                for (Res rest : attempts(up, r.collections(), attempt + 1)) {
                    List<Integer> es = new ArrayList<>(o.elements());
                    es.addAll(rest.outcome().elements());
                    out.add(new Res(
                            new Outcome(
                                    List.copyOf(es),
                                    rest.outcome().failure(),
                                    rest.outcome().cut()),
                            rest.collections()));
                }
            }
            return out;
        }

        @Override
        public String toString() {
            return ".retry(" + retries + ")";
        }
    }

    /**
     * The nested terminal in an operator lambda: {@code map(x -> lookup.first().orElseThrow() + x)}
     * where {@code lookup} is a small generator emitting {@code base, base + 1}.
     */
    record NestedFirstStage(int base) implements Stage {
        @Override
        public AsyncFlow<Integer> apply(AsyncFlow<Integer> up) {
            AsyncFlow<Integer> lookup = AsyncFlow.generate(out -> {
                out.emit(base);
                out.emit(base + 1);
            });
            return up.map(x -> lookup.first().orElseThrow() + x);
        }

        @Override
        public Model model(Model up) {
            return pure(up, o -> one(eachElement(o, null, null, x -> List.of(base + x))));
        }

        @Override
        public String toString() {
            return ".map(x -> lookup.first().orElseThrow() + x) /* lookup = generate(emit " + base + ", " + (base + 1)
                    + ") */";
        }
    }

    // ---- a whole pipeline ------------------------------------------------------------------------

    record Pipeline(Source source, List<Stage> stages) {
        /** A fresh flow: every flaky counter starts again. */
        AsyncFlow<Integer> build() {
            AsyncFlow<Integer> f = source.build();
            for (Stage s : stages) {
                f = s.apply(f);
            }
            return f;
        }

        /** Every outcome a collection of the pipeline may have. */
        Set<Outcome> expected() {
            Model m = source.model();
            for (Stage s : stages) {
                m = s.model(m);
            }
            Set<Outcome> out = new LinkedHashSet<>();
            for (Res r : m.collect(0)) {
                out.add(r.outcome());
            }
            return out;
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder(source.toString());
            for (Stage s : stages) {
                b.append("\n    ").append(s);
            }
            return b.toString();
        }
    }
}
