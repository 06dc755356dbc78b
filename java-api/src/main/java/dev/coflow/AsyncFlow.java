package dev.coflow;

import dev.coflow.bridge.internal.Exceptions;
import dev.coflow.function.ThrowingBiConsumer;
import dev.coflow.function.ThrowingBiFunction;
import dev.coflow.function.ThrowingBiPredicate;
import dev.coflow.function.ThrowingConsumer;
import dev.coflow.function.ThrowingFunction;
import dev.coflow.function.ThrowingPredicate;
import dev.coflow.function.ThrowingSupplier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.stream.Collector;
import java.util.stream.Stream;
import kotlin.Unit;
import kotlin.coroutines.Continuation;
import kotlin.coroutines.CoroutineContext;
import kotlinx.coroutines.CoroutineDispatcher;
import kotlinx.coroutines.ExecutorsKt;
import kotlinx.coroutines.channels.BufferOverflow;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.FlowCollector;
import kotlinx.coroutines.flow.FlowKt;

/**
 * A cold, asynchronous, cancellable stream of non-null elements for Java: Python's async
 * generators and Kotlin's {@code Flow}, written in ordinary Java. An {@code AsyncFlow} <em>is</em> a
 * kotlinx {@link Flow}: Kotlin code collects it directly, and {@link #from(Flow)} wraps any Kotlin
 * flow.
 *
 * {@snippet :
 * AsyncFlow<Book> books = AsyncFlow.generate(emitter -> {
 *     try (ResultSet rs = statement.executeQuery("select * from books")) {
 *         while (rs.next()) {
 *             emitter.emit(toBook(rs));             // async for / yield
 *         }
 *     }
 * });
 * List<String> overdue = books
 *         .filter(Book::isOverdue)
 *         .map(Book::title)
 *         .toList();                                // [b.title async for b in books if b.overdue]
 * }
 *
 * <h2>Contracts (they hold for every method)</h2>
 * <ul>
 * <li><b>Cold.</b> Nothing runs until a terminal operation; every terminal call runs the pipeline
 * again from the start (a generator body runs once per collection).</li>
 * <li><b>Sequential.</b> Without {@link #buffer}, {@link #conflate} or {@link #flowOn}, a generator's
 * {@code emit(x)} returns only after everything downstream has finished with {@code x}.</li>
 * <li><b>Cancellation.</b> Early exit ({@code take}, {@code first}, closing an iterator, a failing
 * consumer, a cancelled future, an interrupted caller) cancels the upstream: a generator sees a
 * {@link java.util.concurrent.CancellationException} from {@code emit} or {@code Suspend.*} and its
 * {@code finally} blocks run before the terminal returns. Plain blocking code in a body (not a
 * suspend-like call) is not interrupted; cancellation is seen at the next suspend-like call, as in
 * kotlinx.</li>
 * <li><b>Exceptions.</b> An operator never catches an exception thrown downstream of it (exception
 * transparency). Blocking terminals rethrow unchecked exceptions unchanged and wrap checked ones
 * ({@link java.io.UncheckedIOException} for {@link java.io.IOException}, otherwise
 * {@link java.util.concurrent.CompletionException}), the original as the cause. Async terminals
 * complete their future with the original. Under {@code -ea} kotlinx's debug mode may rethrow a copy
 * of an unchecked exception (same type and message, original as cause).</li>
 * <li><b>Context.</b> Elements are delivered in the collector's coroutine context; a generator body
 * runs on its own virtual thread and may block.</li>
 * <li><b>Threads.</b> Blocking terminals block the calling thread (cheap on a virtual thread); called
 * from inside a coroutine body they suspend the owning coroutine instead.</li>
 * <li><b>Operator lambdas</b> ({@code map}, {@code filter}, {@code onEach}, ...) are plain,
 * non-suspending functions that run in the collecting coroutine at native kotlinx speed; do waiting
 * work in a generator body instead.</li>
 * <li><b>Nulls.</b> Elements are never null; a null element fails at once with a
 * {@link NullPointerException} naming the operator.</li>
 * <li><b>Not for inheritance.</b> The class is final; implement kotlinx's {@link Flow} and wrap it
 * with {@link #from(Flow)} instead.</li>
 * </ul>
 *
 * @param <T> the element type
 */
public final class AsyncFlow<T> implements Flow<T> {
    private final Flow<T> flow;

    private AsyncFlow(Flow<T> flow) {
        this.flow = flow;
    }

    static <T> AsyncFlow<T> wrap(Flow<T> flow) {
        return new AsyncFlow<>(flow);
    }

