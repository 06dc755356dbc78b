package dev.coflow.kafka;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** Counts, per {@code client.id}, the records the consumer's polls returned (Kafka's own interceptor hook). */
public final class CountingInterceptor implements ConsumerInterceptor<Object, Object> {
    static final Map<String, AtomicInteger> POLLED = new ConcurrentHashMap<>();

    private AtomicInteger count;

    @Override
    public void configure(Map<String, ?> configs) {
        count = POLLED.computeIfAbsent(
                String.valueOf(configs.get(ConsumerConfig.CLIENT_ID_CONFIG)), k -> new AtomicInteger());
    }

    @Override
    public ConsumerRecords<Object, Object> onConsume(ConsumerRecords<Object, Object> records) {
        count.addAndGet(records.count());
        return records;
    }

    @Override
    public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {}

    @Override
    public void close() {}
}
