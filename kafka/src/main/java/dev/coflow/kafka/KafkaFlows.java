package dev.coflow.kafka;

import dev.coflow.AsyncFlow;
import dev.coflow.bridge.Suspend;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import kotlinx.coroutines.flow.Flow;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka topics as flows: a consumer-group member as a cold {@link AsyncFlow} of records, and a
 * producer as a flow operator with bounded in-flight sends.
 *
 * <h2>Consuming</h2>
 * Each collection of {@link #consume consume(...)} creates one {@code KafkaConsumer}, subscribes it
 * to the topics and runs it on its own thread (a consumer is not thread-safe; no other thread
 * calls it). Records pass through a bounded buffer to the collector, in poll order, so the order
 * within a partition is kept.
 * <ul>
 * <li><b>Back-pressure</b>: when {@link ConsumeOptions#maxBuffered} records wait for a slow
 * downstream the consumer {@code pause}s its partitions (it keeps polling, so the group does not
 * evict it) and {@code resume}s them when the buffer is half empty: memory stays bounded
 * whatever the lag.</li>
 * <li><b>At-least-once</b> (the default): a record counts as finished when its {@code emit}
 * returns, that is when the downstream's synchronous stages and the terminal's action are done
 * with it (docs/semantics.md §2); only finished records are committed, in batches
 * ({@link ConsumeOptions#commitEvery}), synchronously, per partition up to the last finished + 1.
 * A record whose processing failed or was cancelled is not committed and is redelivered. Stages
 * that decouple the downstream ({@code buffer}, {@code flowOn}, {@code mapAsync*}) return from
 * {@code emit} early: use {@link #consumeWithAck} there. {@link ConsumeOptions#deliverAtMostOnce()}
 * commits each polled batch before emitting it instead.</li>
 * <li><b>Rebalances</b>: when partitions are revoked their buffered records are dropped, the
 * revocation waits (up to {@link ConsumeOptions#revocationTimeout}) for their in-flight records,
 * commits the finished ones and only then completes; newly assigned partitions start from the
 * committed offsets.</li>
 * <li><b>The end</b>: the flow never completes by itself. Cancelling the collection (an early exit
 * such as {@code take}, a failure downstream, an interrupt, cancelling an async terminal's future)
 * commits what is finished and closes the consumer, which leaves the group, before the terminal
 * returns. A failure of the consumer (poll, commit, deserialization) fails the flow.</li>
 * </ul>
 *
 * <h2>Scaling out</h2>
 * Run the same pipeline in several processes with the same {@code group.id}: Kafka assigns each
 * partition to one member, so partitions are the unit of parallelism. Stopping one instance
 * moves its partitions to the others; with at-least-once nothing is lost (records in flight at
 * the stop are redelivered, so make processing idempotent or count duplicates).
 *
 * <p>kotlinx counterpart: none (kotlinx has no Kafka client); Reactor Kafka's
 * {@code KafkaReceiver.receive()} and {@code KafkaSender.send()} are the nearest.
 */
public final class KafkaFlows {

    private KafkaFlows() {}

    /**
     * Consumes {@code topics} as a member of the group {@code group.id}, at-least-once, with the
     * {@linkplain ConsumeOptions#defaults() default options}; keys and values are deserialized by the
     * classes the properties name ({@code key.deserializer}, {@code value.deserializer}).
     *
     * {@snippet :
     * Properties props = new Properties();
     * props.put("bootstrap.servers", "localhost:9092");
     * props.put("group.id", "billing");
     * props.put("key.deserializer", StringDeserializer.class.getName());
     * props.put("value.deserializer", StringDeserializer.class.getName());
     * KafkaFlows.<String, String>consume(props, List.of("orders"))
     *         .map(r -> parse(r.value()))
     *         .forEach(order -> bill(order));   // committed after bill returns
     * }
     *
     * <p>kotlinx counterpart: none; Reactor Kafka's {@code KafkaReceiver.create(options).receiveAutoAck()}.
     *
     * @param consumerProperties the {@code KafkaConsumer}'s configuration; must set {@code group.id};
     *                           {@code enable.auto.commit} must be absent or {@code false} (the flow
     *                           commits); copied at the call
     * @param topics the topics to subscribe to, at least one
     * @param <K> the key type
     * @param <V> the value type
     * @return a cold flow; each collection is one group member
     * @throws IllegalArgumentException if {@code group.id} is missing, auto-commit is on, or the
     *                                  topics are empty or blank
     */
    public static <K, V> AsyncFlow<ConsumerRecord<K, V>> consume(
            Properties consumerProperties, Collection<String> topics) {
        return consume(consumerProperties, topics, null, null, ConsumeOptions.defaults());
    }

    /**
     * Consumes {@code topics} with explicit deserializers and options; see {@link #consume(Properties,
     * Collection)} and the class description for the guarantees.
     *
     * {@snippet :
     * AsyncFlow<ConsumerRecord<String, Long>> counts = KafkaFlows.consume(props, List.of("counts"),
     *         new StringDeserializer(), new LongDeserializer(),
     *         ConsumeOptions.defaults().maxBuffered(100).commitEvery(50, Duration.ofMillis(200)));
     * }
     *
     * <p>kotlinx counterpart: none; Reactor Kafka's {@code KafkaReceiver.receive()} with {@code ReceiverOptions}.
     *
     * @param consumerProperties as for {@link #consume(Properties, Collection)}
     * @param topics the topics to subscribe to, at least one
     * @param keyDeserializer the key deserializer, or {@code null} for {@code key.deserializer};
     *                        the consumer closes it when a collection ends
     * @param valueDeserializer the value deserializer, or {@code null} for {@code value.deserializer}
     * @param options buffering, commits, revocation and the listener
     * @param <K> the key type
     * @param <V> the value type
     * @return a cold flow; each collection is one group member
     * @throws IllegalArgumentException as for {@link #consume(Properties, Collection)}
     */
    public static <K, V> AsyncFlow<ConsumerRecord<K, V>> consume(
            Properties consumerProperties,
            Collection<String> topics,
            Deserializer<K> keyDeserializer,
            Deserializer<V> valueDeserializer,
            ConsumeOptions options) {
        return members(consumerProperties, topics, keyDeserializer, valueDeserializer, options, (emitter, r, loop) -> {
            emitter.emit(r);
            loop.ack(r); // finished: its emit returned
        });
    }

    /**
     * Consumes {@code topics} with manual acknowledgement: each element is a {@link KafkaRecord}
     * whose offset is committed only after {@link KafkaRecord#ack()} (and the ack of every earlier
     * record of its partition). For pipelines that finish records after their {@code emit}
     * returned. Otherwise as {@link #consume(Properties, Collection, Deserializer, Deserializer,
     * ConsumeOptions)}; a revocation waits up to {@link ConsumeOptions#revocationTimeout} for the
     * acks of the revoked partitions' records.
     *
     * {@snippet :
     * KafkaFlows.<String, String>consumeWithAck(props, List.of("orders"), null, null, ConsumeOptions.defaults())
     *         .chunked(100, Duration.ofMillis(50))
     *         .forEach(batch -> {
     *             database.insertAll(batch);
     *             batch.forEach(KafkaRecord::ack);
     *         });
     * }
     *
     * <p>kotlinx counterpart: none; Reactor Kafka's {@code KafkaReceiver.receive()} with
     * {@code ReceiverOffset.acknowledge()}.
     *
     * @param consumerProperties as for {@link #consume(Properties, Collection)}
     * @param topics the topics to subscribe to, at least one
     * @param keyDeserializer the key deserializer, or {@code null} for {@code key.deserializer}
     * @param valueDeserializer the value deserializer, or {@code null} for {@code value.deserializer}
     * @param options buffering, commits, revocation and the listener
     * @param <K> the key type
     * @param <V> the value type
     * @return a cold flow; each collection is one group member
     * @throws IllegalArgumentException as for {@link #consume(Properties, Collection)}
     */
    public static <K, V> AsyncFlow<KafkaRecord<K, V>> consumeWithAck(
            Properties consumerProperties,
            Collection<String> topics,
            Deserializer<K> keyDeserializer,
            Deserializer<V> valueDeserializer,
            ConsumeOptions options) {
        return members(
                consumerProperties,
                topics,
                keyDeserializer,
                valueDeserializer,
                options,
                (emitter, r, loop) -> emitter.emit(new KafkaRecord<>(r, loop)));
    }

    /** How one polled record reaches the downstream (and whether it counts as finished at once). */
    @FunctionalInterface
    private interface Delivery<K, V, T> {
        void deliver(dev.coflow.Emitter<T> emitter, ConsumerRecord<K, V> record, ConsumerLoop<K, V> loop)
                throws Exception;
    }

    /** A cold flow whose every collection is one group member running one {@link ConsumerLoop}. */
    private static <K, V, T> AsyncFlow<T> members(
            Properties consumerProperties,
            Collection<String> topics,
            Deserializer<K> keyDeserializer,
            Deserializer<V> valueDeserializer,
            ConsumeOptions options,
            Delivery<K, V, T> delivery) {
        Properties props = consumerProperties(consumerProperties);
        List<String> subscription = topics(topics);
        Objects.requireNonNull(options, "options");
        return AsyncFlow.generate(emitter -> {
            ConsumerLoop<K, V> loop =
                    new ConsumerLoop<>(props, subscription, keyDeserializer, valueDeserializer, options);
            loop.start();
            try {
                while (true) {
                    ConsumerRecord<K, V> r = loop.next();
                    if (r == null) {
                        Suspend.await(loop.waiter());
                        continue;
                    }
                    delivery.deliver(emitter, r, loop);
                }
            } finally {
                loop.close();
            }
        });
    }

    /**
     * Sends every record of {@code records} with one {@code KafkaProducer} per collection and emits
     * each send's {@link RecordMetadata} in the order of the records, with at most
     * {@code maxInFlight} sends unacknowledged by the broker (the upstream waits beyond that). A
     * failed send fails the flow (its exception, e.g. a {@code TimeoutException}, is the error).
     * When the upstream completes the producer is flushed and every pending send awaited before
     * the flow completes; the producer is closed when the collection ends, at once on failure or
     * cancellation.
     *
     * {@snippet :
     * long sent = KafkaFlows.produce(props,
     *                 AsyncFlow.range(0, 1000).map(i -> new ProducerRecord<>("numbers", "k" + i, "v" + i)),
     *                 null, null, 64)
     *         .count();
     * }
     *
     * <p>kotlinx counterpart: none; Reactor Kafka's {@code KafkaSender.send(publisher)} with
     * {@code maxInFlight}.
     *
     * @param producerProperties the {@code KafkaProducer}'s configuration; copied at the call
     * @param records the records to send
     * @param keySerializer the key serializer, or {@code null} for {@code key.serializer}; the
     *                      producer closes it when a collection ends
     * @param valueSerializer the value serializer, or {@code null} for {@code value.serializer}
     * @param maxInFlight the most sends awaiting the broker's answer, at least 1
     * @param <K> the key type
     * @param <V> the value type
     * @return a cold flow of the sends' metadata
     * @throws IllegalArgumentException if {@code maxInFlight} is less than 1
     */
    public static <K, V> AsyncFlow<RecordMetadata> produce(
            Properties producerProperties,
            Flow<? extends ProducerRecord<K, V>> records,
            Serializer<K> keySerializer,
            Serializer<V> valueSerializer,
            int maxInFlight) {
        Objects.requireNonNull(producerProperties, "producerProperties");
        Objects.requireNonNull(records, "records");
        if (maxInFlight < 1) {
            throw new IllegalArgumentException(
                    "maxInFlight must be at least 1, was " + maxInFlight + "; it bounds the sends awaiting the broker");
        }
        Properties props = new Properties();
        props.putAll(producerProperties);
        return ProducerSink.produce(props, records, keySerializer, valueSerializer, maxInFlight);
    }

    /**
     * Sends every record of {@code records}, at most 256 in flight, serialized by the classes the
     * properties name; see {@link #produce(Properties, Flow, Serializer, Serializer, int)}.
     *
     * {@snippet :
     * KafkaFlows.produce(props, events.map(e -> new ProducerRecord<>("events", e.id(), e.json()))).count();
     * }
     *
     * <p>kotlinx counterpart: none; Reactor Kafka's {@code KafkaSender.send(publisher)}.
     *
     * @param producerProperties the {@code KafkaProducer}'s configuration; copied at the call
     * @param records the records to send
     * @param <K> the key type
     * @param <V> the value type
     * @return a cold flow of the sends' metadata
     */
    public static <K, V> AsyncFlow<RecordMetadata> produce(
            Properties producerProperties, Flow<? extends ProducerRecord<K, V>> records) {
        return produce(producerProperties, records, null, null, 256);
    }

    /**
     * Like {@code AsyncFlow.mapAsync(concurrency, fn)}, but calls for elements with the same key
     * run one after another, in upstream order, while different keys run concurrently (at most
     * {@code concurrency} calls at once). Results come out in upstream order. With the
     * record's partition (or its Kafka key) as the key, a pipeline processes partitions in
     * parallel and keeps each partition's order. Behind {@link #consume consume(...)} the records
     * count as finished when {@code mapAsyncPartitioned} takes them, not when {@code fn} returns:
     * use {@link #consumeWithAck} and ack after {@code fn} for at-least-once.
     *
     * {@snippet :
     * KafkaFlows.mapAsyncPartitioned(
     *                 KafkaFlows.<String, String>consumeWithAck(props, List.of("orders"), null, null, ConsumeOptions.defaults()),
     *                 8,
     *                 r -> r.record().partition(),
     *                 r -> { store(r.record().value()); return r; })
     *         .forEach(KafkaRecord::ack);
     * }
     *
     * <p>kotlinx counterpart: none; Pekko Streams' {@code mapAsyncPartitioned(parallelism, partitioner, f)}
     * (ordered output); Reactor: {@code groupBy(key).flatMap(g -> g.concatMap(f))} (unordered).
     *
     * @param upstream the elements
     * @param concurrency how many calls may run at once, at least 1
     * @param keyFn the key of an element; must not return null
     * @param fn the transformation; may block or wait; must not return null
     * @param <T> the element type
     * @param <K> the key type
     * @param <R> the result type
     * @return the transformed flow, in upstream order
     * @throws IllegalArgumentException if {@code concurrency < 1}
     */
    public static <T, K, R> AsyncFlow<R> mapAsyncPartitioned(
            Flow<? extends T> upstream,
            int concurrency,
            dev.coflow.function.ThrowingFunction<? super T, ? extends K> keyFn,
            dev.coflow.function.ThrowingFunction<? super T, ? extends R> fn) {
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(keyFn, "keyFn");
        Objects.requireNonNull(fn, "fn");
        if (concurrency < 1) {
            throw new IllegalArgumentException(
                    "mapAsyncPartitioned: concurrency must be at least 1, was " + concurrency);
        }
        return Partitioned.mapAsyncPartitioned(upstream, concurrency, keyFn, fn);
    }

    private static Properties consumerProperties(Properties consumerProperties) {
        Objects.requireNonNull(consumerProperties, "consumerProperties");
        Properties props = new Properties();
        props.putAll(consumerProperties);
        Object group = props.get(ConsumerConfig.GROUP_ID_CONFIG);
        if (group == null || group.toString().isBlank()) {
            throw new IllegalArgumentException("consumerProperties must set group.id (ConsumerConfig.GROUP_ID_CONFIG):"
                    + " the flow commits the offsets of finished records to a consumer group");
        }
        Object autoCommit = props.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG);
        if (autoCommit != null && Boolean.parseBoolean(autoCommit.toString())) {
            throw new IllegalArgumentException("consumerProperties sets enable.auto.commit=true: the flow commits"
                    + " offsets itself once records are finished; remove the property or set it to false");
        }
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return props;
    }

    private static List<String> topics(Collection<String> topics) {
        Objects.requireNonNull(topics, "topics");
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("topics is empty: name at least one topic to subscribe to");
        }
        List<String> copy = new ArrayList<>(topics.size());
        for (String t : topics) {
            if (t == null || t.isBlank()) {
                throw new IllegalArgumentException("topics contains a null or blank name: " + topics);
            }
            copy.add(t);
        }
        return List.copyOf(copy);
    }
}
