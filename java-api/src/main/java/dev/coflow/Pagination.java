package dev.coflow;

import dev.coflow.bridge.Coroutines;
import dev.coflow.bridge.Suspend;
import dev.coflow.function.ThrowingFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import kotlin.Unit;
import kotlin.coroutines.Continuation;
import kotlinx.coroutines.channels.BufferOverflow;
import kotlinx.coroutines.flow.AbstractFlow;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.FlowCollector;
import kotlinx.coroutines.flow.FlowKt;

/**
 * {@code paginate}, {@code paginateAsync}, {@code paginateByToken}: a flow of items read page by
 * page (kotlinx has no counterpart; Kotlin users write a {@code flow { }} loop).
 *
 * <p>Two layers: a flow of pages whose per-collection loop runs as one bridge body (so the fetch
 * may block or call {@code Suspend.*}), then a native flatten ({@code emitAll} of each page). Items
 * therefore cost no thread handoff each, only pages do. Prefetch puts a kotlinx buffer between the
 * two layers: with {@code n} pages of prefetch the fetch of page {@code k + n} overlaps the
 * consumer's work on page {@code k}.
 */
final class Pagination {
    private Pagination() {}

    /** The per-collection state of one pagination: the next page's items, or {@code null} to stop. */
    @FunctionalInterface
    interface Cursor<T> {
        List<? extends T> next() throws Exception;
    }

    static <T> Flow<T> byNumber(PageFetcher<? extends T> fetcher, int prefetchPages) {
        return flatten(
                new Pages<T>("paginate", () -> {
                    int[] page = {0};
                    return () -> {
                        List<? extends T> items = fetcher.fetch(page[0]++);
                        return items == null || items.isEmpty() ? null : items;
                    };
                }),
                prefetchPages);
    }

    static <T> Flow<T> byNumberAsync(IntFunction<? extends CompletionStage<? extends List<? extends T>>> fetcher) {
        return flatten(
                new Pages<T>("paginateAsync", () -> {
                    int[] page = {0};
                    return () -> {
                        int n = page[0]++;
                        CompletionStage<? extends List<? extends T>> stage = Objects.requireNonNull(
                                fetcher.apply(n),
                                () -> "paginateAsync: the fetcher returned null for page " + n
                                        + "; return a CompletionStage");
                        List<? extends T> items = Suspend.await(stage);
                        return items == null || items.isEmpty() ? null : items;
                    };
                }),
                0);
    }

    static <T> Flow<T> byToken(
            String initialToken,
            ThrowingFunction<? super String, ? extends Page<? extends T>> fetcher,
            int prefetchPages) {
        return flatten(
                new Pages<T>("paginateByToken", () -> {
                    String[] token = {initialToken};
                    boolean[] done = {false};
                    return () -> {
                        if (done[0]) {
                            return null;
                        }
                        Page<? extends T> page = Objects.requireNonNull(
                                fetcher.apply(token[0]),
                                () -> "paginateByToken: the fetcher returned null for token " + token[0]
                                        + "; return Page.last(items) for the last page");
                        done[0] = !page.hasNext();
                        token[0] = page.next();
                        return page.items();
                    };
                }),
                prefetchPages);
    }

    private static <T> Flow<T> flatten(Flow<List<T>> pages, int prefetchPages) {
        Flow<List<T>> source = prefetchPages == 0
                ? pages
                : FlowKt.buffer(pages, prefetchPages - 1, BufferOverflow.SUSPEND); // rendezvous = one page ahead
        return FlowKt.transform(
                source,
                (FlowCollector<? super T> collector, List<T> page, Continuation<? super Unit> c) ->
                        FlowKt.emitAll(collector, FlowKt.asFlow(page), c));
    }

    /** The pages of one pagination; the loop runs as a bridge body, one per collection. */
    private static final class Pages<T> extends AbstractFlow<List<T>> {
        private final String operator;
        /** A new cursor for each collection. */
        private final Supplier<Cursor<T>> cursors;

        Pages(String operator, Supplier<Cursor<T>> cursors) {
            this.operator = operator;
            this.cursors = cursors;
        }

        @Override
        public Object collectSafely(FlowCollector<? super List<T>> collector, Continuation<? super Unit> continuation) {
            Cursor<T> cursor = cursors.get();
            return Coroutines.runSuspending(
                    () -> {
                        List<? extends T> items;
                        while ((items = cursor.next()) != null) {
                            if (!items.isEmpty()) {
                                List<T> page = checked(items);
                                Suspend.call(c -> collector.emit(page, c));
                            }
                        }
                        return Unit.INSTANCE;
                    },
                    continuation);
        }

        /** A private copy (a fetcher may reuse its list while a prefetched page waits) without nulls. */
        private List<T> checked(List<? extends T> items) {
            List<T> copy = new ArrayList<>(items.size());
            for (T item : items) {
                if (item == null) {
                    throw Checks.nullElement(operator, "a page contains null", "filter nulls out in the fetcher");
                }
                copy.add(item);
            }
            return copy;
        }
    }
}
