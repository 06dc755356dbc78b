package dev.coflow;

import java.util.Objects;

/**
 * One group of {@link AsyncFlow#groupBy}: the key and the flow of the upstream's elements with that
 * key, in upstream order. The flow can be collected once; collect it promptly (concurrently with
 * the other groups, as {@code flatMapMerge} does), since the upstream waits while a group's buffer
 * is full. Cancelling a group's collection (for example with {@code take}) closes only that group.
 * kotlinx counterpart: none; Reactor {@code GroupedFlux}.
 *
 * {@snippet :
 * orders.groupBy(Order::customerId)
 *       .flatMapMerge(64, g -> g.flow().chunked(100).map(batch -> invoice(g.key(), batch)))
 *       .forEach(mailer::send);
 * }
 *
 * @param <K> the key type
 * @param <T> the element type
 */
public final class GroupedFlow<K, T> {
    private final K key;
    private final AsyncFlow<T> flow;

    GroupedFlow(K key, AsyncFlow<T> flow) {
        this.key = key;
        this.flow = flow;
    }

    /**
     * The key every element of this group has.
     *
     * @return the key, never null
     */
    public K key() {
        return key;
    }

    /**
     * The group's elements; collect it once.
     *
     * {@snippet :
     * long n = group.flow().count();
     * }
     *
     * @return a flow that can be collected once
     */
    public AsyncFlow<T> flow() {
        return flow;
    }

    @Override
    public String toString() {
        return "GroupedFlow[key=" + Objects.toString(key) + "]";
    }
}
