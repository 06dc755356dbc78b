package dev.coflow.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coflow.AsyncFlow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The consuming and producing flows against a real KRaft broker ({@link KafkaBroker}), started
 * once for the class. Waits are latches and bounded polls of the broker's state, never sleeps.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KafkaFlowsTest {

    private static KafkaBroker broker;
    private static Admin admin;

    @BeforeAll
    static void startBroker() throws Exception {
        try {
            broker = KafkaBroker.start();
        } catch (Exception e) {
            throw new IllegalStateException("coflow-kafka's tests need a Kafka broker and could not start one"
                    + " (a KRaft process from the kafka_2.13 jars on the test class path, loopback only): " + e.getMessage(), e);
        }
        System.out.println("[coflow-kafka] KRaft broker started in " + broker.startup().toMillis() + " ms");
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        admin = Admin.create(p);
    }

    @AfterAll
    static void stopBroker() {
        if (admin != null) {
            admin.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    // ---------------------------------------------------------------------------------------------

    @Test
    void consumesExactlyTheProducedRecordsInPartitionOrder() throws Exception {
        String topic = createTopic("order", 3);
        List<RecordMetadata> sent = produce(topic, 3000);
        assertEquals(3000, sent.size());

        List<ConsumerRecord<String, String>> got = KafkaFlows.<String, String>consume(consumerProps("g-order"), List.of(topic))
                .take(3000)
                .toList();

        assertEquals(3000, got.size());
        Map<Integer, List<String>> sentPerPartition = new HashMap<>();
        for (int i = 0; i < sent.size(); i++) {
            sentPerPartition.computeIfAbsent(sent.get(i).partition(), k -> new ArrayList<>()).add("v" + i);
        }
        Map<Integer, List<String>> gotPerPartition = new HashMap<>();
        for (ConsumerRecord<String, String> r : got) {
            List<String> values = gotPerPartition.computeIfAbsent(r.partition(), k -> new ArrayList<>());
            assertEquals(values.size(), r.offset(), "offsets of partition " + r.partition() + " in order, none skipped");
            values.add(r.value());
        }
        assertEquals(sentPerPartition, gotPerPartition);
        assertEquals(3, gotPerPartition.size(), "keys spread over every partition");
    }

    // ---------------------------------------------------------------------------------------------

    private static String createTopic(String name, int partitions) throws Exception {
        String topic = name + "-" + System.nanoTime();
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(60, TimeUnit.SECONDS);
        return topic;
    }

    /** Sends "v0".."v(n-1)" with keys "k(i % 30)" through {@link KafkaFlows#produce}. */
    private static List<RecordMetadata> produce(String topic, int n) {
        return KafkaFlows.produce(producerProps(),
                        AsyncFlow.range(0, n).map(i -> new ProducerRecord<>(topic, "k" + (i % 30), "v" + i)),
                        new StringSerializer(), new StringSerializer(), 64)
                .toList();
    }

    private static Properties producerProps() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return p;
    }

    private static Properties consumerProps(String group) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return p;
    }
}
