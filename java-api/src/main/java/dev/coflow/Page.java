package dev.coflow;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a token- (cursor-) paginated API, for {@link AsyncFlow#paginateByToken}: the items
 * and the token that fetches the next page, or {@code null} on the last page.
 *
 * {@snippet :
 * AsyncFlow<Order> orders = AsyncFlow.paginateByToken(null, token -> {
 *     OrdersResponse r = api.listOrders(token);              // may block
 *     return new Page<>(r.orders(), r.nextPageToken());      // null token = last page
 * });
 * }
 *
 * @param items the page's elements, none null (an empty page with a next token is allowed)
 * @param next the token of the next page, or {@code null} (or empty) if this is the last one
 * @param <T> the element type
 */
public record Page<T>(List<T> items, String next) {
    /**
     * Creates a page; {@code items} is copied.
     *
     * @param items the elements, none null
     * @param next the next token or {@code null}
     */
    public Page {
        Objects.requireNonNull(items, "items");
        for (T item : items) {
            if (item == null) {
                throw Checks.nullElement("Page", "items contains null", "filter nulls out in the fetcher");
            }
        }
        items = List.copyOf(items);
    }

    /**
     * The last page: no next token.
     *
     * @param items the elements
     * @param <T> the element type
     * @return a page without a next token
     */
    public static <T> Page<T> last(List<T> items) {
        return new Page<>(items, null);
    }

    /**
     * The next token, if there is a next page.
     *
     * @return the token, or empty on the last page
     */
    public Optional<String> nextToken() {
        return hasNext() ? Optional.of(next) : Optional.empty();
    }

    /**
     * Whether another page follows.
     *
     * @return {@code true} if {@link #next} is neither {@code null} nor empty
     */
    public boolean hasNext() {
        return next != null && !next.isEmpty();
    }
}