    /**
     * Collects this flow into {@code collector}: the kotlinx entry point that makes an
     * {@code AsyncFlow} usable wherever a {@code Flow} is expected.
     *
     * @param collector the downstream collector
     * @param continuation the caller's continuation
     * @return {@code COROUTINE_SUSPENDED} or {@link Unit}
     */
    @Override
    public Object collect(FlowCollector<? super T> collector, Continuation<? super Unit> continuation) {
        return flow.collect(collector, continuation);
    }

    /**
     * The kotlinx flow behind this one (this object itself is also a {@code Flow}).
     *
     * @return the underlying flow
     */
    public Flow<T> asFlow() {
        return flow;
    }

    // region factories --------------------------------------------------------------------------

    /**
     * Creates a flow from a generator body: ordinary sequential Java that emits elements, blocks,
     * waits with {@code Suspend.delay} and cleans up in {@code finally}. The body runs once per
     * collection. kotlinx counterpart: {@code flow { emit(x) }}.
     *
     * {@snippet :
     * AsyncFlow<Integer> ticks = AsyncFlow.generate(emitter -> {
     *     for (int i = 0; i < 3; i++) {
     *         Suspend.delay(500);
     *         emitter.emit(i);
     *     }
     * });
     * }
     *
     * @param body the generator body
     * @param <T> the element type
     * @return a cold flow
     */
    public static <T> AsyncFlow<T> generate(Generator<T> body) {
        Objects.requireNonNull(body, "body");
        return new AsyncFlow<>(new GeneratorFlow<>(body));
    }

    /**
     * Wraps a kotlinx flow, without copying or buffering. An element that is {@code null} fails
     * with a {@link NullPointerException} that says how to fix it. kotlinx counterpart: none
     * needed in Kotlin.
     *
     * @param flow the flow to wrap
     * @param <T> the element type
     * @return the same elements as an {@code AsyncFlow}
     */
    @SuppressWarnings("unchecked")
    public static <T> AsyncFlow<T> from(Flow<? extends T> flow) {
        Objects.requireNonNull(flow, "flow");
        if (flow instanceof AsyncFlow<?> af) {
            return (AsyncFlow<T>) af;
        }
        return new AsyncFlow<>(new NonNullFlow<>(flow, "AsyncFlow.from"));
    }

    /**
     * A flow of the given elements. kotlinx counterpart: {@code flowOf(...)}.
     *
     * @param values the elements, none null
     * @param <T> the element type
     * @return a cold flow
     */
    @SafeVarargs
    public static <T> AsyncFlow<T> of(T... values) {
        Objects.requireNonNull(values, "values");
        T[] copy = values.clone();
        for (int i = 0; i < copy.length; i++) {
            Objects.requireNonNull(copy[i], () -> "AsyncFlow.of: values contains null; elements are non-null");
        }
        return new AsyncFlow<>(new SourceFlow<>("AsyncFlow.of", () -> Arrays.asList(copy).iterator()));
    }

    /**
     * A flow that completes at once. kotlinx counterpart: {@code emptyFlow()}.
     *
     * @param <T> the element type
     * @return an empty flow
     */
    public static <T> AsyncFlow<T> empty() {
        return new AsyncFlow<>(FlowKt.emptyFlow());
    }

    /**
     * The integers from {@code from} (inclusive) to {@code to} (exclusive), like
     * {@code IntStream.range}. kotlinx counterpart: {@code (from until to).asFlow()}.
     *
     * @param from the first value
     * @param to one past the last value; {@code to <= from} gives an empty flow
     * @return a cold flow
     */
    public static AsyncFlow<Integer> range(int from, int to) {
        return new AsyncFlow<>(new SourceFlow<>("AsyncFlow.range", () -> new Iterator<Integer>() {
            private int next = from;

            @Override
            public boolean hasNext() {
                return next < to;
            }

            @Override
            public Integer next() {
                return next++;
            }
        }));
    }

    /**
     * The elements of an iterable, iterated afresh for each collection. kotlinx counterpart:
     * {@code iterable.asFlow()}.
     *
     * @param iterable the elements, none null
     * @param <T> the element type
     * @return a cold flow
     */
    public static <T> AsyncFlow<T> fromIterable(Iterable<? extends T> iterable) {
        Objects.requireNonNull(iterable, "iterable");
        return new AsyncFlow<>(new SourceFlow<>("AsyncFlow.fromIterable", iterable::iterator));
    }

    /**
     * The elements of a stream obtained from {@code supplier} for each collection; the stream is
     * closed when the collection ends, fails or is cancelled.
     *
     * @param supplier opens a new stream per collection, e.g. {@code () -> Files.lines(path)}
     * @param <T> the element type
     * @return a cold flow
     */
    public static <T> AsyncFlow<T> fromStream(ThrowingSupplier<? extends Stream<? extends T>> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        return new AsyncFlow<>(new SourceFlow<T>("AsyncFlow.fromStream", () -> {
            Stream<? extends T> s = Objects.requireNonNull(supplier.get(), "AsyncFlow.fromStream: supplier returned null");
            return new ClosingIterator<>(s);
        }));
    }

