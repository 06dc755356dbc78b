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
            throw new IllegalStateException(
                    "coflow-kafka's tests need a Kafka broker and could not start one"
                            + " (a KRaft process from the kafka_2.13 jars on the test class path, loopback only): "
                            + e.getMessage(),
                    e);
        }
        System.out.println(
                "[coflow-kafka] KRaft broker started in " + broker.startup().toMillis() + " ms");
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

        List<ConsumerRecord<String, String>> got = KafkaFlows.<String, String>consume(
                        consumerProps("g-order"), List.of(topic))
                .take(3000)
                .toList();

        assertEquals(3000, got.size());
        Map<Integer, List<String>> sentPerPartition = new HashMap<>();
        for (int i = 0; i < sent.size(); i++) {
            sentPerPartition
                    .computeIfAbsent(sent.get(i).partition(), k -> new ArrayList<>())
                    .add("v" + i);
        }
        Map<Integer, List<String>> gotPerPartition = new HashMap<>();
        for (ConsumerRecord<String, String> r : got) {
            List<String> values = gotPerPartition.computeIfAbsent(r.partition(), k -> new ArrayList<>());
            assertEquals(
                    values.size(), r.offset(), "offsets of partition " + r.partition() + " in order, none skipped");
            values.add(r.value());
        }
        assertEquals(sentPerPartition, gotPerPartition);
        assertEquals(3, gotPerPartition.size(), "keys spread over every partition");
    }

    @Test
    void aSlowDownstreamPausesThePartitionsAndBoundsTheBuffer() throws Exception {
        String topic = createTopic("slow", 2);
        produce(topic, 2000);
        int maxBuffered = 50;
        int maxPoll = 20;
        Properties props = consumerProps("g-slow");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(maxPoll));
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "slow-" + topic);
        props.put(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG, CountingInterceptor.class.getName());
        CountDownLatch paused = new CountDownLatch(1);
        CountDownLatch resumed = new CountDownLatch(1);
        List<Integer> bufferedAtPause = new CopyOnWriteArrayList<>();
        ConsumerListener listener = new ConsumerListener() {
            @Override
            public void onPaused(Collection<TopicPartition> partitions, int bufferedRecords) {
                bufferedAtPause.add(bufferedRecords);
                paused.countDown();
            }

            @Override
            public void onResumed(Collection<TopicPartition> partitions) {
                resumed.countDown();
            }
        };
        AtomicInteger polledWhileHeld = new AtomicInteger(-1);
        Map<Integer, Long> lastOffset = new HashMap<>();

        long n = KafkaFlows.consume(
                        props,
                        List.of(topic),
                        new StringDeserializer(),
                        new StringDeserializer(),
                        ConsumeOptions.defaults().maxBuffered(maxBuffered).listener(listener))
                .onEach(r -> {
                    if (polledWhileHeld.get() < 0) {
                        // the downstream is stuck on its first record until the consumer has paused
                        assertTrue(
                                paused.await(60, TimeUnit.SECONDS), "the consumer never paused for a stuck downstream");
                        polledWhileHeld.set(
                                CountingInterceptor.POLLED.get("slow-" + topic).get());
                    }
                    Long before = lastOffset.put(r.partition(), r.offset());
                    assertEquals(before == null ? 0 : before + 1, r.offset(), "partition order");
                })
                .take(2000)
                .count();

        assertEquals(2000, n);
        assertTrue(resumed.await(0, TimeUnit.SECONDS), "the consumer resumed once the downstream caught up");
        int bound = maxBuffered + maxPoll;
        assertTrue(
                bufferedAtPause.stream().allMatch(b -> b >= maxBuffered && b <= bound),
                "buffered at pauses: " + bufferedAtPause);
        assertTrue(
                polledWhileHeld.get() <= bound + 1,
                "while the downstream held one record the consumer fetched " + polledWhileHeld.get()
                        + " of 2000 (bound " + bound + ")");
    }

    @Test
    void cancellingOneOfTwoMembersMovesItsPartitionsToTheOtherAndLosesNothing() throws Exception {
        String topic = createTopic("rebalance", 4);
        int total = 4000;
        produce(topic, total);
        String group = "g-rebalance";
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger deliveries = new AtomicInteger();
        CountDownLatch aHeld = new CountDownLatch(1);
        CountDownLatch bAssigned = new CountDownLatch(1);
        CountDownLatch allSeen = new CountDownLatch(1);
        Set<TopicPartition> bOwns = ConcurrentHashMap.newKeySet();
        ConsumerListener bListener = new ConsumerListener() {
            @Override
            public void onAssigned(Collection<TopicPartition> partitions) {
                bOwns.addAll(partitions);
                if (!partitions.isEmpty()) {
                    bAssigned.countDown();
                }
            }

            @Override
            public void onRevoked(Collection<TopicPartition> partitions) {
                bOwns.removeAll(partitions);
            }
        };
        ConsumeOptions aOptions = ConsumeOptions.defaults().revocationTimeout(Duration.ofSeconds(1));
        AtomicInteger aCount = new AtomicInteger();
        Member a = new Member(
                KafkaFlows.consume(
                        consumerProps(group),
                        List.of(topic),
                        new StringDeserializer(),
                        new StringDeserializer(),
                        aOptions),
                r -> {
                    record(r, seen, deliveries, total, allSeen);
                    if (aCount.incrementAndGet() == 300) {
                        aHeld.countDown();
                        new CountDownLatch(1).await(); // stuck until cancelled: this record stays unfinished
                    }
                });
        assertTrue(aHeld.await(60, TimeUnit.SECONDS), "member A never reached its 300th record");
        Member b = new Member(
                KafkaFlows.consume(
                        consumerProps(group),
                        List.of(topic),
                        new StringDeserializer(),
                        new StringDeserializer(),
                        ConsumeOptions.defaults().listener(bListener)),
                r -> record(r, seen, deliveries, total, allSeen));
        assertTrue(bAssigned.await(60, TimeUnit.SECONDS), "member B never got a partition");

        a.cancel();
        assertNotNull(a.failure.get(), "A's terminal ends by cancellation");
        assertTrue(allSeen.await(60, TimeUnit.SECONDS), "after A left, B saw " + seen.size() + " of " + total);
        Set<TopicPartition> bOwnedAtTheEnd = Set.copyOf(bOwns);
        b.cancel();

        assertEquals(total, seen.size(), "no record lost");
        assertEquals(4, bOwnedAtTheEnd.size(), "B owned every partition after A left: " + bOwnedAtTheEnd);
        int duplicates = deliveries.get() - total;
        System.out.println("[coflow-kafka] rebalance: " + deliveries.get() + " deliveries of " + total + " records, "
                + duplicates + " redelivered");
        assertTrue(duplicates >= 1, "A's unfinished record is redelivered to B");
        assertEquals(endOffsets(topic), committed(group), "B committed everything at its clean stop");
    }

    @Test
    void aCleanStopCommitsTheLastFinishedOffsetPlusOneAndNotTheRecordInFlight() throws Exception {
        String topic = createTopic("stop", 2);
        produce(topic, 500);
        String group = "g-stop";
        Map<TopicPartition, Long> lastFinished = new ConcurrentHashMap<>();
        AtomicReference<ConsumerRecord<String, String>> inFlight = new AtomicReference<>();
        AtomicInteger count = new AtomicInteger();
        CountDownLatch held = new CountDownLatch(1);
        Member m = new Member(
                KafkaFlows.consume(
                        consumerProps(group),
                        List.of(topic),
                        new StringDeserializer(),
                        new StringDeserializer(),
                        ConsumeOptions.defaults().commitEvery(1_000_000, Duration.ofHours(1))),
                r -> {
                    if (count.incrementAndGet() == 450) {
                        inFlight.set(r);
                        held.countDown();
                        new CountDownLatch(1).await(); // the 450th record is in flight when the stop comes
                    }
                    lastFinished.put(new TopicPartition(r.topic(), r.partition()), r.offset());
                });
        assertTrue(held.await(60, TimeUnit.SECONDS), "consumed " + count.get() + " of 450");
        m.cancel();

        // no commit was due by count or time: every committed offset comes from the stop itself
        Map<TopicPartition, Long> expected = new HashMap<>();
        lastFinished.forEach((tp, o) -> expected.put(tp, o + 1));
        TopicPartition held450 = new TopicPartition(topic, inFlight.get().partition());
        assertEquals(
                inFlight.get().offset(),
                expected.getOrDefault(held450, 0L),
                "the unfinished record is next on its partition");
        assertEquals(expected, committed(group));
        assertEquals(449, expected.values().stream().mapToLong(Long::longValue).sum());
        assertTrue(
                admin.describeConsumerGroups(List.of(group))
                        .all()
                        .get(30, TimeUnit.SECONDS)
                        .get(group)
                        .members()
                        .isEmpty(),
                "the consumer left the group before the terminal returned");
    }

    @Test
    void aCleanStopOnAnIdleConsumerCommitsLastPlusOnePerPartition() throws Exception {
        String topic = createTopic("idle", 3);
        produce(topic, 300);
        String group = "g-idle";
        Map<TopicPartition, Long> last = new ConcurrentHashMap<>();
        AtomicInteger count = new AtomicInteger();
        CountDownLatch all = new CountDownLatch(1);
        Member m = new Member(
                KafkaFlows.consume(
                        consumerProps(group),
                        List.of(topic),
                        new StringDeserializer(),
                        new StringDeserializer(),
                        ConsumeOptions.defaults().commitEvery(1_000_000, Duration.ofHours(1))),
                r -> {
                    last.put(new TopicPartition(r.topic(), r.partition()), r.offset());
                    if (count.incrementAndGet() == 300) {
                        all.countDown();
                    }
                });
        assertTrue(all.await(60, TimeUnit.SECONDS), "consumed " + count.get() + " of 300");
        m.cancel();
        Map<TopicPartition, Long> expected = new HashMap<>();
        last.forEach((tp, o) -> expected.put(tp, o + 1));
        assertEquals(3, expected.size());
        assertEquals(expected, committed(group));
        assertEquals(endOffsets(topic), committed(group));
        assertTrue(
                admin.describeConsumerGroups(List.of(group))
                        .all()
                        .get(30, TimeUnit.SECONDS)
                        .get(group)
                        .members()
                        .isEmpty(),
                "the consumer left the group before the terminal returned");
    }

    @Test
    void manualAcksCommitOnlyTheAcknowledgedPrefixOfEachPartition() throws Exception {
        String topic = createTopic("manual", 1);
        produce(topic, 20);
        String group = "g-manual";
        List<KafkaRecord<String, String>> unacked = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(20);
        Thread t = new Thread(() -> {
            try {
                KafkaFlows.consumeWithAck(
                                consumerProps(group),
                                List.of(topic),
                                new StringDeserializer(),
                                new StringDeserializer(),
                                ConsumeOptions.defaults().commitEvery(1, Duration.ofHours(1)))
                        .mapAsyncUnordered(4, r -> r)
                        .forEach(r -> {
                            if (r.record().offset() == 5) {
                                unacked.add(r); // never acknowledged: offsets 6.. stay uncommitted
                            } else {
                                r.ack();
                                r.ack(); // idempotent
                            }
                            all.countDown();
                        });
            } catch (Throwable ignored) {
                // cancelled below
            }
        });
        t.start();
        assertTrue(all.await(60, TimeUnit.SECONDS), "saw " + (20 - all.getCount()) + " of 20");
        t.interrupt();
        t.join(60_000);
        assertFalse(t.isAlive());
        assertEquals(Map.of(new TopicPartition(topic, 0), 5L), committed(group));
        unacked.get(0).ack(); // after the flow ended: ignored
        assertEquals(Map.of(new TopicPartition(topic, 0), 5L), committed(group));
    }

    @Test
    void atMostOnceCommitsBeforeEmittingSoTheRecordInFlightIsNotRedelivered() throws Exception {
        String topic = createTopic("amo", 1);
        produce(topic, 10);
        String group = "g-amo";
        CountDownLatch held = new CountDownLatch(1);
        Member m = new Member(
                KafkaFlows.consume(
                        consumerProps(group),
                        List.of(topic),
                        new StringDeserializer(),
                        new StringDeserializer(),
                        ConsumeOptions.defaults().deliverAtMostOnce()),
                r -> {
                    if (r.offset() == 3) {
                        held.countDown();
                        new CountDownLatch(1).await();
                    }
                });
        assertTrue(held.await(60, TimeUnit.SECONDS));
        m.cancel();
        long committed = committed(group).get(new TopicPartition(topic, 0));
        assertTrue(committed > 3, "the batch holding offset 3 was committed before it was emitted: " + committed);
    }

    /**
     * Not a JMH benchmark (the broker runs in this test's fork): records per second through
     * {@code consume -> map -> commit} against a plain {@code KafkaConsumer.poll} loop doing the
     * same work (the same map, a synchronous commit every 100 records) on the same topic, each
     * timed from its first record. Tagged {@code stress}: runs with {@code -Pstress} or
     * {@code -Dcoflow.excludedGroups=none}.
     */
    @Test
    @org.junit.jupiter.api.Tag("stress")
    void throughputAgainstAPlainPollLoop() throws Exception {
        String topic = createTopic("throughput", 4);
        int n = 200_000;
        produce(topic, n);
        double plain = 0;
        double flow = 0;
        for (int round = 0; round < 2; round++) { // the first round warms both up
            plain = plainLoop(topic, n, "g-plain-" + round);
            long[] first = {0};
            AtomicInteger sum = new AtomicInteger();
            long end = KafkaFlows.consume(
                            consumerProps("g-flow-" + round),
                            List.of(topic),
                            new StringDeserializer(),
                            new StringDeserializer(),
                            ConsumeOptions.defaults().commitEvery(100, Duration.ofSeconds(1)))
                    .map(r -> {
                        if (first[0] == 0) {
                            first[0] = System.nanoTime();
                        }
                        return r.value().length();
                    })
                    .onEach(sum::addAndGet)
                    .take(n)
                    .count();
            assertEquals(n, end);
            flow = n / ((System.nanoTime() - first[0]) / 1e9);
        }
        System.out.printf(
                "[coflow-kafka] throughput, %d records of 4 partitions: consume->map->commit %.0f records/s,"
                        + " plain poll loop %.0f records/s (%.2fx)%n",
                n, flow, plain, flow / plain);
        assertTrue(flow > 0 && plain > 0);
    }

    private static double plainLoop(String topic, int n, String group) {
        Properties props = consumerProps(group);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, String>(props)) {
            consumer.subscribe(List.of(topic));
            int seen = 0;
            int sinceCommit = 0;
            long sum = 0;
            long first = 0;
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            while (seen < n) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                    if (first == 0) {
                        first = System.nanoTime();
                    }
                    sum += r.value().length();
                    offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                    seen++;
                    if (++sinceCommit == 100) {
                        consumer.commitSync(offsets);
                        sinceCommit = 0;
                    }
                }
            }
            consumer.commitSync(offsets);
            assertTrue(sum > 0);
            return n / ((System.nanoTime() - first) / 1e9);
        }
    }

    @Test
    void aFailedSendFailsTheProducingFlow() {
        Properties props = producerProps();
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "1000");
        Throwable t = assertThrows(
                Throwable.class,
                () -> KafkaFlows.produce(
                                props,
                                AsyncFlow.of(new ProducerRecord<>("no-such-topic-" + System.nanoTime(), "k", "v")),
                                new StringSerializer(),
                                new StringSerializer(),
                                4)
                        .toList());
        assertInstanceOf(
                org.apache.kafka.common.errors.TimeoutException.class, t, "the send's own error is the flow's error");
    }

    // ---------------------------------------------------------------------------------------------

    private static void record(
            ConsumerRecord<String, String> r,
            Set<Long> seen,
            AtomicInteger deliveries,
            int total,
            CountDownLatch allSeen) {
        deliveries.incrementAndGet();
        seen.add(((long) r.partition() << 32) | r.offset());
        if (seen.size() == total) {
            allSeen.countDown();
        }
    }

    /** One pipeline instance: a blocking forEach on its own thread; {@link #cancel} interrupts it and waits. */
    private static final class Member {
        final Thread thread;
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Member(
                AsyncFlow<ConsumerRecord<String, String>> flow,
                dev.coflow.function.ThrowingConsumer<ConsumerRecord<String, String>> action) {
            thread = new Thread(
                    () -> {
                        try {
                            flow.forEach(action);
                        } catch (Throwable t) {
                            failure.set(t);
                        }
                    },
                    "member");
            thread.start();
        }

        void cancel() throws InterruptedException {
            thread.interrupt();
            thread.join(TimeUnit.SECONDS.toMillis(60));
            assertFalse(thread.isAlive(), "the pipeline did not stop within 60 s of its cancellation");
        }
    }

    private static Map<TopicPartition, Long> committed(String group) throws Exception {
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get(30, TimeUnit.SECONDS)
                .forEach((tp, o) -> {
                    if (o != null) {
                        out.put(tp, o.offset());
                    }
                });
        return out;
    }

    private static Map<TopicPartition, Long> endOffsets(String topic) throws Exception {
        int partitions = admin.describeTopics(List.of(topic))
                .allTopicNames()
                .get(30, TimeUnit.SECONDS)
                .get(topic)
                .partitions()
                .size();
        Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            specs.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listOffsets(specs).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    private static String createTopic(String name, int partitions) throws Exception {
        String topic = name + "-" + System.nanoTime();
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                .all()
                .get(60, TimeUnit.SECONDS);
        return topic;
    }

    /** Sends "v0".."v(n-1)" with keys "k(i % 30)" through {@link KafkaFlows#produce}. */
    private static List<RecordMetadata> produce(String topic, int n) {
        return KafkaFlows.produce(
                        producerProps(),
                        AsyncFlow.range(0, n).map(i -> new ProducerRecord<>(topic, "k" + (i % 30), "v" + i)),
                        new StringSerializer(),
                        new StringSerializer(),
                        64)
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
