package dev.coflow;

import dev.coflow.bridge.Suspend;
import dev.coflow.function.ThrowingFunction;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import kotlinx.coroutines.channels.BufferOverflow;
import kotlinx.coroutines.channels.Channel;
import kotlinx.coroutines.channels.ChannelKt;
import kotlinx.coroutines.channels.ClosedSendChannelException;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.FlowKt;

/**
 * {@link AsyncFlow#groupBy} (coflow only; kotlinx has none, Reactor's {@code groupBy} is the
 * model): the upstream is read by one loop ({@link Delay.Window}), which opens a group per new key,
 * emits it downstream and sends each element into its group's buffer. A group whose collection
 * was cancelled is closed; a later element with its key opens a new group, as in Reactor. When the
 * upstream completes every group completes; when it fails every group fails with the same cause
 * and so does the flow of groups.
 */
final class Grouping {
    private Grouping() {}

    /** Elements a group holds before the upstream waits for that group's collector. */
    static final int GROUP_BUFFER = 64;

    static <T, K> Flow<GroupedFlow<K, T>> groupBy(
            Flow<T> upstream, ThrowingFunction<? super T, ? extends K> keyFn, int maxGroups) {
        return (collector, continuation) -> Delay.Window.run(upstream, collector, continuation, w -> {
            Map<K, Channel<T>> groups = new LinkedHashMap<>();
            Throwable failure = null;
            try {
                while (true) {
                    Object e = w.next();
                    if (e == Delay.Window.END) {
                        break;
                    }
                    @SuppressWarnings("unchecked")
                    T v = (T) e;
                    K key = keyFn.apply(v);
                    if (key == null) {
                        throw new NullPointerException("groupBy: keyFn returned null for " + v
                                + "; keys must be non-null (map a missing key to a sentinel or an Optional)");
                    }
                    while (true) {
                        Channel<T> group = groups.get(key);
                        if (group == null || group.isClosedForSend()) {
                            groups.remove(key);
                            if (groups.size() >= maxGroups) {
                                throw new IllegalStateException("groupBy: a new key " + key + " would open group "
                                        + (maxGroups + 1) + " of at most " + maxGroups + " open groups; raise "
                                        + "maxGroups, or end groups you are done with (take, first, takeWhile)");
                            }
                            group = ChannelKt.Channel(GROUP_BUFFER, BufferOverflow.SUSPEND, null);
                            groups.put(key, group);
                            w.emit(new GroupedFlow<K, T>(key, AsyncFlow.wrap(FlowKt.<T>consumeAsFlow(group))));
                        }
                        Channel<T> target = group;
                        try {
                            Suspend.call(c -> target.send(v, c));
                            break;
                        } catch (ClosedSendChannelException | CancellationException closed) {
                            if (!Suspend.isActive()) {
                                throw closed; // this collection itself is being cancelled
                            }
                            groups.remove(key); // the group's collector cancelled it: open a new one
                        }
                    }
                }
            } catch (Delay.Window.UpstreamFailure f) {
                failure = f.getCause();
                throw f;
            } catch (Throwable t) {
                failure = t;
                throw t;
            } finally {
                for (Channel<T> group : groups.values()) {
                    if (failure == null) {
                        group.close(null);
                    } else if (failure instanceof CancellationException ce) {
                        group.cancel(ce);
                    } else {
                        group.close(failure);
                    }
                }
            }
        });
    }
}