    /**
     * One element: the value of a future obtained from {@code supplier} for each collection,
     * awaited without blocking a thread. kotlinx counterpart: {@code flow { emit(future.await()) }}.
     *
     * @param supplier starts the operation
     * @param <T> the element type
     * @return a cold single-element flow
     */
    public static <T> AsyncFlow<T> fromFuture(Supplier<? extends CompletionStage<? extends T>> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        return generate(emitter -> emitter.emit(dev.coflow.bridge.Suspend.await(
                Objects.requireNonNull(supplier.get(), "AsyncFlow.fromFuture: supplier returned null"))));
    }

    /**
     * A flow created afresh by {@code supplier} for each collection.
     *
     * @param supplier creates the flow
     * @param <T> the element type
     * @return a cold flow
     */
    public static <T> AsyncFlow<T> defer(ThrowingSupplier<? extends Flow<? extends T>> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        return new AsyncFlow<>(new DeferFlow<>(supplier));
    }

    // endregion
    // region operators --------------------------------------------------------------------------

    /**
     * Transforms each element. kotlinx counterpart: {@code map}.
     *
     * @param fn the transformation; must not return null
     * @param <R> the result type
     * @return the transformed flow
     */
    public <R> AsyncFlow<R> map(ThrowingFunction<? super T, ? extends R> fn) {
        Objects.requireNonNull(fn, "fn");
        return new AsyncFlow<>(FlowKt.map(flow, Lambdas.mapper("map", fn)));
    }

    /**
     * Keeps the elements that match. kotlinx counterpart: {@code filter}.
     *
     * @param predicate which elements to keep
     * @return the filtered flow
     */
    public AsyncFlow<T> filter(ThrowingPredicate<? super T> predicate) {
        Objects.requireNonNull(predicate, "predicate");
        return new AsyncFlow<>(FlowKt.filter(flow, Lambdas.predicate(predicate)));
    }

    /**
     * Runs an action on each element before passing it on. kotlinx counterpart: {@code onEach}.
     *
     * @param action the action
     * @return a flow of the same elements
     */
    public AsyncFlow<T> onEach(ThrowingConsumer<? super T> action) {
        Objects.requireNonNull(action, "action");
        return new AsyncFlow<>(FlowKt.onEach(flow, Lambdas.action(action)));
    }

