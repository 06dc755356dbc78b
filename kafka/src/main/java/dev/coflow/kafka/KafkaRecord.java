package dev.coflow.kafka;

import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A consumed record that the downstream acknowledges itself: its offset may be committed only
 * after {@link #ack()}. Emitted by {@link KafkaFlows#consumeWithAck}; use it when the pipeline
 * finishes records after their {@code emit} returned (behind {@code buffer}, {@code flowOn},
 * {@code mapAsyncUnordered}, a batch writer). Acks may come in any order and from any thread:
 * a partition's commit position moves past a record only when it and every earlier record of
 * that partition are acknowledged. A record never acknowledged is redelivered after a restart or
 * a rebalance (at-least-once).
 *
 * {@snippet :
 * KafkaFlows.<String, String>consumeWithAck(props, List.of("orders"))
 *         .mapAsyncUnordered(8, r -> { store(r.record().value()); return r; })
 *         .forEach(KafkaRecord::ack);
 * }
 *
 * <p>kotlinx counterpart: none; Reactor Kafka's {@code ReceiverRecord.receiverOffset().acknowledge()}.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class KafkaRecord<K, V> {
    private final ConsumerRecord<K, V> record;
    private final ConsumerLoop<K, V> loop;

    KafkaRecord(ConsumerRecord<K, V> record, ConsumerLoop<K, V> loop) {
        this.record = Objects.requireNonNull(record, "record");
        this.loop = loop;
    }

    /**
     * The record as the consumer returned it.
     *
     * @return the record
     */
    public ConsumerRecord<K, V> record() {
        return record;
    }

    /**
     * Marks the record finished: its offset becomes committable (with the next batch). Idempotent;
     * an ack after the partition was revoked from this member, or after the flow ended, does
     * nothing (the record is redelivered to the partition's next owner).
     */
    public void ack() {
        loop.ack(record);
    }

    @Override
    public String toString() {
        return "KafkaRecord[" + record.topic() + "-" + record.partition() + "@" + record.offset() + "]";
    }
}
