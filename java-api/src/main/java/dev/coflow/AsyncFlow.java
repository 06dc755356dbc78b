package dev.coflow;

import dev.coflow.function.ThrowingBiConsumer;
import dev.coflow.function.ThrowingBiFunction;
import dev.coflow.function.ThrowingBiPredicate;
import dev.coflow.function.ThrowingConsumer;
import dev.coflow.function.ThrowingFunction;
import dev.coflow.function.ThrowingPredicate;
import dev.coflow.function.ThrowingSupplier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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
 * <li><b>Context.</b> Elements are delivered in the collector's coroutine context. A generator body
 * collected directly by a blocking terminal runs on the calling thread (its {@code ThreadLocal}s
 * and locks behave like ordinary Java); anywhere else it runs on its own virtual thread: under
 * {@code buffer}, {@code flowOn}, {@code zip}, {@code flatMapMerge}, {@code timeout}/{@code timeoutEach}
 * (the upstream runs in a scope of its own), inside {@code using} (whose own body already holds the
 * caller's thread), under an async terminal or a Kotlin collector. There the body does not see
 * the caller's {@code ThreadLocal}s, and a lock the caller holds is not held by the body. It may block either way and
 * never blocks a kotlinx dispatcher thread ({@code docs/adr/0001-body-driver.md}).</li>
 * <li><b>Threads.</b> Blocking terminals block the calling thread (cheap on a virtual thread); called
 * from inside a coroutine body they suspend the owning coroutine instead.</li>
 * <li><b>Every lambda may wait.</b> Each Java lambda that coflow calls during a collection (operator
 * functions: {@code map}, {@code filter}, {@code onEach}, {@code transform}, {@code scan},
 * {@code zip}'s combiner, {@code flatMap*}'s mapper, ...; terminal consumers: {@code forEach},
 * {@code fold}, {@code reduce}, a {@code Collector}'s accumulator; {@code onStart},
 * {@code onCompletion}, {@code onEmpty}, {@code catchError}, retry predicates, {@code using}'s acquire
 * and release, {@code paginate}'s fetcher, {@code defer}'s supplier) may call
 * {@code Suspend.delay/await/call/nonCancellable/ensureActive} and blocking terminals of other flows,
 * as a Kotlin {@code suspend} lambda would ({@code map { fetch(it) }}): the call is made in the
 * collecting coroutine, so it is cancellable ({@code take}, {@code timeout}, a cancelled future or
 * scope, an interrupted caller end it with {@link java.util.concurrent.CancellationException}) and on
 * that coroutine's clock (virtual time under the test harness). A lambda that does not wait runs at
 * native kotlinx speed. It runs on the thread that calls it (the caller of a blocking terminal, a
 * body's virtual thread); once a lambda has waited, its later calls that would otherwise hold a
 * kotlinx worker, an event loop or the test thread while they wait run on a virtual thread of their
 * own ({@code docs/adr/0002-suspend-like-lambdas.md}). A lambda of a blocking terminal over a plain
 * Java source, called from plain Java, runs in an ordinary loop on the calling thread; there
 * {@code Suspend.*} blocks that thread and an interrupt cancels.</li>
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
    /** The same pipeline as a plain loop, if it is a Java source plus synchronous stages; else null. */
    private final Fused<T> fused;

    private AsyncFlow(Flow<T> flow) {
        this(flow, Fused.of(flow));
    }

    private AsyncFlow(Flow<T> flow, Fused<T> fused) {
        this.flow = flow;
        this.fused = fused;
    }

    /** This flow followed by {@code stage}: {@code next} as the kotlinx flow, plus the fused form if any. */
    private <R> AsyncFlow<R> fuse(Flow<R> next, FusedStages.Stage stage) {
        return new AsyncFlow<>(next, fused == null ? null : fused.then(stage));
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
        Objects.requireNonNull(collector, "collector");
        Objects.requireNonNull(continuation, "continuation");
        return flow.collect(collector, continuation);
    }

    /**
     * The kotlinx flow behind this one, without coflow's facade (this object itself is also a
     * {@code Flow}, so most Kotlin code can take it as it is). kotlinx counterpart: the
     * {@code Flow} itself.
     *
     * {@snippet :
     * Flow<String> forKotlin = AsyncFlow.of("a", "b").asKotlin();
     * }
     *
     * @return the underlying flow
     */
    public Flow<T> asKotlin() {
        return flow;
    }

    /**
     * The kotlinx flow behind this one.
     *
     * @return the underlying flow
     * @deprecated renamed to {@link #asKotlin()}, the one name coflow uses for the kotlinx object
     *     behind any of its types
     */
    @Deprecated(since = "0.2")
    public Flow<T> asFlow() {
        return flow;
    }

    // region builders -----------------------------------------------------------------------------
    // (generate, of, range, from*, defer; using: see Resources.java; paginate*: see Pagination.java)

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
        return new AsyncFlow<>(new Builders.Generate<>(body), Fused.ofGenerator(body));
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
            if (copy[i] == null) {
                throw Checks.nullElement(
                        "AsyncFlow.of", "values contains null at index " + i, "filter nulls out first or use Optional");
            }
        }
        return new AsyncFlow<>(
                new SourceFlow<>("AsyncFlow.of", () -> Arrays.asList(copy).iterator()));
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
        return new AsyncFlow<>(new SourceFlow<Integer>("AsyncFlow.range", () -> new Builders.Range(from, to)));
    }

    /**
     * Emits {@code 0L} once, after {@code delay}, then completes. Waits on the coroutine clock
     * (virtual under test). kotlinx counterpart: {@code flow { delay(delay); emit(0L) }}; Reactor
     * {@code Mono.delay}.
     *
     * {@snippet :
     * AsyncFlow.timer(Duration.ofSeconds(5)).forEach(tick -> showReminder());
     * }
     *
     * @param delay the wait, not negative
     * @return a flow of one element
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    public static AsyncFlow<Long> timer(Duration delay) {
        return new AsyncFlow<>(Delay.timer(Checks.nonNegativeMillis("timer", "delay", delay)));
    }

    /**
     * A ticker: emits {@code 0, 1, 2, ...}, the first after {@code period}, then one every
     * {@code period}; never completes on its own (stop it with {@code take}, {@code takeWhile} or
     * by cancelling). Same as {@link #interval(Duration, Duration) interval(period, period)}.
     *
     * {@snippet :
     * AsyncFlow.interval(Duration.ofSeconds(1)).take(3).toList();  // [0, 1, 2] after 3 s
     * }
     *
     * @param period the time between ticks, positive
     * @return the ticker
     * @throws IllegalArgumentException if {@code period} is not positive
     */
    public static AsyncFlow<Long> interval(Duration period) {
        Objects.requireNonNull(period, "period");
        return interval(period, period);
    }

    /**
     * A ticker: tick {@code k} is due at {@code initialDelay + k * period} from the start of the
     * collection and emits {@code k}. It does not drift: each due time is computed from the start,
     * not from the previous emit. A tick that falls due while the consumer is still busy with an
     * earlier one is dropped, not queued, so a slow consumer sees gaps in the numbers (the
     * numbers always say which tick it is). Never completes on its own. Waits on the coroutine
     * clock (virtual under test). kotlinx counterpart: {@code ticker(period, initialDelay)}
     * (obsolete API, a channel); Reactor {@code Flux.interval(initialDelay, period)} (which fails
     * a slow consumer instead).
     *
     * {@snippet :
     * AsyncFlow.interval(Duration.ZERO, Duration.ofSeconds(10)).forEach(tick -> poll());
     * }
     *
     * @param initialDelay the wait before tick 0, not negative
     * @param period the time between ticks, positive
     * @return the ticker
     * @throws IllegalArgumentException if {@code initialDelay} is negative or {@code period} is not
     *     positive
     */
    public static AsyncFlow<Long> interval(Duration initialDelay, Duration period) {
        long initial = Checks.nonNegativeMillis("interval", "initialDelay", initialDelay);
        long millis = Checks.positiveMillis("interval", "period", period);
        return new AsyncFlow<>(Delay.interval(initial, millis));
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
            Stream<? extends T> s =
                    Objects.requireNonNull(supplier.get(), "AsyncFlow.fromStream: supplier returned null");
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
        return new AsyncFlow<>(new Builders.Defer<>(supplier));
    }

    /**
     * A flow over a resource acquired per collection and released exactly once when that
     * collection ends: on completion, on failure (upstream or downstream) and on cancellation
     * ({@code take}, a cancelled future). {@code acquire} and {@code release} may block or call
     * {@code Suspend.*}; release runs in {@code Suspend.nonCancellable}. A failure in release is
     * added as suppressed to the primary failure and never hides it; after a normal completion it
     * fails the flow. Python: {@code async with} around {@code async for}. kotlinx counterpart:
     * {@code flow { resource.use { emitAll(...) } }}.
     *
     * {@snippet :
     * AsyncFlow<String> titles = AsyncFlow.using(
     *         () -> dataSource.getConnection(),
     *         conn -> rows(conn, "select title from books"),
     *         conn -> conn.close());
     * }
     *
     * @param acquire opens the resource, once per collection
     * @param use builds the flow over the resource
     * @param release closes the resource, exactly once per successful {@code acquire}
     * @param <R> the resource type
     * @param <T> the element type
     * @return a cold flow
     */
    public static <R, T> AsyncFlow<T> using(
            ThrowingSupplier<? extends R> acquire,
            ThrowingFunction<? super R, ? extends Flow<? extends T>> use,
            ThrowingConsumer<? super R> release) {
        Objects.requireNonNull(acquire, "acquire");
        Objects.requireNonNull(use, "use");
        Objects.requireNonNull(release, "release");
        return new AsyncFlow<>(Resources.using(acquire, use, release));
    }

    /**
     * {@link #using(ThrowingSupplier, ThrowingFunction, ThrowingConsumer)} for an
     * {@link AutoCloseable}: the resource is closed exactly once however the collection ends.
     *
     * {@snippet :
     * AsyncFlow<Book> books = AsyncFlow.using(
     *         () -> connection.prepareStatement("select * from books").executeQuery(),
     *         rs -> AsyncFlow.generate(out -> {
     *             while (rs.next()) {
     *                 out.emit(toBook(rs));
     *             }
     *         }));
     * }
     *
     * @param acquire opens the resource, once per collection
     * @param use builds the flow over the resource
     * @param <R> the resource type
     * @param <T> the element type
     * @return a cold flow
     */
    public static <R extends AutoCloseable, T> AsyncFlow<T> using(
            ThrowingSupplier<? extends R> acquire, ThrowingFunction<? super R, ? extends Flow<? extends T>> use) {
        Objects.requireNonNull(acquire, "acquire");
        Objects.requireNonNull(use, "use");
        return new AsyncFlow<>(Resources.using(acquire, use, AutoCloseable::close));
    }

    /**
     * The items of a paginated source, fetched one page at a time as the consumer needs them:
     * pages 0, 1, 2, ... until the first empty page. The fetch may block or call
     * {@code Suspend.*} (it runs as a coroutine body). kotlinx counterpart: a {@code flow { }} loop.
     *
     * {@snippet :
     * AsyncFlow<Book> books = AsyncFlow.paginate(page -> fetchBooks(page * 10, 10));
     * }
     *
     * @param fetcher fetches one page by number
     * @param <T> the element type
     * @return a cold flow of the items
     */
    public static <T> AsyncFlow<T> paginate(PageFetcher<? extends T> fetcher) {
        Objects.requireNonNull(fetcher, "fetcher");
        return new AsyncFlow<>(Pagination.byNumber(fetcher, 0));
    }

    /**
     * Like {@link #paginate(PageFetcher)}, but fetches up to {@code prefetchPages} pages ahead of
     * the consumer, concurrently with its work (a buffer of pages); at most that many pages beyond
     * the one being consumed are fetched and never read if the consumer stops early.
     *
     * {@snippet :
     * AsyncFlow.paginate(page -> api.list(page), 1)   // page k+1 loads while page k is processed
     *         .forEach(this::process);
     * }
     *
     * @param fetcher fetches one page by number
     * @param prefetchPages {@code >= 0}; 0 fetches only on demand
     * @param <T> the element type
     * @return a cold flow of the items
     */
    public static <T> AsyncFlow<T> paginate(PageFetcher<? extends T> fetcher, int prefetchPages) {
        Objects.requireNonNull(fetcher, "fetcher");
        if (prefetchPages < 0) {
            throw new IllegalArgumentException(
                    "paginate: prefetchPages must be >= 0 (0 = no prefetch), was " + prefetchPages);
        }
        return new AsyncFlow<>(Pagination.byNumber(fetcher, prefetchPages));
    }

    /**
     * Like {@link #paginate(PageFetcher)} for an asynchronous API: the fetch returns a
     * {@link CompletionStage}, awaited without blocking; cancelling the collection cancels a
     * pending {@link CompletableFuture}. Stops at the first empty page. For prefetch, append
     * {@code .buffer(pageSize)}.
     *
     * {@snippet :
     * AsyncFlow<Book> books = AsyncFlow.paginateAsync(page -> client.fetchBooksAsync(page));
     * }
     *
     * @param fetcher starts the fetch of one page by number
     * @param <T> the element type
     * @return a cold flow of the items
     */
    public static <T> AsyncFlow<T> paginateAsync(
            java.util.function.IntFunction<? extends CompletionStage<? extends List<? extends T>>> fetcher) {
        Objects.requireNonNull(fetcher, "fetcher");
        return new AsyncFlow<>(Pagination.byNumberAsync(fetcher));
    }

    /**
     * The items of a token- (cursor-) paginated API: fetches the page for {@code initialToken},
     * then for each page's {@link Page#next() next} token, until a page has none. Empty pages that
     * carry a next token are skipped, not an end. The fetch may block or call {@code Suspend.*}.
     *
     * {@snippet :
     * AsyncFlow<Order> orders = AsyncFlow.paginateByToken(null, token -> {
     *     var r = api.listOrders(token);
     *     return new Page<>(r.orders(), r.nextPageToken());
     * });
     * }
     *
     * @param initialToken the first request's token, or {@code null} if the first request has none
     * @param fetcher fetches the page of a token
     * @param <T> the element type
     * @return a cold flow of the items
     */
    public static <T> AsyncFlow<T> paginateByToken(
            String initialToken, ThrowingFunction<? super String, ? extends Page<? extends T>> fetcher) {
        Objects.requireNonNull(fetcher, "fetcher");
        return new AsyncFlow<>(Pagination.byToken(initialToken, fetcher, 0));
    }

    /**
     * {@link #paginateByToken(String, ThrowingFunction)} with up to {@code prefetchPages} pages
     * fetched ahead of the consumer (see {@link #paginate(PageFetcher, int)}).
     *
     * @param initialToken the first request's token, or {@code null}
     * @param fetcher fetches the page of a token
     * @param prefetchPages {@code >= 0}; 0 fetches only on demand
     * @param <T> the element type
     * @return a cold flow of the items
     */
    public static <T> AsyncFlow<T> paginateByToken(
            String initialToken,
            ThrowingFunction<? super String, ? extends Page<? extends T>> fetcher,
            int prefetchPages) {
        Objects.requireNonNull(fetcher, "fetcher");
        if (prefetchPages < 0) {
            throw new IllegalArgumentException(
                    "paginateByToken: prefetchPages must be >= 0 (0 = no prefetch), was " + prefetchPages);
        }
        return new AsyncFlow<>(Pagination.byToken(initialToken, fetcher, prefetchPages));
    }

    // endregion
    // region channels -----------------------------------------------------------------------------
    // (channelFlow, callbackFlow: see Channels.java)

    /**
     * Creates a flow fed through a channel by a producer body that may run several producers at
     * once: the body, and any body it {@linkplain Producer#launch launches}, send elements with
     * {@link Producer#send} from their own virtual threads. The flow completes when the body and
     * every launched body have returned; the first failure cancels the others and fails the flow;
     * cancellation of the collector cancels them all (at their next suspend-like call, e.g.
     * {@code send}). The channel buffers kotlinx's default of 64 elements, so producers run ahead
     * of the collector; follow with {@link #buffer(int)} to change that. kotlinx counterpart:
     * {@code channelFlow { }}.
     *
     * {@snippet :
     * AsyncFlow<Price> prices = AsyncFlow.channelFlow(producer -> {
     *     for (Exchange ex : exchanges) {
     *         producer.launch(() -> {
     *             for (Price p : ex.quotes()) {     // blocking reads are fine here
     *                 producer.send(p);
     *             }
     *         });
     *     }
     * });
     * }
     *
     * @param body runs once per collection
     * @param <T> the element type
     * @return a cold flow
     */
    public static <T> AsyncFlow<T> channelFlow(ProducerBody<T> body) {
        Objects.requireNonNull(body, "body");
        return new AsyncFlow<>(Channels.channelFlow(body));
    }

    /**
     * Turns a callback or listener API into a flow. The body registers a listener that hands
     * each event over with {@link Producer#trySend} (never blocks the caller of the callback) and
     * then calls {@link Producer#awaitClose} with the code that unregisters it: the listener is
     * removed exactly once, when the collector stops early, fails, is cancelled, or after
     * {@link Producer#close} ends the flow. A body that returns without calling
     * {@code awaitClose} fails the flow with an {@link IllegalStateException}, so a forgotten
     * unregistration cannot leak. Events beyond the 64-element buffer are dropped by
     * {@code trySend} (it returns {@code false}); choose another capacity or policy with
     * {@link #buffer(int, BufferOverflow)}. kotlinx counterpart: {@code callbackFlow { }}.
     *
     * {@snippet :
     * AsyncFlow<PropertyChangeEvent> changes = AsyncFlow.callbackFlow(producer -> {
     *     PropertyChangeListener listener = producer::trySend;
     *     bean.addPropertyChangeListener(listener);
     *     producer.awaitClose(() -> bean.removePropertyChangeListener(listener));
     * });
     * }
     *
     * @param body runs once per collection; must end with {@code awaitClose}
     * @param <T> the element type
     * @return a cold flow
     */
    public static <T> AsyncFlow<T> callbackFlow(ProducerBody<T> body) {
        Objects.requireNonNull(body, "body");
        return new AsyncFlow<>(Channels.callbackFlow(body));
    }

    // endregion
    // region transform ----------------------------------------------------------------------------
    // (map, filter, filterNot, mapNotNull, onEach, withIndex, scan: see Transform.java; chunked: see Chunk.java)

    /**
     * Transforms each element. kotlinx counterpart: {@code map}.
     *
     * @param fn the transformation; must not return null
     * @param <R> the result type
     * @return the transformed flow
     */
    public <R> AsyncFlow<R> map(ThrowingFunction<? super T, ? extends R> fn) {
        Objects.requireNonNull(fn, "fn");
        return fuse(Transform.map(flow, fn), FusedStages.map(fn));
    }

    /**
     * Keeps the elements that match. kotlinx counterpart: {@code filter}.
     *
     * @param predicate which elements to keep
     * @return the filtered flow
     */
    public AsyncFlow<T> filter(ThrowingPredicate<? super T> predicate) {
        Objects.requireNonNull(predicate, "predicate");
        return fuse(Transform.filter(flow, predicate), FusedStages.filter(predicate, true));
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
        return fuse(Transform.filterNot(flow, predicate), FusedStages.filter(predicate, false));
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
        return fuse(Transform.mapNotNull(flow, fn), FusedStages.mapNotNull(fn));
    }

    /**
     * Runs an action on each element before passing it on. kotlinx counterpart: {@code onEach}.
     *
     * @param action the action
     * @return a flow of the same elements
     */
    public AsyncFlow<T> onEach(ThrowingConsumer<? super T> action) {
        Objects.requireNonNull(action, "action");
        return fuse(Transform.onEach(flow, action), FusedStages.onEach(action));
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
     * Groups consecutive elements into read-only lists of {@code size}; the last list may be
     * shorter. kotlinx counterpart: {@code chunked}.
     *
     * {@snippet :
     * AsyncFlow.range(0, 5).chunked(2).toList();   // [[0, 1], [2, 3], [4]]
     * }
     *
     * @param size elements per list, {@code >= 1}
     * @return the flow of lists
     * @throws IllegalArgumentException if {@code size < 1}
     */
    public AsyncFlow<List<T>> chunked(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("chunked: size must be >= 1, was " + size);
        }
        return new AsyncFlow<>(Chunk.chunked(flow, size));
    }

    /**
     * Groups consecutive elements into read-only lists, emitting a list when it holds
     * {@code maxSize} elements or when {@code maxWait} has passed since its first element,
     * whichever comes first. Never emits an empty list; the last partial list is emitted when the
     * upstream completes, and before an upstream failure is passed on, so no element is lost.
     * Waits on the coroutine clock (virtual under test). The upstream runs in its own coroutine,
     * at most one element ahead. kotlinx counterpart: none (kotlinx.coroutines#1302); Reactor
     * {@code bufferTimeout(maxSize, maxTime)}, Pekko {@code groupedWithin}.
     *
     * {@snippet :
     * events.chunked(500, Duration.ofSeconds(1)).forEach(batch -> db.insertAll(batch));
     * }
     *
     * @param maxSize the most elements per list, {@code >= 1}
     * @param maxWait how long the first element of a list may wait for the list to be emitted,
     *     positive; fractions of a millisecond round up
     * @return the flow of lists
     * @throws IllegalArgumentException if {@code maxSize < 1} or {@code maxWait} is not positive
     */
    public AsyncFlow<List<T>> chunked(int maxSize, Duration maxWait) {
        Checks.atLeastOne("chunked", "maxSize", maxSize);
        long millis = Checks.positiveMillis("chunked", "maxWait", maxWait);
        return new AsyncFlow<>(Delay.chunked(flow, maxSize, millis));
    }

    /**
     * Read-only windows of {@code size} consecutive elements, each starting {@code step} elements
     * after the previous one ({@code step < size}: overlapping; {@code step > size}: elements
     * between windows are skipped). Only full windows are emitted. kotlinx counterpart: none;
     * Kotlin's {@code windowed(size, step)} on sequences; Reactor {@code buffer(size, skip)}.
     *
     * {@snippet :
     * AsyncFlow.range(1, 6).sliding(3, 1).toList();   // [[1, 2, 3], [2, 3, 4], [3, 4, 5]]
     * }
     *
     * @param size elements per window, {@code >= 1}
     * @param step elements between the starts of two windows, {@code >= 1}
     * @return the flow of windows
     * @throws IllegalArgumentException if {@code size} or {@code step} is below 1
     */
    public AsyncFlow<List<T>> sliding(int size, int step) {
        Checks.atLeastOne("sliding", "size", size);
        Checks.atLeastOne("sliding", "step", step);
        return new AsyncFlow<>(Chunk.sliding(flow, size, step));
    }

    /**
     * Splits the flow by key: emits a {@link GroupedFlow} for each new key, whose flow gets the
     * elements with that key in upstream order. At most 1,024 groups may be open at once; see
     * {@link #groupBy(ThrowingFunction, int)}.
     *
     * {@snippet :
     * events.groupBy(Event::deviceId)
     *       .flatMapMerge(256, g -> g.flow().debounce(Duration.ofSeconds(1)))
     *       .forEach(store::save);
     * }
     *
     * @param keyFn the key of an element, not null; may wait
     * @param <K> the key type
     * @return the flow of groups
     */
    public <K> AsyncFlow<GroupedFlow<K, T>> groupBy(ThrowingFunction<? super T, ? extends K> keyFn) {
        return groupBy(keyFn, 1_024);
    }

    /**
     * Splits the flow by key: emits a {@link GroupedFlow} for each new key, whose flow gets the
     * elements with that key in upstream order. Collect each group promptly and concurrently (for
     * example with {@code flatMapMerge(concurrency >= groups, ...)}): each group buffers 64 elements,
     * then the upstream waits for it. Cancelling one group's collection closes only that group; a
     * later element with its key opens a new group. When the upstream completes, so does every
     * group; when it fails, every group and the flow of groups fail with the same cause. If a new
     * key would open more than {@code maxGroups} groups at once, the flow fails with an
     * {@link IllegalStateException} naming the key and the bound (the documented policy: nothing
     * is dropped silently). kotlinx counterpart: none; Reactor {@code groupBy}.
     *
     * {@snippet :
     * orders.groupBy(Order::region, 16)
     *       .flatMapMerge(16, g -> g.flow().chunked(100).map(batch -> ship(g.key(), batch)))
     *       .forEach(log::info);
     * }
     *
     * @param keyFn the key of an element, not null; may wait
     * @param maxGroups the most groups open at once, {@code >= 1}
     * @param <K> the key type
     * @return the flow of groups
     * @throws IllegalArgumentException if {@code maxGroups < 1}
     */
    public <K> AsyncFlow<GroupedFlow<K, T>> groupBy(ThrowingFunction<? super T, ? extends K> keyFn, int maxGroups) {
        Objects.requireNonNull(keyFn, "keyFn");
        Checks.atLeastOne("groupBy", "maxGroups", maxGroups);
        return new AsyncFlow<>(Grouping.groupBy(flow, keyFn, maxGroups));
    }

    // endregion
    // region limit --------------------------------------------------------------------------------
    // (take, drop, takeWhile, dropWhile: see Limit.java)

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
        return n == 0 ? empty() : fuse(FlowKt.take(flow, n), FusedStages.take(n));
    }

    /**
     * The last {@code n} elements, emitted once the upstream has completed (an upstream failure
     * passes on instead, with nothing emitted). Holds at most {@code n} elements. kotlinx
     * counterpart: none; Reactor {@code takeLast(n)}.
     *
     * {@snippet :
     * AsyncFlow.range(0, 10).takeLast(3).toList();   // [7, 8, 9]
     * }
     *
     * @param n how many, {@code >= 0} ({@code 0} emits nothing but still waits for completion)
     * @return the flow of the last elements
     * @throws IllegalArgumentException if {@code n < 0}
     */
    public AsyncFlow<T> takeLast(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("takeLast: n must be >= 0, was " + n);
        }
        return new AsyncFlow<>(n == 0 ? Limit.ignoreElements(flow) : Limit.takeLast(flow, n));
    }

    /**
     * Drops every element: the flow completes or fails when the upstream does. For running a flow
     * for its side effects inside a larger pipeline. kotlinx counterpart: {@code filter { false }};
     * Reactor {@code ignoreElements()}.
     *
     * {@snippet :
     * AsyncFlow.concat(writes.onEach(db::insert).ignoreElements(), AsyncFlow.of("done")).first();
     * }
     *
     * @return a flow without elements
     */
    public AsyncFlow<T> ignoreElements() {
        return new AsyncFlow<>(Limit.ignoreElements(flow));
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
        return n == 0 ? new AsyncFlow<>(flow, fused) : fuse(Limit.drop(flow, n), FusedStages.drop(n));
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
        return fuse(Limit.takeWhile(flow, predicate), FusedStages.takeWhile(predicate));
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
        return fuse(Limit.dropWhile(flow, predicate), FusedStages.dropWhile(predicate));
    }

    // endregion
    // region distinct -----------------------------------------------------------------------------
    // (distinctUntilChanged, distinctUntilChangedBy: see Distinct.java)

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

    // endregion
    // region emitters -----------------------------------------------------------------------------
    // (transform, onStart, onCompletion, onEmpty: see Emitters.java)

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
     * waiting cleanup in {@code Suspend.nonCancellable}. If the action itself throws while the flow
     * is failing, the action's exception is what the caller gets, with the flow's failure added to
     * it as suppressed (kotlinx's rule; {@code using}'s release does the opposite). kotlinx
     * counterpart: {@code onCompletion}.
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
     * Reports this stage to {@code listener}: each collection's start and end (its duration on the
     * coroutine clock, and whether it completed, was cancelled or failed), every element, and the
     * gauges of the {@code mapAsync*} and suspending {@code buffer} operators upstream of here
     * (running transformations, waiting elements). The elements pass unchanged. kotlinx
     * counterpart: none; Reactor {@code tap()} / {@code metrics()}.
     *
     * {@snippet :
     * orders.mapAsync(8, this::enrich).metrics("enrich", micrometerMetrics).forEach(this::store);
     * }
     *
     * @param stage the name every report carries, not null
     * @param listener what receives the reports, not null
     * @return the same flow, measured
     */
    public AsyncFlow<T> metrics(String stage, FlowMetrics listener) {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(listener, "listener");
        return new AsyncFlow<>(Metrics.metrics(flow, stage, listener));
    }

    /**
     * Logs the life of each collection at {@code INFO} through {@code System.Logger} (logger
     * {@code dev.coflow.AsyncFlow}; routed to SLF4J, Log4j or java.util.logging by your setup): the
     * start, every element, and the end (completed, cancelled, or failed with the cause). For
     * debugging; see {@link #log(String, System.Logger.Level)}. kotlinx counterpart: {@code onStart}
     * + {@code onEach} + {@code onCompletion} with a logger; Reactor {@code log(category)}.
     *
     * {@snippet :
     * orders.log("orders").map(this::price).log("priced").toList();
     * // orders: collecting / orders: element Order[1] / priced: element 9.5 / ... / orders: completed
     * }
     *
     * @param name the prefix of every line, naming this stage
     * @return the same flow, logged
     */
    public AsyncFlow<T> log(String name) {
        return log(name, System.Logger.Level.INFO);
    }

    /**
     * Like {@link #log(String)}, at {@code level}.
     *
     * {@snippet :
     * events.log("events", System.Logger.Level.DEBUG).forEach(this::handle);
     * }
     *
     * @param name the prefix of every line
     * @param level the level of every line
     * @return the same flow, logged
     */
    public AsyncFlow<T> log(String name, System.Logger.Level level) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(level, "level");
        return new AsyncFlow<>(Emitters.log(flow, name, level));
    }

    /**
     * Emits {@code value} if the upstream completes without an element. kotlinx counterpart:
     * {@code onEmpty { emit(value) }}; Reactor {@code defaultIfEmpty}.
     *
     * {@snippet :
     * search(query).defaultIfEmpty(Result.NONE).first();
     * }
     *
     * @param value the element for an empty upstream, not null
     * @return a flow that is never empty
     */
    public AsyncFlow<T> defaultIfEmpty(T value) {
        Objects.requireNonNull(value, "value");
        return new AsyncFlow<>(Emitters.defaultIfEmpty(flow, value));
    }

    /**
     * Continues with {@code other} if the upstream completes without an element. kotlinx
     * counterpart: {@code onEmpty { emitAll(other) }}; Reactor {@code switchIfEmpty}.
     *
     * {@snippet :
     * cache.lookup(key).switchIfEmpty(AsyncFlow.defer(() -> database.load(key))).first();
     * }
     *
     * @param other the flow for an empty upstream, collected only then
     * @return the upstream's elements, or else {@code other}'s
     */
    public AsyncFlow<T> switchIfEmpty(Flow<? extends T> other) {
        Objects.requireNonNull(other, "other");
        return new AsyncFlow<>(Emitters.switchIfEmpty(flow, other));
    }

    // endregion
    // region zip, merge and flatMap ---------------------------------------------------------------
    // (merge, flatMapConcat/Merge/Latest: see Merge.java; zip, combine: see Zip.java; mapAsync*: see MapAsync.java)

    /**
     * Merges several flows into one: all are collected concurrently and their elements are
     * emitted as they arrive (each flow's own order is kept; there is no order between flows). The
     * merged flow ends when all have ended; a failure of one cancels the others. kotlinx
     * counterpart: {@code merge(flows...)}.
     *
     * {@snippet :
     * AsyncFlow<Event> all = AsyncFlow.merge(clicks, keyPresses, timerTicks);
     * }
     *
     * @param flows the flows (any kotlinx flow), none null
     * @param <T> the element type
     * @return the merged flow
     */
    @SafeVarargs
    public static <T> AsyncFlow<T> merge(Flow<? extends T>... flows) {
        Objects.requireNonNull(flows, "flows");
        return merge(Arrays.asList(flows));
    }

    /**
     * Merges a list of flows; see {@link #merge(Flow[])}. kotlinx counterpart:
     * {@code Iterable<Flow<T>>.merge()}.
     *
     * @param flows the flows, none null
     * @param <T> the element type
     * @return the merged flow
     */
    public static <T> AsyncFlow<T> merge(List<? extends Flow<? extends T>> flows) {
        Objects.requireNonNull(flows, "flows");
        List<Flow<? extends T>> copy = Checks.flows(flows);
        return new AsyncFlow<>(Merge.merge(copy));
    }

    /**
     * The elements of each flow in turn: the next flow is collected only after the previous one
     * completed. kotlinx counterpart: {@code flowOf(a, b, c).flattenConcat()}; Reactor
     * {@code Flux.concat}.
     *
     * {@snippet :
     * AsyncFlow.concat(cache.recent(), database.older()).take(50).toList();
     * }
     *
     * @param flows the flows, none null
     * @param <T> the element type
     * @return the concatenation
     */
    @SafeVarargs
    public static <T> AsyncFlow<T> concat(Flow<? extends T>... flows) {
        Objects.requireNonNull(flows, "flows");
        return concat(Arrays.asList(flows));
    }

    /**
     * Like {@link #concat(Flow[])}, for a list of flows.
     *
     * {@snippet :
     * AsyncFlow.concat(List.of(page1, page2, page3)).toList();
     * }
     *
     * @param flows the flows, none null
     * @param <T> the element type
     * @return the concatenation
     */
    public static <T> AsyncFlow<T> concat(List<? extends Flow<? extends T>> flows) {
        Objects.requireNonNull(flows, "flows");
        List<Flow<? extends T>> copy = Checks.flows(flows);
        return new AsyncFlow<>(Merge.concat(copy));
    }

    /**
     * Emits {@code values} first, then the upstream's elements. kotlinx counterpart:
     * {@code onStart { emit(v) }}; Reactor {@code startWith}.
     *
     * {@snippet :
     * prices.startWith(lastKnownPrice).forEach(chart::plot);
     * }
     *
     * @param values the leading elements, none null
     * @return the flow with its head
     */
    @SafeVarargs
    public final AsyncFlow<T> startWith(T... values) {
        return concat(of(values), this);
    }

    /**
     * One element of this flow, then one of {@code other}, alternately; when one side completes,
     * the rest of the other follows. Both sides run concurrently, each at most one element ahead;
     * a failure of either fails the flow and cancels the other. kotlinx counterpart: none; Pekko
     * {@code interleave(that, 1)}.
     *
     * {@snippet :
     * AsyncFlow.of(1, 3, 5).interleave(AsyncFlow.of(2, 4)).toList();   // [1, 2, 3, 4, 5]
     * }
     *
     * @param other the second flow
     * @return the interleaved flow
     */
    public AsyncFlow<T> interleave(Flow<? extends T> other) {
        Objects.requireNonNull(other, "other");
        return new AsyncFlow<>(Merge.interleave(flow, other));
    }

    /**
     * Maps each element to a flow and emits the elements of those flows one after another: the
     * next element's flow starts only after the previous one has completed. {@code fn} is a plain
     * function returning an {@code AsyncFlow} or any kotlinx flow. kotlinx counterpart:
     * {@code flatMapConcat}.
     *
     * {@snippet :
     * AsyncFlow.of(1, 2).flatMapConcat(i -> AsyncFlow.of(i, i * 10)).toList();   // [1, 10, 2, 20]
     * }
     *
     * @param fn the inner flow for an element; must not return null
     * @param <R> the result type
     * @return the flattened flow
     */
    public <R> AsyncFlow<R> flatMapConcat(ThrowingFunction<? super T, ? extends Flow<? extends R>> fn) {
        Objects.requireNonNull(fn, "fn");
        return new AsyncFlow<>(Merge.flatMapConcat(flow, fn));
    }

    /**
     * Maps each element to a flow and collects up to kotlinx's default of 16 of those flows at
     * once, emitting their elements as they arrive; see {@link #flatMapMerge(int, ThrowingFunction)}.
     * kotlinx counterpart: {@code flatMapMerge}.
     *
     * @param fn the inner flow for an element; must not return null
     * @param <R> the result type
     * @return the merged flow
     */
    public <R> AsyncFlow<R> flatMapMerge(ThrowingFunction<? super T, ? extends Flow<? extends R>> fn) {
        Objects.requireNonNull(fn, "fn");
        return new AsyncFlow<>(Merge.flatMapMerge(flow, Merge.defaultConcurrency(), fn));
    }

    /**
     * Maps each element to a flow and collects up to {@code concurrency} of those flows at once,
     * emitting their elements as they arrive (no order between inner flows). A failure in any of
     * them cancels the rest. kotlinx counterpart: {@code flatMapMerge(concurrency)}.
     *
     * {@snippet :
     * AsyncFlow<Page> pages = userIds.flatMapMerge(4, id -> pagesOf(id));   // 4 users at a time
     * }
     *
     * @param concurrency how many inner flows run at once, {@code >= 1}
     * @param fn the inner flow for an element; must not return null
     * @param <R> the result type
     * @return the merged flow
     * @throws IllegalArgumentException if {@code concurrency < 1}
     */
    public <R> AsyncFlow<R> flatMapMerge(int concurrency, ThrowingFunction<? super T, ? extends Flow<? extends R>> fn) {
        Objects.requireNonNull(fn, "fn");
        if (concurrency < 1) {
            throw new IllegalArgumentException("flatMapMerge: concurrency must be >= 1, was " + concurrency
                    + "; use flatMapConcat for one at a time");
        }
        return new AsyncFlow<>(Merge.flatMapMerge(flow, concurrency, fn));
    }

    /**
     * Maps each element to a flow and emits that flow's elements until the next upstream element
     * arrives; then the previous inner flow is cancelled. For "search as you type".
     * kotlinx counterpart: {@code flatMapLatest}.
     *
     * {@snippet :
     * AsyncFlow<Result> results = queries.debounce(Duration.ofMillis(300)).flatMapLatest(q -> search(q));
     * }
     *
     * @param fn the inner flow for an element; must not return null
     * @param <R> the result type
     * @return the flattened flow
     */
    public <R> AsyncFlow<R> flatMapLatest(ThrowingFunction<? super T, ? extends Flow<? extends R>> fn) {
        Objects.requireNonNull(fn, "fn");
        return new AsyncFlow<>(Merge.flatMapLatest(flow, fn));
    }

    /**
     * Pairs elements of this flow and {@code other} by position and combines each pair; ends when
     * either flow ends (the other is cancelled). Both flows are collected concurrently.
     * kotlinx counterpart: {@code zip}.
     *
     * {@snippet :
     * AsyncFlow.of(1, 2, 3).zip(AsyncFlow.of("a", "b"), (i, s) -> i + s).toList();   // [1a, 2b]
     * }
     *
     * @param other the other flow
     * @param fn combines a pair; must not return null
     * @param <U> the other flow's element type
     * @param <R> the result type
     * @return the zipped flow
     */
    public <U, R> AsyncFlow<R> zip(Flow<? extends U> other, ThrowingBiFunction<? super T, ? super U, ? extends R> fn) {
        Objects.requireNonNull(other, "other");
        Objects.requireNonNull(fn, "fn");
        return new AsyncFlow<>(Zip.zip(flow, other, fn));
    }

    /**
     * Combines the latest element of each flow whenever either emits (after both have emitted at
     * least once); ends when both have ended. kotlinx counterpart: {@code combine}.
     *
     * {@snippet :
     * AsyncFlow<String> status = temperature.combine(humidity, (t, h) -> t + "°C, " + h + "%");
     * }
     *
     * @param other the other flow
     * @param fn combines the latest pair; must not return null
     * @param <U> the other flow's element type
     * @param <R> the result type
     * @return the combined flow
     */
    public <U, R> AsyncFlow<R> combine(
            Flow<? extends U> other, ThrowingBiFunction<? super T, ? super U, ? extends R> fn) {
        Objects.requireNonNull(other, "other");
        Objects.requireNonNull(fn, "fn");
        return new AsyncFlow<>(Zip.combine(flow, other, fn));
    }

    /**
     * Like {@link #zip(Flow, ThrowingBiFunction)}, over three flows: elements are combined by
     * position; the flow ends when the shortest does. kotlinx counterpart: two {@code zip}s;
     * Reactor {@code Flux.zip(a, b, c)}.
     *
     * {@snippet :
     * names.zip(ages, cities, Person::new).toList();
     * }
     *
     * @param second the second flow
     * @param third the third flow
     * @param fn combines one element of each; must not return null; may wait
     * @param <U> the second element type
     * @param <V> the third element type
     * @param <R> the result type
     * @return the zipped flow
     */
    public <U, V, R> AsyncFlow<R> zip(
            Flow<? extends U> second,
            Flow<? extends V> third,
            dev.coflow.function.ThrowingTriFunction<? super T, ? super U, ? super V, ? extends R> fn) {
        Objects.requireNonNull(second, "second");
        Objects.requireNonNull(third, "third");
        Objects.requireNonNull(fn, "fn");
        return new AsyncFlow<>(Zip.zip(flow, second, third, fn));
    }

    /**
     * Like {@link #combine(Flow, ThrowingBiFunction)}, over three flows: once each has emitted,
     * every new element of any of them is combined with the latest of the others. kotlinx
     * counterpart: {@code combine(a, b, c, transform)}.
     *
     * {@snippet :
     * price.combine(quantity, discount, (p, q, d) -> p * q - d).forEach(total::set);
     * }
     *
     * @param second the second flow
     * @param third the third flow
     * @param fn combines the latest of each; must not return null; may wait
     * @param <U> the second element type
     * @param <V> the third element type
     * @param <R> the result type
     * @return the combined flow
     */
    public <U, V, R> AsyncFlow<R> combine(
            Flow<? extends U> second,
            Flow<? extends V> third,
            dev.coflow.function.ThrowingTriFunction<? super T, ? super U, ? super V, ? extends R> fn) {
        Objects.requireNonNull(second, "second");
        Objects.requireNonNull(third, "third");
        Objects.requireNonNull(fn, "fn");
        return new AsyncFlow<>(Zip.combine(flow, second, third, fn));
    }

    /**
     * The latest element of every flow, as a read-only list in the order of {@code flows}, each
     * time any of them emits (once all have emitted at least once). An empty list of flows gives
     * an empty flow. kotlinx counterpart: {@code combine(flows) { it.toList() }}; Reactor
     * {@code Flux.combineLatest(sources, combiner)}.
     *
     * {@snippet :
     * AsyncFlow.combine(List.of(cpu, memory, disk)).map(Dashboard::render).forEach(screen::show);
     * }
     *
     * @param flows the flows, none null
     * @param <T> the element type
     * @return the flow of latest-value lists
     */
    public static <T> AsyncFlow<List<T>> combine(List<? extends Flow<? extends T>> flows) {
        Objects.requireNonNull(flows, "flows");
        List<Flow<? extends T>> copy = Checks.flows(flows);
        return new AsyncFlow<>(Zip.combineAll(copy));
    }

    /**
     * Transforms elements with a blocking function, up to {@code concurrency} at once, and emits
     * the results <b>in upstream order</b>. Each call of {@code fn} runs on its own virtual thread:
     * it may do blocking I/O (JDBC, {@code HttpClient.send}, file reads) and call
     * {@code Suspend.*}; cancellation reaches it at its next suspend-like call.
     *
     * <p>Guarantees:
     * <ul>
     * <li><b>Bounded.</b> At most {@code concurrency} calls of {@code fn} run at once, and at most
     * {@code concurrency} results are started but not yet handed downstream: a slow element
     * holds back later finished ones, it never makes memory grow.</li>
     * <li><b>Ordered.</b> Results come out in the order of their elements, whatever order the
     * calls finish in (use {@link #mapAsyncUnordered} to get them as they finish).</li>
     * <li><b>Fail fast.</b> The first failing call fails the flow with its exception; the calls
     * still running are cancelled and their {@code finally} blocks run before the terminal
     * returns.</li>
     * <li><b>Cancellable.</b> Early exit downstream ({@code take}, {@code first}, a failing
     * consumer) cancels the running calls and the upstream.</li>
     * </ul>
     * kotlinx has no such operator; in Kotlin one writes
     * {@code flatMapMerge(n) { flow { emit(f(it)) } }} (which loses the order) or a hand-made
     * {@code channelFlow} of {@code async}s. Reactor: {@code flatMapSequential(fn, n)}; Akka
     * Streams: {@code mapAsync(n)}.
     *
     * {@snippet :
     * List<Profile> profiles = userIds
     *         .mapAsync(8, id -> httpClient.send(profileRequest(id), ofString()))   // 8 requests in flight
     *         .map(response -> parse(response.body()))
     *         .toList();                                                          // same order as userIds
     * }
     *
     * @param concurrency how many calls may run at once, {@code >= 1} ({@code 1} is a sequential
     *     map that runs one element ahead of the downstream)
     * @param fn the transformation; may block; must not return null
     * @param <R> the result type
     * @return the transformed flow
     * @throws IllegalArgumentException if {@code concurrency < 1}
     */
    public <R> AsyncFlow<R> mapAsync(int concurrency, ThrowingFunction<? super T, ? extends R> fn) {
        Objects.requireNonNull(fn, "fn");
        Checks.concurrency("mapAsync", concurrency);
        return new AsyncFlow<>(MapAsync.ordered("mapAsync", flow, concurrency, MapAsync.blocking(fn)));
    }

    /**
     * Like {@link #mapAsync}, for an asynchronous function that returns a {@link CompletionStage}
     * (an HTTP client's {@code sendAsync}, a reactive driver): no thread is held while waiting.
     * {@code fn} itself is called in the collecting coroutine and should return promptly.
     * Cancellation cancels a pending {@link CompletableFuture}. Results in upstream order.
     *
     * {@snippet :
     * AsyncFlow<HttpResponse<String>> responses =
     *         requests.mapAsyncStage(8, req -> httpClient.sendAsync(req, ofString()));
     * }
     *
     * @param concurrency how many stages may be pending at once, {@code >= 1}
     * @param fn starts the operation for an element; must not return null nor complete with null
     * @param <R> the result type
     * @return the transformed flow
     * @throws IllegalArgumentException if {@code concurrency < 1}
     */
    public <R> AsyncFlow<R> mapAsyncStage(
            int concurrency, ThrowingFunction<? super T, ? extends CompletionStage<? extends R>> fn) {
        Objects.requireNonNull(fn, "fn");
        Checks.concurrency("mapAsyncStage", concurrency);
        return new AsyncFlow<>(
                MapAsync.ordered("mapAsyncStage", flow, concurrency, MapAsync.staged("mapAsyncStage", fn)));
    }

    /**
     * Like {@link #mapAsync}, but emits each result as soon as it is ready, so a slow element
     * does not hold back the others. At most {@code concurrency} calls run at once.
     * kotlinx counterpart: {@code flatMapMerge(concurrency) { flow { emit(fn(it)) } }}.
     *
     * {@snippet :
     * AsyncFlow<Thumbnail> thumbs = images.mapAsyncUnordered(4, img -> resize(img));
     * }
     *
     * @param concurrency how many calls may run at once, {@code >= 1}
     * @param fn the transformation; may block; must not return null
     * @param <R> the result type
     * @return the transformed flow, in completion order
     * @throws IllegalArgumentException if {@code concurrency < 1}
     */
    public <R> AsyncFlow<R> mapAsyncUnordered(int concurrency, ThrowingFunction<? super T, ? extends R> fn) {
        Objects.requireNonNull(fn, "fn");
        Checks.concurrency("mapAsyncUnordered", concurrency);
        return new AsyncFlow<>(MapAsync.unordered("mapAsyncUnordered", flow, concurrency, MapAsync.blocking(fn)));
    }

    /**
     * Like {@link #mapAsyncStage}, but emits each result as soon as its stage completes.
     *
     * {@snippet :
     * AsyncFlow<HttpResponse<String>> fastestFirst =
     *         requests.mapAsyncStageUnordered(8, req -> httpClient.sendAsync(req, ofString()));
     * }
     *
     * @param concurrency how many stages may be pending at once, {@code >= 1}
     * @param fn starts the operation for an element; must not return null nor complete with null
     * @param <R> the result type
     * @return the transformed flow, in completion order
     * @throws IllegalArgumentException if {@code concurrency < 1}
     */
    public <R> AsyncFlow<R> mapAsyncStageUnordered(
            int concurrency, ThrowingFunction<? super T, ? extends CompletionStage<? extends R>> fn) {
        Objects.requireNonNull(fn, "fn");
        Checks.concurrency("mapAsyncStageUnordered", concurrency);
        return new AsyncFlow<>(MapAsync.unordered(
                "mapAsyncStageUnordered", flow, concurrency, MapAsync.staged("mapAsyncStageUnordered", fn)));
    }

    // endregion
    // region errors -------------------------------------------------------------------------------
    // (catchError, onErrorReturn, onErrorResume: see Errors.java; retry, retryWhen: see Retry.java)

    /**
     * Marks a stage of a pipeline: a failure from upstream of here passes on as it is, with an
     * {@link AsyncFlowCheckpoint} naming {@code description} among its suppressed exceptions, so
     * the stack trace of an asynchronous failure says where in which pipeline it came from.
     * Downstream failures and cancellation pass untouched. kotlinx counterpart: none; Reactor
     * {@code checkpoint(description)}.
     *
     * {@snippet :
     * rows.map(this::parse).checkpoint("orders import: parse").mapAsync(8, this::store).toList();
     * // a parse failure shows "Suppressed: dev.coflow.AsyncFlowCheckpoint: checkpoint: orders import: parse"
     * }
     *
     * @param description names the stage, not null
     * @return the same flow
     */
    public AsyncFlow<T> checkpoint(String description) {
        Objects.requireNonNull(description, "description");
        return new AsyncFlow<>(Errors.checkpoint(flow, description));
    }

    /**
     * Handles a failure of the upstream: {@code handler} gets the cause (checked exceptions
     * unwrapped) and may emit fallback elements, wait, or rethrow. Failures thrown downstream of
     * this operator are never caught (exception transparency), and a
     * {@link java.util.concurrent.CancellationException} is never handed to the handler. The
     * handler runs as a generator body. kotlinx counterpart: {@code catch}.
     *
     * {@snippet :
     * readings.catchError((cause, out) -> {
     *     log.warn("sensor failed", cause);
     *     out.emit(Reading.MISSING);
     * });
     * }
     *
     * @param handler receives the upstream failure and an emitter valid during the call
     * @return a flow that completes normally unless the handler throws
     */
    public AsyncFlow<T> catchError(ThrowingBiConsumer<? super Throwable, Emitter<T>> handler) {
        Objects.requireNonNull(handler, "handler");
        return new AsyncFlow<>(Errors.catchError(flow, handler));
    }

    /**
     * After an upstream failure, emits {@code value} and completes. kotlinx counterpart:
     * {@code catch { emit(value) }}.
     *
     * {@snippet :
     * prices.map(Price::amount).onErrorReturn(0.0);
     * }
     *
     * @param value the fallback element, not null
     * @return a flow that ends with {@code value} instead of a failure
     */
    public AsyncFlow<T> onErrorReturn(T value) {
        Objects.requireNonNull(value, "value");
        return new AsyncFlow<>(Errors.onErrorReturn(flow, value));
    }

    /**
     * After an upstream failure, continues with the flow {@code fn} returns for the cause.
     * kotlinx counterpart: {@code catch { emitAll(fallback(it)) }}.
     *
     * {@snippet :
     * fromPrimary().onErrorResume(cause -> fromReplica());
     * }
     *
     * @param fn builds the fallback flow; must not return null
     * @return a flow that switches to the fallback on failure
     */
    public AsyncFlow<T> onErrorResume(ThrowingFunction<? super Throwable, ? extends Flow<? extends T>> fn) {
        Objects.requireNonNull(fn, "fn");
        return new AsyncFlow<>(Errors.onErrorResume(flow, fn));
    }

    /**
     * Collects the upstream again after a failure, up to {@code retries} times; elements already
     * emitted are not taken back. {@link java.util.concurrent.CancellationException} is never
     * retried. kotlinx counterpart: {@code retry(retries)}.
     *
     * {@snippet :
     * flakySensor.retry(3).toList();
     * }
     *
     * @param retries how many re-collections, {@code >= 0}
     * @return a flow that retries
     */
    public AsyncFlow<T> retry(long retries) {
        if (retries < 0) {
            throw new IllegalArgumentException("retry: retries must be >= 0, was " + retries);
        }
        return new AsyncFlow<>(Retry.retry(flow, retries));
    }

    /**
     * Retries up to {@code retries} times the failures {@code predicate} accepts. The predicate
     * gets checked exceptions unwrapped and may wait ({@code Suspend.delay}). kotlinx counterpart:
     * {@code retry(retries, predicate)}.
     *
     * {@snippet :
     * source.retry(3, cause -> cause instanceof IOException);
     * }
     *
     * @param retries how many re-collections, {@code >= 0}
     * @param predicate whether to retry a failure
     * @return a flow that retries
     */
    public AsyncFlow<T> retry(long retries, ThrowingPredicate<? super Throwable> predicate) {
        Objects.requireNonNull(predicate, "predicate");
        if (retries < 0) {
            throw new IllegalArgumentException("retry: retries must be >= 0, was " + retries);
        }
        return new AsyncFlow<>(Retry.retry(flow, retries, predicate));
    }

    /**
     * Retries while {@code predicate} says so; it gets the cause (checked exceptions unwrapped)
     * and the attempt number (0 for the first failure), and may wait on the coroutine clock with
     * {@code Suspend.delay} before answering. kotlinx counterpart: {@code retryWhen}.
     *
     * {@snippet :
     * source.retryWhen((cause, attempt) -> {
     *     Suspend.delay(1_000L << attempt);
     *     return attempt < 4;
     * });
     * }
     *
     * @param predicate whether to retry
     * @return a flow that retries
     */
    public AsyncFlow<T> retryWhen(ThrowingBiPredicate<? super Throwable, ? super Long> predicate) {
        Objects.requireNonNull(predicate, "predicate");
        return new AsyncFlow<>(Retry.retryWhen(flow, predicate));
    }

    /**
     * Retries with the waits, attempt limit and failure filter of a {@link Backoff} policy; the
     * waits use the coroutine clock (virtual time under a test dispatcher). kotlinx counterpart:
     * {@code retryWhen { cause, attempt -> delay(...); ... }}.
     *
     * {@snippet :
     * fetchRows().retry(Backoff.exponential(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30), 3));
     * }
     *
     * @param backoff the policy
     * @return a flow that retries
     */
    public AsyncFlow<T> retry(Backoff backoff) {
        Objects.requireNonNull(backoff, "backoff");
        return new AsyncFlow<>(Retry.retry(flow, backoff));
    }

    // endregion
    // region delay --------------------------------------------------------------------------------
    // (timeout, timeoutEach: see Timeout.java; debounce, sample: see Delay.java)

    /**
     * Fails with {@link AsyncFlowTimeoutException} if the whole collection (upstream and the
     * downstream's work on its elements, which run interleaved) takes longer than {@code limit};
     * the upstream is cancelled first. Measured on the coroutine clock. kotlinx counterpart:
     * {@code withTimeout(limit) { flow.collect { } }}.
     *
     * {@snippet :
     * report.timeout(Duration.ofSeconds(30)).toList();
     * }
     *
     * @param limit positive
     * @return a flow with a deadline
     */
    public AsyncFlow<T> timeout(java.time.Duration limit) {
        Checks.timeoutLimit("timeout", limit);
        return new AsyncFlow<>(new Timeout<>(flow, limit, false));
    }

    /**
     * Fails with {@link AsyncFlowTimeoutException} if the upstream takes longer than {@code limit}
     * to produce an element, counted from the start of the collection and from the moment the
     * downstream finished with the previous element (the downstream's own time does not count).
     * kotlinx counterpart: {@code timeout(limit)}.
     *
     * {@snippet :
     * ticker.timeoutEach(Duration.ofSeconds(5)).forEach(this::show);
     * }
     *
     * @param limit positive
     * @return a flow with a per-element deadline
     */
    public AsyncFlow<T> timeoutEach(java.time.Duration limit) {
        Checks.timeoutLimit("timeoutEach", limit);
        return new AsyncFlow<>(new Timeout<>(flow, limit, true));
    }

    /**
     * Emits an element only after {@code timeout} has passed without a newer one; the last element
     * is always emitted. Waits on the collector's clock (virtual under test). kotlinx counterpart:
     * {@code debounce(timeout)}.
     *
     * {@snippet :
     * keystrokes.debounce(Duration.ofMillis(300)).forEach(this::search);
     * }
     *
     * @param timeout the quiet period, not negative (zero returns this flow); fractions of a
     *     millisecond round up
     * @return the debounced flow
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public AsyncFlow<T> debounce(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("debounce: timeout must not be negative, was " + timeout);
        }
        return timeout.isZero() ? this : new AsyncFlow<>(Delay.debounce(flow, Delay.ceilMillis(timeout)));
    }

    /**
     * Emits the most recent element once per {@code period}, if there was a new one; the last
     * element may be lost when the flow ends within a period. kotlinx counterpart:
     * {@code sample(period)}.
     *
     * {@snippet :
     * sensorReadings.sample(Duration.ofSeconds(1)).forEach(dashboard::show);
     * }
     *
     * @param period the sampling period, positive; fractions of a millisecond round up
     * @return the sampled flow
     * @throws IllegalArgumentException if {@code period} is zero or negative
     */
    public AsyncFlow<T> sample(Duration period) {
        Objects.requireNonNull(period, "period");
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("sample: period must be positive, was " + period);
        }
        return new AsyncFlow<>(Delay.sample(flow, Delay.ceilMillis(period)));
    }

    /**
     * Waits {@code delay} before passing each element on (the upstream is held back meanwhile).
     * Waits on the coroutine clock. kotlinx counterpart: {@code onEach { delay(delay) }}; Reactor
     * {@code delayElements}.
     *
     * {@snippet :
     * AsyncFlow.of(1, 2, 3).delayEach(Duration.ofMillis(100)).toList();  // [1, 2, 3] after 300 ms
     * }
     *
     * @param delay the wait before each element, not negative (zero returns this flow)
     * @return the delayed flow
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    public AsyncFlow<T> delayEach(Duration delay) {
        long millis = Checks.nonNegativeMillis("delayEach", "delay", delay);
        return millis == 0 ? this : new AsyncFlow<>(Delay.delayEach(flow, millis));
    }

    /**
     * Passes an element on only if {@code window} has passed since the last element that was
     * passed on; the others are dropped. The first element always passes, at once. Measured on
     * the coroutine clock. kotlinx counterpart: none (kotlinx.coroutines#1446); Reactor: none
     * built in, RxJava {@code throttleFirst}.
     *
     * {@snippet :
     * clicks.throttleFirst(Duration.ofMillis(500)).forEach(this::submit);  // no double submits
     * }
     *
     * @param window how long after a passed element the next ones are dropped, positive
     * @return the throttled flow
     * @throws IllegalArgumentException if {@code window} is not positive
     */
    public AsyncFlow<T> throttleFirst(Duration window) {
        long millis = Checks.positiveMillis("throttleFirst", "window", window);
        return new AsyncFlow<>(Delay.throttleFirst(flow, millis));
    }

    /**
     * Passes on at most one element per {@code window}, the latest: the first element passes at
     * once and opens a window; when a window closes, the latest element that arrived during it
     * passes and opens the next window. Elements superseded within a window are dropped; an
     * element still held when the upstream completes or fails passes at once. Measured on the
     * coroutine clock; the upstream runs in its own coroutine. kotlinx counterpart: none
     * (kotlinx.coroutines#1927); RxJava {@code throttleLatest(window, unit, true)}.
     *
     * {@snippet :
     * searchBox.throttleLatest(Duration.ofMillis(250)).forEach(this::suggest);
     * }
     *
     * @param window the least time between two passed elements, positive
     * @return the throttled flow
     * @throws IllegalArgumentException if {@code window} is not positive
     */
    public AsyncFlow<T> throttleLatest(Duration window) {
        long millis = Checks.positiveMillis("throttleLatest", "window", window);
        return new AsyncFlow<>(Delay.throttleLatest(flow, millis));
    }

    /**
     * Holds elements back so that at most {@code permits} pass in any window of {@code per}:
     * nothing is dropped, the upstream waits instead (a slow consumer counts against the rate too,
     * an element never passes early to catch up). Measured on the coroutine clock. kotlinx
     * counterpart: none; Pekko {@code throttle(permits, per)}, Resilience4j's {@code RateLimiter}.
     *
     * {@snippet :
     * requests.rateLimit(10, Duration.ofSeconds(1)).mapAsync(4, api::call).forEach(this::store);
     * }
     *
     * @param permits the most elements per window, {@code >= 1}
     * @param per the window, positive
     * @return the rate-limited flow
     * @throws IllegalArgumentException if {@code permits < 1} or {@code per} is not positive
     */
    public AsyncFlow<T> rateLimit(int permits, Duration per) {
        Checks.atLeastOne("rateLimit", "permits", permits);
        long millis = Checks.positiveMillis("rateLimit", "per", per);
        return new AsyncFlow<>(Delay.rateLimit(flow, permits, millis));
    }

    // endregion
    // region context ------------------------------------------------------------------------------
    // (buffer, conflate, flowOn: see Context.java; cancellable)

    /**
     * Runs the upstream concurrently in its own coroutine, up to kotlinx's default capacity (64)
     * ahead. kotlinx counterpart: {@code buffer()}.
     *
     * <p>When a blocking coflow terminal collects the flow, the calling thread runs the consumer,
     * so the upstream of every {@code buffer}/{@code conflate} runs on {@code Dispatchers.Default}
     * (its generator bodies on virtual threads): a producer and a consumer that both block
     * overlap. Under a Kotlin collector or a test dispatcher the upstream stays in the
     * collector's context, as in kotlinx.
     *
     * @return the buffered flow
     */
    public AsyncFlow<T> buffer() {
        return new AsyncFlow<>(
                Context.buffer(flow, kotlinx.coroutines.channels.Channel.BUFFERED, BufferOverflow.SUSPEND),
                Fused.buffered(fused, CallerBuffer.defaultCapacity()));
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
        Fused<T> ring = overflow == BufferOverflow.SUSPEND && capacity >= 1 && capacity < Integer.MAX_VALUE
                ? Fused.buffered(fused, capacity)
                : null;
        return new AsyncFlow<>(Context.buffer(flow, capacity, overflow), ring);
    }

    /**
     * Keeps only the latest element while the collector is busy. kotlinx counterpart: {@code conflate}.
     *
     * @return the conflated flow
     */
    public AsyncFlow<T> conflate() {
        return new AsyncFlow<>(Context.conflate(flow));
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
        return new AsyncFlow<>(Context.flowOn(flow, context));
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
    // region share --------------------------------------------------------------------------------
    // (stateIn, shareIn: hot flows owned by a Java scope)

    /**
     * Runs this flow in {@code scope} and keeps its latest element as a hot state flow that any
     * number of subscribers read; {@code initial} is the value until the first element arrives.
     * The upstream runs once, however many subscribers there are, when {@code started} says so, and
     * is cancelled with the scope (see {@link FlowScope}). kotlinx counterpart:
     * {@code stateIn(scope, started, initialValue)}.
     *
     * {@snippet :
     * try (FlowScope scope = FlowScope.create()) {
     *     AsyncStateFlow<Double> price = ticker("EUR")
     *             .stateIn(scope, SharingStarted.whileSubscribed(Duration.ofSeconds(5)), 0.0);
     *     price.asFlow().take(3).forEach(System.out::println);
     * }
     * }
     *
     * @param scope where the sharing coroutine runs: a {@link FlowScope} or any kotlinx scope
     * @param started when to start and stop the upstream
     * @param initial the value before the first element, not null
     * @return a read-only state flow
     */
    public AsyncStateFlow<T> stateIn(kotlinx.coroutines.CoroutineScope scope, SharingStarted started, T initial) {
        return Share.stateIn(flow, scope, started, initial);
    }

    /**
     * Like {@link #stateIn(kotlinx.coroutines.CoroutineScope, SharingStarted, Object)}, with the
     * sharing coroutine a child of a bridge {@link dev.coflow.bridge.TaskScope}: the body that owns
     * the scope does not finish until the sharing is cancelled (structured concurrency), so this
     * suits flows that live exactly as long as that body.
     *
     * {@snippet :
     * Coroutines.run(scope -> {
     *     AsyncStateFlow<Integer> load = loadSamples().stateIn(scope, SharingStarted.EAGERLY, 0);
     *     ...
     *     scope.cancel();
     *     return null;
     * });
     * }
     *
     * @param scope the bridge scope
     * @param started when to start and stop the upstream
     * @param initial the value before the first element, not null
     * @return a read-only state flow
     */
    public AsyncStateFlow<T> stateIn(dev.coflow.bridge.TaskScope scope, SharingStarted started, T initial) {
        Objects.requireNonNull(scope, "scope");
        return stateIn(scope.asKotlin(), started, initial);
    }

    /**
     * Runs this flow in {@code scope} and multicasts its elements to every subscriber, replaying
     * the last {@code replay} to new ones. The upstream runs once, when {@code started} says so, and
     * is cancelled with the scope. A completed upstream leaves the shared flow open (subscribers
     * wait for more); a failed upstream fails the sharing coroutine (the scope's handler sees it).
     * kotlinx counterpart: {@code shareIn(scope, started, replay)}.
     *
     * {@snippet :
     * AsyncSharedFlow<Trade> trades = exchangeFeed().shareIn(scope, SharingStarted.LAZILY, 0);
     * }
     *
     * @param scope where the sharing coroutine runs: a {@link FlowScope} or any kotlinx scope
     * @param started when to start and stop the upstream
     * @param replay how many elements a new subscriber receives first, {@code >= 0}
     * @return a read-only shared flow
     * @throws IllegalArgumentException if {@code replay} is negative
     */
    public AsyncSharedFlow<T> shareIn(kotlinx.coroutines.CoroutineScope scope, SharingStarted started, int replay) {
        return Share.shareIn(flow, scope, started, replay);
    }

    /**
     * Like {@link #shareIn(kotlinx.coroutines.CoroutineScope, SharingStarted, int)}, with the
     * sharing coroutine a child of a bridge {@link dev.coflow.bridge.TaskScope} (see
     * {@link #stateIn(dev.coflow.bridge.TaskScope, SharingStarted, Object)}).
     *
     * @param scope the bridge scope
     * @param started when to start and stop the upstream
     * @param replay how many elements a new subscriber receives first, {@code >= 0}
     * @return a read-only shared flow
     */
    public AsyncSharedFlow<T> shareIn(dev.coflow.bridge.TaskScope scope, SharingStarted started, int replay) {
        Objects.requireNonNull(scope, "scope");
        return shareIn(scope.asKotlin(), started, replay);
    }

    // endregion
    // region collect ------------------------------------------------------------------------------
    // (blocking terminals, see Collect.java and Reduce.java, run as a plain loop by Fused.java where they can;
    // then async terminals; then iterator and stream, see FlowIterator.java)

    /**
     * Collects every element into a list. Blocks (or suspends inside a coroutine body).
     * kotlinx counterpart: {@code toList()}. Python: {@code [x async for x in flow]}.
     *
     * @return the elements, in order
     */
    public List<T> toList() {
        Fused<T> f = Fused.forBlocking(fused);
        if (f != null) {
            return f.toList();
        }
        return Collect.block(c -> FlowKt.toList(flow, new ArrayList<>(), c));
    }

    /**
     * Collects every element into an insertion-ordered set. kotlinx counterpart: {@code toSet()}.
     *
     * @return the distinct elements, in first-seen order
     */
    public Set<T> toSet() {
        Fused<T> f = Fused.forBlocking(fused);
        if (f != null) {
            return f.toSet();
        }
        return Collect.block(c -> FlowKt.toSet(flow, new LinkedHashSet<>(), c));
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
        Fused<T> f = Fused.forBlocking(fused);
        if (f != null) {
            f.forEach(v -> acc.accept(container, v));
        } else {
            Collect.block(c -> flow.collect(Lambdas.<T>collector(v -> acc.accept(container, v)), c));
        }
        return collector.finisher().apply(container);
    }

    /**
     * Runs {@code action} for each element, in order. kotlinx counterpart: {@code collect { }}.
     *
     * @param action the action
     */
    public void forEach(ThrowingConsumer<? super T> action) {
        Objects.requireNonNull(action, "action");
        Fused<T> f = Fused.forBlocking(fused);
        if (f != null) {
            f.forEach(action);
            return;
        }
        Collect.block(c -> flow.collect(Lambdas.<T>collector(action), c));
    }

    /**
     * The first element, if any; the rest of the flow is cancelled. kotlinx counterpart:
     * {@code firstOrNull()}.
     *
     * @return the first element, or empty
     */
    public Optional<T> first() {
        Fused<T> f = Fused.forBlocking(fused);
        if (f != null) {
            return f.first();
        }
        T v = Collect.block(c -> FlowKt.firstOrNull(flow, c));
        return Optional.ofNullable(v);
    }

    /**
     * Counts the elements. kotlinx counterpart: {@code count()}.
     *
     * @return the number of elements
     */
    public long count() {
        Fused<T> f = Fused.forBlocking(fused);
        if (f != null) {
            return f.count();
        }
        long[] n = new long[1];
        Collect.block(c -> flow.collect(Lambdas.<T>collector(v -> n[0]++), c));
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
    public <K, V> Map<K, V> toMap(
            ThrowingFunction<? super T, ? extends K> keyFn, ThrowingFunction<? super T, ? extends V> valueFn) {
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
    public <K, V> Map<K, V> toMap(
            ThrowingFunction<? super T, ? extends K> keyFn,
            ThrowingFunction<? super T, ? extends V> valueFn,
            ThrowingBiFunction<? super V, ? super V, ? extends V> mergeFn) {
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
        Fused<T> f = Fused.forBlocking(fused);
        return f != null ? f.single() : Reduce.single(flow);
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
        Fused<T> f = Fused.forBlocking(fused);
        return f != null ? f.reduce(fn) : Reduce.reduce(flow, fn);
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
        Fused<T> f = Fused.forBlocking(fused);
        return f != null ? f.fold(initial, fn) : Reduce.fold(flow, initial, fn);
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
        Fused<T> f = Fused.forBlocking(fused);
        return f != null ? f.any(predicate) : Reduce.any(flow, predicate);
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
        ThrowingPredicate<T> mismatch = v -> !predicate.test(v);
        Fused<T> f = Fused.forBlocking(fused);
        return !(f != null ? f.any(mismatch) : Reduce.any(flow, mismatch));
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
        Fused<T> f = Fused.forBlocking(fused);
        return !(f != null ? f.any(predicate) : Reduce.any(flow, predicate));
    }

    /**
     * Collects into a list asynchronously; cancelling the future cancels the collection.
     *
     * @return a future of the elements
     */
    public CompletableFuture<List<T>> toListAsync() {
        return Collect.async(c -> FlowKt.toList(flow, new ArrayList<>(), c));
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
        return Collect.async(
                c -> flow.collect(Lambdas.<T>collector(v -> acc.accept(container, v)), c),
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
        return Collect.async(c -> flow.collect(Lambdas.<T>collector(action), c), ignored -> null);
    }

    /**
     * The first element, if any, as a future; the rest of the flow is cancelled, and cancelling
     * the future cancels the collection. Does not block. kotlinx counterpart: {@code firstOrNull()}
     * in {@code future { }}.
     *
     * {@snippet :
     * CompletableFuture<Optional<Quote>> q = quotes(symbol).firstAsync();
     * }
     *
     * @return a future of the first element, or empty
     */
    public CompletableFuture<Optional<T>> firstAsync() {
        return Collect.<T, Optional<T>>async(c -> FlowKt.firstOrNull(flow, c), Optional::ofNullable);
    }

    /**
     * Pulls the elements one by one on the calling thread. Must be closed (try-with-resources):
     * closing before the end cancels the producer, whose {@code finally} blocks have run when
     * {@code close()} returns. {@code hasNext()} blocks (or suspends inside a coroutine body);
     * interrupting a thread blocked in it cancels the producer and throws
     * {@link java.util.concurrent.CancellationException} with the interrupt flag set. The producer
     * is lazy like an async generator: it runs up to its next element only when {@code hasNext()}
     * asks for it, so a loop that stops early leaves no element produced in vain (prefetch with
     * {@link #buffer}). Failures of the
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

    // endregion
    // region publishers ---------------------------------------------------------------------------
    // (fromPublisher, toPublisher: Reactive Streams interop, see Publishers.java)

    /**
     * Wraps a {@link java.util.concurrent.Flow.Publisher}: collecting the flow subscribes, requests
     * elements as the collector takes them (64 up front, then 32 each time 32 were taken; a
     * directly following {@link #buffer(int)} sets the batch), and an early end of the collection
     * ({@code take}, a failure downstream, cancellation) cancels the subscription. coflow's
     * subscriber passes the Reactive Streams TCK's subscriber verifications; the rules and the
     * demand model are in {@code docs/reactive-streams.md}. kotlinx counterpart:
     * {@code Publisher.asFlow()} (kotlinx-coroutines-jdk9).
     *
     * {@snippet :
     * HttpResponse<Flow.Publisher<List<ByteBuffer>>> r = client.send(req, BodyHandlers.ofPublisher());
     * long bytes = AsyncFlow.fromPublisher(r.body()).map(Buffers::size).fold(0L, Long::sum);
     * }
     *
     * @param publisher the publisher, subscribed once per collection
     * @param <T> the element type
     * @return a cold flow
     */
    public static <T> AsyncFlow<T> fromPublisher(java.util.concurrent.Flow.Publisher<? extends T> publisher) {
        Objects.requireNonNull(publisher, "publisher");
        return new AsyncFlow<>(Publishers.asFlow(publisher));
    }

    /**
     * This flow as a {@link java.util.concurrent.Flow.Publisher} that passes every rule of the
     * Reactive Streams TCK: each subscriber starts its own collection when its {@code onSubscribe}
     * has returned, and the collection runs only as far as requested ({@code emit} returns once
     * its element was delivered and waits while there is no demand, so a generator never runs
     * ahead of demand beyond what a {@code buffer} in the flow asks for); the end of the flow is
     * signalled at once, without further demand; {@code request(n <= 0)} signals
     * {@code IllegalArgumentException}; {@code Subscription.cancel()} cancels the collection (a
     * generator's {@code finally} blocks run). The collection runs in
     * {@code Dispatchers.Unconfined}: on the subscribing thread up to its first wait for demand,
     * then on the thread that requests. See {@code docs/reactive-streams.md}. kotlinx counterpart:
     * {@code Flow.asPublisher()}, which differs in that it holds back {@code onComplete} after
     * exactly the requested elements and ignores {@code request(0)}.
     *
     * {@snippet :
     * Flow.Publisher<Event> events = AsyncFlow.generate(this::poll).toPublisher();
     * }
     *
     * @return a publisher of this flow's elements
     */
    public java.util.concurrent.Flow.Publisher<T> toPublisher() {
        return toPublisher(kotlinx.coroutines.Dispatchers.getUnconfined());
    }

    /**
     * Like {@link #toPublisher()}, collecting in the given context (a dispatcher, a name).
     * kotlinx counterpart: {@code Flow.asPublisher(context)}.
     *
     * @param context where each subscriber's collection runs; must not contain a {@code Job}
     * @return a publisher of this flow's elements
     */
    public java.util.concurrent.Flow.Publisher<T> toPublisher(CoroutineContext context) {
        Objects.requireNonNull(context, "context");
        if (context.get(kotlinx.coroutines.Job.Key) != null) {
            throw new IllegalArgumentException("toPublisher: context must not contain a Job; each subscriber's "
                    + "collection is cancelled through its Subscription");
        }
        return Publishers.asPublisher(flow, context);
    }

    /**
     * Wraps an {@code org.reactivestreams.Publisher} (a Reactor {@code Flux} or {@code Mono}, an
     * RxJava {@code Flowable}, an R2DBC result, a WebFlux body): the same as
     * {@link #fromPublisher(java.util.concurrent.Flow.Publisher)} for the other interface, with the
     * same subscriber (Reactive Streams TCK-verified, see {@code docs/reactive-streams.md}).
     * kotlinx counterpart: {@code Publisher.asFlow()} (kotlinx-coroutines-reactive).
     *
     * {@snippet :
     * Flux<Row> rows = Flux.from(connection.createStatement("SELECT ...").execute()).flatMap(this::rows);
     * List<Row> firstTen = AsyncFlow.fromReactiveStreams(rows).take(10).toList(); // cancels the Flux after 10
     * }
     *
     * @param publisher the publisher, subscribed once per collection
     * @param <T> the element type
     * @return a cold flow
     */
    public static <T> AsyncFlow<T> fromReactiveStreams(org.reactivestreams.Publisher<? extends T> publisher) {
        Objects.requireNonNull(publisher, "publisher");
        return new AsyncFlow<>(Publishers.asFlow(publisher));
    }

    /**
     * This flow as an {@code org.reactivestreams.Publisher}, for Reactor, RxJava, R2DBC and
     * Spring WebFlux: the same publisher as {@link #toPublisher()} for the other interface
     * (Reactive Streams TCK-verified, see {@code docs/reactive-streams.md}). kotlinx counterpart:
     * {@code Flow.asPublisher()} (kotlinx-coroutines-reactive).
     *
     * {@snippet :
     * Flux<Event> events = Flux.from(AsyncFlow.generate(this::poll).toReactiveStreams());
     * }
     *
     * @return a publisher of this flow's elements
     */
    public org.reactivestreams.Publisher<T> toReactiveStreams() {
        return toReactiveStreams(kotlinx.coroutines.Dispatchers.getUnconfined());
    }

    /**
     * Like {@link #toReactiveStreams()}, collecting in the given context (a dispatcher, a name).
     * kotlinx counterpart: {@code Flow.asPublisher(context)} (kotlinx-coroutines-reactive).
     *
     * @param context where each subscriber's collection runs; must not contain a {@code Job}
     * @return a publisher of this flow's elements
     */
    public org.reactivestreams.Publisher<T> toReactiveStreams(CoroutineContext context) {
        Objects.requireNonNull(context, "context");
        if (context.get(kotlinx.coroutines.Job.Key) != null) {
            throw new IllegalArgumentException("toReactiveStreams: context must not contain a Job; each "
                    + "subscriber's collection is cancelled through its Subscription");
        }
        return Publishers.asReactiveStreams(flow, context);
    }

    // endregion

    @Override
    public String toString() {
        return "AsyncFlow[" + flow + "]";
    }
}
