package dev.coflow.kafka;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * One collection of a consuming flow: a {@link KafkaConsumer} owned by a dedicated platform
 * thread (the consumer is not thread-safe; every call on it happens there), a bounded FIFO buffer
 * the flow's body takes records from, and per-partition bookkeeping of what the downstream has
 * finished. Everything shared between the two threads is guarded by {@link #lock}.
 *
 * <p>Commit position of a partition: the records the body took are queued per partition in the
 * order taken; an ack marks one; the finished prefix of the queue moves the position to the last
 * of them + 1. So out-of-order acks (manual mode behind an unordered stage) never commit past a
 * record that is not finished.
 */
final class ConsumerLoop<K, V> {

    /** The longest a poll blocks: bounds the latency of closing, resuming and time-based commits. */
    static final Duration POLL_TIMEOUT = Duration.ofMillis(100);

    private static final AtomicInteger THREADS = new AtomicInteger();

    /** Per assigned partition: records taken by the body and not yet part of a committed prefix. */
    private static final class Part {
        final ArrayDeque<Long> taken = new ArrayDeque<>();
        final Set<Long> acked = new HashSet<>();
        long position = -1; // last finished prefix + 1; -1: nothing finished yet
        long committed = -1;
    }

    private final Properties properties;
    private final Collection<String> topics;
    private final Deserializer<K> keyDeserializer;
    private final Deserializer<V> valueDeserializer;
    private final ConsumeOptions options;
    private final Thread thread;

    private final Object lock = new Object();
    // guarded by lock
    private final ArrayDeque<ConsumerRecord<K, V>> buffer = new ArrayDeque<>();
    private final Map<TopicPartition, Part> parts = new HashMap<>();
    private CompletableFuture<Void> waiter;
    private Throwable failure;
    private boolean closing;
    private boolean finished;
    private int finishedSinceCommit;

    ConsumerLoop(
            Properties properties,
            Collection<String> topics,
            Deserializer<K> keyDeserializer,
            Deserializer<V> valueDeserializer,
            ConsumeOptions options) {
        this.properties = properties;
        this.topics = topics;
        this.keyDeserializer = keyDeserializer;
        this.valueDeserializer = valueDeserializer;
        this.options = options;
        this.thread = new Thread(this::run, "coflow-kafka-consumer-" + THREADS.incrementAndGet());
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    // ---------------------------------------------------------------------------------------------
    // the body's side

    /**
     * The next record to emit, or {@code null} with {@link #waiter()} set when the buffer is empty.
     *
     * @throws Exception the consumer's failure
     */
    ConsumerRecord<K, V> next() throws Exception {
        synchronized (lock) {
            ConsumerRecord<K, V> r = buffer.pollFirst();
            if (r != null) {
                Part p = parts.get(new TopicPartition(r.topic(), r.partition()));
                if (p != null && !options.atMostOnce()) {
                    p.taken.addLast(r.offset());
                }
                return r;
            }
            if (failure != null) {
                throw rethrowable(failure);
            }
            if (finished) {
                throw new IllegalStateException("the Kafka consumer thread ended without a failure");
            }
            waiter = new CompletableFuture<>();
            return null;
        }
    }

    /** What the body awaits after {@link #next()} returned {@code null}. */
    CompletableFuture<Void> waiter() {
        synchronized (lock) {
            return waiter != null ? waiter : CompletableFuture.completedFuture(null);
        }
    }

    /** The downstream finished {@code r}: it may be committed. Idempotent; stale acks are ignored. */
    void ack(ConsumerRecord<?, ?> r) {
        if (options.atMostOnce()) {
            return;
        }
        synchronized (lock) {
            Part p = parts.get(new TopicPartition(r.topic(), r.partition()));
            if (p == null || !p.taken.contains(r.offset()) || !p.acked.add(r.offset())) {
                return;
            }
            while (!p.taken.isEmpty() && p.acked.remove(p.taken.peekFirst())) {
                p.position = p.taken.pollFirst() + 1;
                finishedSinceCommit++;
            }
            lock.notifyAll();
        }
    }

    /** Stops the consumer (it commits what is finished and leaves the group) and waits for it. */
    void close() {
        synchronized (lock) {
            closing = true;
            lock.notifyAll();
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static Exception rethrowable(Throwable t) {
        if (t instanceof Error e) {
            throw e;
        }
        return (Exception) t;
    }

    // ---------------------------------------------------------------------------------------------
    // the consumer thread

    private void run() {
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(properties, keyDeserializer, valueDeserializer)) {
            consumer.subscribe(topics, new Rebalance(consumer));
            while (!isClosing()) {
                ConsumerRecords<K, V> records = consumer.poll(POLL_TIMEOUT);
                if (!records.isEmpty()) {
                    if (options.atMostOnce()) {
                        commit(consumer, nextOffsets(records));
                    }
                    synchronized (lock) {
                        for (ConsumerRecord<K, V> r : records) {
                            if (parts.containsKey(new TopicPartition(r.topic(), r.partition()))) {
                                buffer.addLast(r);
                            }
                        }
                        wakeBody();
                    }
                }
                backPressure(consumer);
                commitFinished(consumer, false);
            }
            commitFinished(consumer, true);
            // close() (try-with-resources) leaves the group; the revocation it triggers commits again
        } catch (Throwable t) {
            synchronized (lock) {
                failure = t;
            }
        } finally {
            synchronized (lock) {
                finished = true;
                buffer.clear();
                wakeBody();
            }
        }
    }

    private boolean isClosing() {
        synchronized (lock) {
            return closing;
        }
    }

    private void wakeBody() {
        // guarded by lock
        if (waiter != null) {
            CompletableFuture<Void> w = waiter;
            waiter = null;
            w.complete(null);
        }
    }

    private void backPressure(KafkaConsumer<K, V> consumer) {
        int buffered;
        synchronized (lock) {
            buffered = buffer.size();
        }
        Set<TopicPartition> paused = consumer.paused();
        if (buffered >= options.maxBuffered()) {
            List<TopicPartition> toPause = new ArrayList<>();
            for (TopicPartition tp : consumer.assignment()) {
                if (!paused.contains(tp)) {
                    toPause.add(tp);
                }
            }
            if (!toPause.isEmpty()) {
                consumer.pause(toPause);
                options.listener().onPaused(toPause, buffered);
            }
        } else if (buffered <= options.maxBuffered() / 2 && !paused.isEmpty()) {
            List<TopicPartition> toResume = new ArrayList<>(paused);
            consumer.resume(toResume);
            options.listener().onResumed(toResume);
        }
    }

    private long lastCommit = System.nanoTime();

    /** Commits the finished prefix of every partition when due (or now, if {@code force}). */
    private void commitFinished(KafkaConsumer<K, V> consumer, boolean force) {
        Map<TopicPartition, OffsetAndMetadata> offsets;
        synchronized (lock) {
            boolean due = force
                    || finishedSinceCommit >= options.commitBatchSize()
                    || System.nanoTime() - lastCommit
                            >= options.commitInterval().toNanos();
            if (!due || finishedSinceCommit == 0) {
                return;
            }
            offsets = uncommitted(parts.keySet());
            finishedSinceCommit = 0;
        }
        lastCommit = System.nanoTime();
        try {
            commit(consumer, offsets);
        } catch (RebalanceInProgressException | CommitFailedException e) {
            // the group is rebalancing: keep the positions and retry after the next poll; the
            // revocation commits them first if these partitions move
            synchronized (lock) {
                finishedSinceCommit = Math.max(finishedSinceCommit, 1);
            }
        }
    }

    // guarded by lock
    private Map<TopicPartition, OffsetAndMetadata> uncommitted(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : partitions) {
            Part p = parts.get(tp);
            if (p != null && p.position > p.committed) {
                offsets.put(tp, new OffsetAndMetadata(p.position));
            }
        }
        return offsets;
    }

    private void commit(KafkaConsumer<K, V> consumer, Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        consumer.commitSync(offsets);
        synchronized (lock) {
            offsets.forEach((tp, o) -> {
                Part p = parts.get(tp);
                if (p != null) {
                    p.committed = Math.max(p.committed, o.offset());
                }
            });
        }
        options.listener().onCommitted(offsets);
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<?, ?> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            List<? extends ConsumerRecord<?, ?>> rs = records.records(tp);
            offsets.put(tp, new OffsetAndMetadata(rs.get(rs.size() - 1).offset() + 1));
        }
        return offsets;
    }

    /** Runs on the consumer thread, inside poll or close. */
    private final class Rebalance implements ConsumerRebalanceListener {
        private final KafkaConsumer<K, V> consumer;

        Rebalance(KafkaConsumer<K, V> consumer) {
            this.consumer = consumer;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            synchronized (lock) {
                for (TopicPartition tp : partitions) {
                    parts.putIfAbsent(tp, new Part());
                }
            }
            options.listener().onAssigned(partitions);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            Map<TopicPartition, OffsetAndMetadata> offsets;
            synchronized (lock) {
                Set<TopicPartition> revoked = new HashSet<>(partitions);
                buffer.removeIf(r -> revoked.contains(new TopicPartition(r.topic(), r.partition())));
                long deadline = System.nanoTime() + options.revocationTimeout().toNanos();
                boolean interrupted = false;
                while (!closing && inFlight(revoked)) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    try {
                        lock.wait(Math.max(1, left / 1_000_000));
                    } catch (InterruptedException e) {
                        interrupted = true;
                        break;
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
                offsets = uncommitted(revoked);
            }
            try {
                commit(consumer, offsets);
            } catch (RebalanceInProgressException | CommitFailedException e) {
                // this member already lost the partitions (its generation is over): their new owner
                // starts from the last commit and sees the finished records again (at-least-once)
            } finally {
                synchronized (lock) {
                    partitions.forEach(parts::remove);
                }
                options.listener().onRevoked(partitions);
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            synchronized (lock) {
                Set<TopicPartition> lost = new HashSet<>(partitions);
                buffer.removeIf(r -> lost.contains(new TopicPartition(r.topic(), r.partition())));
                partitions.forEach(parts::remove);
            }
            options.listener().onRevoked(partitions);
        }

        // guarded by lock
        private boolean inFlight(Set<TopicPartition> revoked) {
            for (TopicPartition tp : revoked) {
                Part p = parts.get(tp);
                if (p != null && !p.taken.isEmpty()) {
                    return true;
                }
            }
            return false;
        }
    }
}