    /**
     * The first {@code n} elements; then the upstream is cancelled. kotlinx counterpart: {@code take}.
     *
     * @param n how many, {@code >= 0}
     * @return the shortened flow
     */
    public AsyncFlow<T> take(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("take: n must be >= 0, was " + n);
        }
        return n == 0 ? empty() : new AsyncFlow<>(FlowKt.take(flow, n));
    }

    /**
     * Runs the upstream concurrently in its own coroutine, up to kotlinx's default capacity (64)
     * ahead. kotlinx counterpart: {@code buffer()}.
     *
     * @return the buffered flow
     */
    public AsyncFlow<T> buffer() {
        return new AsyncFlow<>(FlowKt.buffer(flow, kotlinx.coroutines.channels.Channel.BUFFERED, BufferOverflow.SUSPEND));
    }

    /**
     * Runs the upstream concurrently, up to {@code capacity} elements ahead; the producer waits
     * when the buffer is full. kotlinx counterpart: {@code buffer(capacity)}.
     *
     * @param capacity {@code >= 0}; 0 is a rendezvous
     * @return the buffered flow
     */
    public AsyncFlow<T> buffer(int capacity) {
        return buffer(capacity, BufferOverflow.SUSPEND);
    }

    /**
     * Runs the upstream concurrently with a buffer of {@code capacity} and an overflow policy.
     * kotlinx counterpart: {@code buffer(capacity, onBufferOverflow)}.
     *
     * @param capacity {@code >= 0}
     * @param overflow what to do when full: {@code SUSPEND} (never drops), {@code DROP_OLDEST},
     *     {@code DROP_LATEST}
     * @return the buffered flow
     */
    public AsyncFlow<T> buffer(int capacity, BufferOverflow overflow) {
        Objects.requireNonNull(overflow, "overflow");
        if (capacity < 0) {
            throw new IllegalArgumentException("buffer: capacity must be >= 0 (0 = rendezvous), was " + capacity
                    + "; use buffer() for the default capacity");
        }
        if (capacity == 0 && overflow != BufferOverflow.SUSPEND) {
            throw new IllegalArgumentException("buffer: capacity 0 only works with BufferOverflow.SUSPEND; "
                    + "use capacity >= 1 with " + overflow);
        }
        return new AsyncFlow<>(FlowKt.buffer(flow, capacity, overflow));
    }

    /**
     * Keeps only the latest element while the collector is busy. kotlinx counterpart: {@code conflate}.
     *
     * @return the conflated flow
     */
    public AsyncFlow<T> conflate() {
        return new AsyncFlow<>(FlowKt.conflate(flow));
    }

    /**
     * Runs the upstream in {@code context} (typically a dispatcher). kotlinx counterpart: {@code flowOn}.
     *
     * @param context the upstream's context; must not contain a Job
     * @return a flow whose upstream runs in {@code context}
     */
    public AsyncFlow<T> flowOn(CoroutineContext context) {
        Objects.requireNonNull(context, "context");
        if (context.get(kotlinx.coroutines.Job.Key) != null) {
            throw new IllegalArgumentException("flowOn: context must not contain a Job, was " + context);
        }
        return new AsyncFlow<>(FlowKt.flowOn(flow, context));
    }

    /**
     * Runs the upstream on {@code executor}. kotlinx counterpart: {@code flowOn(executor.asCoroutineDispatcher())}.
     *
     * @param executor where the upstream runs
     * @return a flow whose upstream runs on {@code executor}
     */
    public AsyncFlow<T> flowOn(Executor executor) {
        Objects.requireNonNull(executor, "executor");
        CoroutineDispatcher d = executor instanceof CoroutineDispatcher cd ? cd : ExecutorsKt.from(executor);
        return flowOn(d);
    }


    /**
     * Keeps the elements that do <em>not</em> match. kotlinx counterpart: {@code filterNot}.
     *
     * {@snippet :
     * AsyncFlow.of("a", "", "b").filterNot(String::isEmpty).toList();   // [a, b]
     * }
     *
     * @param predicate which elements to drop
     * @return the filtered flow
     */
    public AsyncFlow<T> filterNot(ThrowingPredicate<? super T> predicate) {
        Objects.requireNonNull(predicate, "predicate");
        return new AsyncFlow<>(Transform.filterNot(flow, predicate));
    }

    /**
     * Transforms each element and drops those for which {@code fn} returns {@code null}.
     * kotlinx counterpart: {@code mapNotNull}.
     *
     * {@snippet :
     * AsyncFlow.of("1", "x", "3").mapNotNull(s -> s.matches("\\d+") ? Integer.valueOf(s) : null)
     *         .toList();                                                     // [1, 3]
     * }
     *
     * @param fn the transformation; a {@code null} result drops the element
     * @param <R> the result type
     * @return the transformed flow
     */
    public <R> AsyncFlow<R> mapNotNull(ThrowingFunction<? super T, ? extends R> fn) {
        Objects.requireNonNull(fn, "fn");
        return new AsyncFlow<>(Transform.mapNotNull(flow, fn));
    }

    /**
     * Emits zero or more elements per upstream element. The body is like a generator body: each
     * {@code out.emit} waits until the downstream has finished with the value, and the body may
     * call {@code Suspend.delay} and other suspend-like methods. It runs on its own virtual thread,
     * so it costs more per element than {@link #map}; prefer {@code map}/{@code filter} when they
     * suffice. kotlinx counterpart: {@code transform}.
     *
     * {@snippet :
     * AsyncFlow<String> lines = requests.<String>transform((request, out) -> {
     *     out.emit("Making request " + request);
     *     out.emit(performRequest(request));
     * });
     * }
     *
     * @param fn receives each element and an emitter that is valid only during the call
     * @param <R> the result type (often needs a type witness: {@code flow.<String>transform(...)})
     * @return the transformed flow
     */
    public <R> AsyncFlow<R> transform(ThrowingBiConsumer<? super T, Emitter<R>> fn) {
        Objects.requireNonNull(fn, "fn");
        return new AsyncFlow<>(Emitters.transform(flow, fn));
    }

    /**
     * The elements while they match; the first one that does not ends the flow and cancels the
     * upstream. kotlinx counterpart: {@code takeWhile}.
     *
     * {@snippet :
     * AsyncFlow.range(0, 1_000_000).takeWhile(i -> i < 3).toList();   // [0, 1, 2]
     * }
     *
     * @param predicate whether to keep going
     * @return the shortened flow
     */
    public AsyncFlow<T> takeWhile(ThrowingPredicate<? super T> predicate) {
        Objects.requireNonNull(predicate, "predicate");
        return new AsyncFlow<>(Limit.takeWhile(flow, predicate));
    }

    /**
     * Skips the first {@code n} elements. kotlinx counterpart: {@code drop}.
     *
     * {@snippet :
     * AsyncFlow.of(1, 2, 3).drop(1).toList();   // [2, 3]
     * }
     *
     * @param n how many to skip, {@code >= 0}
     * @return the flow without its head
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public AsyncFlow<T> drop(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("drop: n must be >= 0, was " + n + "; use drop(0) to skip nothing");
        }
        return new AsyncFlow<>(Limit.drop(flow, n));
    }

    /**
     * Skips elements while they match, then passes on the rest (the predicate is no longer
     * called). kotlinx counterpart: {@code dropWhile}.
     *
     * {@snippet :
     * AsyncFlow.of(1, 2, 5, 1).dropWhile(i -> i < 3).toList();   // [5, 1]
     * }
     *
     * @param predicate whether to keep skipping
     * @return the flow without its head
     */
    public AsyncFlow<T> dropWhile(ThrowingPredicate<? super T> predicate) {
        Objects.requireNonNull(predicate, "predicate");
        return new AsyncFlow<>(Limit.dropWhile(flow, predicate));
    }

    /**
     * Runs {@code body} before the upstream starts; it may emit elements that come first, and
     * may wait ({@code Suspend.delay}). kotlinx counterpart: {@code onStart}.
     *
     * {@snippet :
     * AsyncFlow.of("a", "b").onStart(out -> out.emit("header")).toList();   // [header, a, b]
     * }
     *
     * @param body runs once per collection, as a generator body
     * @return a flow that runs {@code body} first
     */
    public AsyncFlow<T> onStart(Generator<T> body) {
        Objects.requireNonNull(body, "body");
        return new AsyncFlow<>(Emitters.onStart(flow, body));
    }

    /**
     * Runs {@code action} once per collection when the flow ends, with the cause: {@code null}
     * after normal completion, the exception after a failure (checked exceptions unwrapped), a
     * {@link java.util.concurrent.CancellationException} after cancellation (including early exit
     * by {@code take} or {@code first}). It does not catch anything: the failure still reaches
     * the caller. The action may call {@code Suspend.*}; after cancellation those throw, so wrap
     * waiting cleanup in {@code Suspend.nonCancellable}. kotlinx counterpart: {@code onCompletion}.
     *
     * {@snippet :
     * cursorFlow.onCompletion(cause -> System.out.println("Cursor automatically closed"))
     *         .forEach(System.out::println);
     * }
     *
     * @param action receives the cause, or {@code null}
     * @return a flow that reports its completion
     */
    public AsyncFlow<T> onCompletion(ThrowingConsumer<? super Throwable> action) {
        Objects.requireNonNull(action, "action");
        return new AsyncFlow<>(Emitters.onCompletion(flow, action));
    }

    /**
     * Runs {@code body} if the upstream completes without emitting anything; it may emit
     * fallback elements. kotlinx counterpart: {@code onEmpty}.
     *
     * {@snippet :
     * search(query).onEmpty(out -> out.emit("no results")).toList();
     * }
     *
     * @param body runs only for an empty upstream, as a generator body
     * @return a flow that is never silently empty
     */
    public AsyncFlow<T> onEmpty(Generator<T> body) {
        Objects.requireNonNull(body, "body");
        return new AsyncFlow<>(Emitters.onEmpty(flow, body));
    }

    /**
     * Drops elements equal ({@link Object#equals}) to the one just before. kotlinx counterpart:
     * {@code distinctUntilChanged()}.
     *
     * {@snippet :
     * AsyncFlow.of(1, 1, 2, 1).distinctUntilChanged().toList();   // [1, 2, 1]
     * }
     *
     * @return the flow without consecutive repeats
     */
    public AsyncFlow<T> distinctUntilChanged() {
        return new AsyncFlow<>(Distinct.untilChanged(flow));
    }

    /**
     * Drops elements that {@code areEquivalent} considers equal to the last element passed on.
     * kotlinx counterpart: {@code distinctUntilChanged(areEquivalent)}.
     *
     * {@snippet :
     * AsyncFlow.of("a", "A", "b").distinctUntilChanged(String::equalsIgnoreCase).toList();   // [a, b]
     * }
     *
     * @param areEquivalent called with (last passed on, new element)
     * @return the flow without consecutive repeats
     */
    public AsyncFlow<T> distinctUntilChanged(ThrowingBiPredicate<? super T, ? super T> areEquivalent) {
        Objects.requireNonNull(areEquivalent, "areEquivalent");
        return new AsyncFlow<>(Distinct.untilChanged(flow, areEquivalent));
    }

    /**
     * Drops elements whose key equals the key of the element just before. kotlinx counterpart:
     * {@code distinctUntilChangedBy}.
     *
     * {@snippet :
     * readings.distinctUntilChangedBy(Reading::sensorState);
     * }
     *
     * @param keyFn computes the key compared with {@link Object#equals}; may return null
     * @param <K> the key type
     * @return the flow without consecutive repeats
     */
    public <K> AsyncFlow<T> distinctUntilChangedBy(ThrowingFunction<? super T, ? extends K> keyFn) {
        Objects.requireNonNull(keyFn, "keyFn");
        return new AsyncFlow<>(Distinct.untilChangedBy(flow, keyFn));
    }

    /**
     * Pairs each element with its zero-based position; every collection counts from 0.
     * kotlinx counterpart: {@code withIndex}.
     *
     * {@snippet :
     * AsyncFlow.of("a", "b").withIndex().toList();   // [Indexed[index=0, value=a], Indexed[index=1, value=b]]
     * }
     *
     * @return the indexed flow
     */
    public AsyncFlow<Indexed<T>> withIndex() {
        return new AsyncFlow<>(Transform.withIndex(flow));
    }

    /**
     * Emits {@code initial}, then each running accumulation. kotlinx counterpart: {@code scan}
     * ({@code runningFold}).
     *
     * {@snippet :
     * AsyncFlow.of(1, 2, 3).scan(0, Integer::sum).toList();   // [0, 1, 3, 6]
     * }
     *
     * @param initial the first element, not null
     * @param fn combines the accumulation so far with the next element; must not return null
     * @param <R> the accumulation type
     * @return the flow of running accumulations
     */
    public <R> AsyncFlow<R> scan(R initial, ThrowingBiFunction<? super R, ? super T, ? extends R> fn) {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(fn, "fn");
        return new AsyncFlow<>(Transform.scan(flow, initial, fn));
    }

    /**
     * Checks for cancellation before each element, so that even a source whose downstream never
     * suspends stops promptly when the collector is cancelled. coflow's own sources already check;
     * this matters for foreign flows wrapped with {@link #from}. kotlinx counterpart:
     * {@code cancellable}.
     *
     * {@snippet :
     * AsyncFlow.from(kotlinFlow).cancellable().forEach(this::handle);
     * }
     *
     * @return a flow that checks for cancellation at each element
     */
    public AsyncFlow<T> cancellable() {
        return new AsyncFlow<>(FlowKt.cancellable(flow));
    }

    // endregion
    // region terminals --------------------------------------------------------------------------

    /**
     * Collects every element into a list. Blocks (or suspends inside a coroutine body).
     * kotlinx counterpart: {@code toList()}. Python: {@code [x async for x in flow]}.
     *
     * @return the elements, in order
     */
    public List<T> toList() {
        return Terminals.block(c -> FlowKt.toList(flow, new ArrayList<>(), c));
    }

    /**
     * Collects every element into an insertion-ordered set. kotlinx counterpart: {@code toSet()}.
     *
     * @return the distinct elements, in first-seen order
     */
    public Set<T> toSet() {
        return Terminals.block(c -> FlowKt.toSet(flow, new LinkedHashSet<>(), c));
    }

    /**
     * Collects with any {@link Collector} ({@code groupingBy}, {@code joining},
     * {@code partitioningBy}, ...). Blocks (or suspends inside a coroutine body).
     *
     * @param collector the JDK collector
     * @param <A> its accumulator type
     * @param <R> its result type
     * @return the collector's result
     */
    public <A, R> R collect(Collector<? super T, A, R> collector) {
        Objects.requireNonNull(collector, "collector");
        A container = collector.supplier().get();
        BiConsumer<A, ? super T> acc = collector.accumulator();
        Terminals.block(c -> flow.collect(Lambdas.<T>collector(v -> acc.accept(container, v)), c));
        return collector.finisher().apply(container);
    }

    /**
     * Runs {@code action} for each element, in order. kotlinx counterpart: {@code collect { }}.
     *
     * @param action the action
     */
    public void forEach(ThrowingConsumer<? super T> action) {
        Objects.requireNonNull(action, "action");
        Terminals.block(c -> flow.collect(Lambdas.<T>collector(action), c));
    }

    /**
     * The first element, if any; the rest of the flow is cancelled. kotlinx counterpart:
     * {@code firstOrNull()}.
     *
     * @return the first element, or empty
     */
    public Optional<T> first() {
        T v = Terminals.block(c -> FlowKt.firstOrNull(flow, c));
        return Optional.ofNullable(v);
    }

    /**
     * Counts the elements. kotlinx counterpart: {@code count()}.
     *
     * @return the number of elements
     */
    public long count() {
        long[] n = new long[1];
        Terminals.block(c -> flow.collect(Lambdas.<T>collector(v -> n[0]++), c));
        return n[0];
    }

    /**
     * Collects into an insertion-ordered map. Blocks (or suspends inside a coroutine body).
     * Python: {@code {k(x): v(x) async for x in flow}}; kotlinx counterpart: {@code toList().associate}.
     *
     * {@snippet :
     * Map<Integer, Integer> idToValue = records.toMap(Record::id, Record::value);
     * }
     *
     * @param keyFn the key of an element, not null
     * @param valueFn the value of an element, not null
     * @param <K> the key type
     * @param <V> the value type
     * @return the map, in first-seen key order
     * @throws IllegalStateException on a duplicate key (naming it), as {@code Collectors.toMap}
     */
    public <K, V> Map<K, V> toMap(ThrowingFunction<? super T, ? extends K> keyFn,
            ThrowingFunction<? super T, ? extends V> valueFn) {
        Objects.requireNonNull(keyFn, "keyFn");
        Objects.requireNonNull(valueFn, "valueFn");
        return Reduce.toMap(flow, keyFn, valueFn, null);
    }

    /**
     * Collects into an insertion-ordered map, merging the values of equal keys. Blocks (or suspends
     * inside a coroutine body).
     *
     * {@snippet :
     * Map<String, Integer> wordCounts = words.toMap(w -> w, w -> 1, Integer::sum);
     * }
     *
     * @param keyFn the key of an element, not null
     * @param valueFn the value of an element, not null
     * @param mergeFn combines the old and the new value of a key, not null
     * @param <K> the key type
     * @param <V> the value type
     * @return the map, in first-seen key order
     */
    public <K, V> Map<K, V> toMap(ThrowingFunction<? super T, ? extends K> keyFn,
            ThrowingFunction<? super T, ? extends V> valueFn, ThrowingBiFunction<? super V, ? super V, ? extends V> mergeFn) {
        Objects.requireNonNull(keyFn, "keyFn");
        Objects.requireNonNull(valueFn, "valueFn");
        Objects.requireNonNull(mergeFn, "mergeFn");
        return Reduce.toMap(flow, keyFn, valueFn, mergeFn);
    }

    /**
     * The only element. Blocks (or suspends inside a coroutine body); stops at a second element.
     * kotlinx counterpart: {@code single()}.
     *
     * {@snippet :
     * User admin = users.filter(User::isAdmin).single();
     * }
     *
     * @return the element
     * @throws java.util.NoSuchElementException if the flow is empty
     * @throws IllegalArgumentException if the flow has more than one element
     */
    public T single() {
        return Reduce.single(flow);
    }

    /**
     * Combines the elements from left to right. Blocks (or suspends inside a coroutine body).
     * kotlinx counterpart: {@code reduce}, returning empty where kotlinx throws.
     *
     * {@snippet :
     * Optional<Integer> sum = AsyncFlow.range(1, 5).reduce(Integer::sum);   // Optional[10]
     * }
     *
     * @param fn combines the accumulated value and the next element; must not return null
     * @return the result, or empty for an empty flow
     */
    public Optional<T> reduce(ThrowingBiFunction<? super T, ? super T, ? extends T> fn) {
        Objects.requireNonNull(fn, "fn");
        return Reduce.reduce(flow, fn);
    }

    /**
     * Combines the elements from left to right, starting with {@code initial}. Blocks (or suspends
     * inside a coroutine body). kotlinx counterpart: {@code fold}.
     *
     * {@snippet :
     * String csv = AsyncFlow.of("a", "b").fold("", (acc, s) -> acc + s + ";");   // "a;b;"
     * }
     *
     * @param initial the starting value, not null
     * @param fn combines the accumulated value and the next element; must not return null
     * @param <R> the result type
     * @return the result, {@code initial} for an empty flow
     */
    public <R> R fold(R initial, ThrowingBiFunction<? super R, ? super T, ? extends R> fn) {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(fn, "fn");
        return Reduce.fold(flow, initial, fn);
    }

    /**
     * Whether some element matches; stops at the first match and cancels the rest. Blocks (or
     * suspends inside a coroutine body). kotlinx counterpart: {@code firstOrNull(predicate) != null}.
     *
     * {@snippet :
     * boolean anyOverdue = books.any(Book::isOverdue);
     * }
     *
     * @param predicate the test
     * @return {@code true} if an element matches; {@code false} for an empty flow
     */
    public boolean any(ThrowingPredicate<? super T> predicate) {
        Objects.requireNonNull(predicate, "predicate");
        return Reduce.any(flow, predicate);
    }

    /**
     * Whether every element matches; stops at the first mismatch and cancels the rest.
     *
     * {@snippet :
     * boolean allReturned = books.all(Book::isReturned);
     * }
     *
     * @param predicate the test
     * @return {@code true} if no element fails it; {@code true} for an empty flow
     */
    public boolean all(ThrowingPredicate<? super T> predicate) {
        Objects.requireNonNull(predicate, "predicate");
        return !Reduce.any(flow, v -> !predicate.test(v));
    }

    /**
     * Whether no element matches; stops at the first match and cancels the rest.
     *
     * {@snippet :
     * boolean noneOverdue = books.none(Book::isOverdue);
     * }
     *
     * @param predicate the test
     * @return {@code true} if no element matches; {@code true} for an empty flow
     */
    public boolean none(ThrowingPredicate<? super T> predicate) {
        Objects.requireNonNull(predicate, "predicate");
        return !Reduce.any(flow, predicate);
    }

    /**
     * Pulls the elements one by one on the calling thread. Must be closed (try-with-resources):
     * closing before the end cancels the producer, whose {@code finally} blocks have run when
     * {@code close()} returns. {@code hasNext()} blocks (or suspends inside a coroutine body);
     * interrupting a thread blocked in it cancels the producer and throws
     * {@link java.util.concurrent.CancellationException} with the interrupt flag set. The producer
     * runs at most one element ahead of the consumer (more after {@link #buffer}). Failures of the
     * flow are thrown from {@code hasNext()} as by {@link #toList()}. An iterator abandoned before
     * its end without {@code close()} leaves its producer waiting (as an unclosed kotlinx
     * {@code produceIn} channel does). Not thread-safe, like any iterator. Inside a generator body,
     * this is how to forward another flow's elements: {@code emit(it.next())} runs on the body's
     * own thread. kotlinx counterpart: {@code produceIn(scope).iterator()}.
     *
     * {@snippet :
     * try (CloseableIterator<Row> rows = cursor.iterator()) {
     *     while (rows.hasNext()) {
     *         process(rows.next());
     *     }
     * }
     * }
     *
     * @return a closeable iterator; nothing runs before its first {@code hasNext()}
     */
    public CloseableIterator<T> iterator() {
        return new FlowIterator<>(flow);
    }

    /**
     * The elements as a sequential, ordered {@link Stream}, pulled one by one as by
     * {@link #iterator()}. Close it (try-with-resources): closing cancels the producer and waits for
     * its {@code finally} blocks. Consuming the stream to the end also ends the collection.
     *
     * {@snippet :
     * try (Stream<Book> s = books.stream()) {
     *     return s.filter(Book::isOverdue).findFirst();
     * }
     * }
     *
     * @return a stream whose {@code close()} cancels the collection
     */
    public Stream<T> stream() {
        return FlowIterator.stream(flow);
    }

    /**
     * Collects into a list asynchronously; cancelling the future cancels the collection.
     *
     * @return a future of the elements
     */
    public CompletableFuture<List<T>> toListAsync() {
        return Terminals.async(c -> FlowKt.toList(flow, new ArrayList<>(), c));
    }

    /**
     * Collects with a JDK {@link Collector} asynchronously; cancelling the future cancels the collection.
     *
     * @param collector the collector
     * @param <A> its accumulator type
     * @param <R> its result type
     * @return a future of the result
     */
    public <A, R> CompletableFuture<R> collectAsync(Collector<? super T, A, R> collector) {
        Objects.requireNonNull(collector, "collector");
        A container = collector.supplier().get();
        BiConsumer<A, ? super T> acc = collector.accumulator();
        return Terminals.async(c -> flow.collect(Lambdas.<T>collector(v -> acc.accept(container, v)), c),
                ignored -> collector.finisher().apply(container));
    }

    /**
     * Runs {@code action} for each element, in order, asynchronously (on {@code Dispatchers.Default});
     * cancelling the future cancels the collection. The future fails with the original exception.
     * kotlinx counterpart: {@code scope.launch { flow.collect { } }}.
     *
     * {@snippet :
     * CompletableFuture<Void> done = events.forEachAsync(e -> log.info("{}", e));
     * }
     *
     * @param action the action
     * @return a future completed when the flow has completed
     */
    public CompletableFuture<Void> forEachAsync(ThrowingConsumer<? super T> action) {
        Objects.requireNonNull(action, "action");
        return Terminals.async(c -> flow.collect(Lambdas.<T>collector(action), c), ignored -> null);
    }

    // endregion

    @Override
    public String toString() {
        return "AsyncFlow[" + flow + "]";
    }

    static RuntimeException unchecked(Throwable t) {
        return Exceptions.unchecked(t);
    }
}
