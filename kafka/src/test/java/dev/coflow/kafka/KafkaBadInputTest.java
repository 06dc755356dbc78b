package dev.coflow.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coflow.AsyncFlow;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Misuse is refused at the call, with a message naming the argument and the fix; no broker needed. */
class KafkaBadInputTest {

    private static Properties group() {
        Properties p = new Properties();
        p.put("bootstrap.servers", "127.0.0.1:1");
        p.put("group.id", "g");
        return p;
    }

    @Test
    void consumeNeedsAGroupId() {
        Properties p = group();
        p.remove("group.id");
        var e = assertThrows(IllegalArgumentException.class, () -> KafkaFlows.consume(p, List.of("t")));
        assertTrue(e.getMessage().contains("group.id"), e.getMessage());
    }

    @Test
    void consumeRefusesAutoCommit() {
        Properties p = group();
        p.put("enable.auto.commit", "true");
        var e = assertThrows(IllegalArgumentException.class, () -> KafkaFlows.consume(p, List.of("t")));
        assertTrue(
                e.getMessage().contains("enable.auto.commit") && e.getMessage().contains("false"), e.getMessage());
    }

    @Test
    void consumeNeedsTopics() {
        var empty = assertThrows(IllegalArgumentException.class, () -> KafkaFlows.consume(group(), List.of()));
        assertTrue(empty.getMessage().contains("topics"), empty.getMessage());
        var blank = assertThrows(IllegalArgumentException.class, () -> KafkaFlows.consume(group(), List.of(" ")));
        assertTrue(blank.getMessage().contains("blank"), blank.getMessage());
        var none = assertThrows(NullPointerException.class, () -> KafkaFlows.consume(null, List.of("t")));
        assertEquals("consumerProperties", none.getMessage());
    }

    @Test
    void aConsumerThatCannotStartFailsTheFlowWithKafkasOwnError() {
        // no key.deserializer: KafkaConsumer's constructor refuses the configuration on the consumer thread
        var e = assertThrows(
                org.apache.kafka.common.config.ConfigException.class,
                () -> KafkaFlows.consume(group(), List.of("t")).take(1).toList());
        assertTrue(e.getMessage().contains("key.deserializer"), e.getMessage());
    }

    @Test
    void optionsAreChecked() {
        ConsumeOptions d = ConsumeOptions.defaults();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.maxBuffered(0))
                .getMessage()
                .contains("maxBuffered"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.commitEvery(0, Duration.ofSeconds(1)))
                .getMessage()
                .contains("commitBatchSize"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.commitEvery(1, Duration.ZERO))
                .getMessage()
                .contains("commitInterval"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.revocationTimeout(Duration.ofSeconds(-1)))
                .getMessage()
                .contains("revocationTimeout"));
        assertEquals(
                "listener",
                assertThrows(NullPointerException.class, () -> d.listener(null)).getMessage());
        assertTrue(d.deliverAtMostOnce().atMostOnce());
        assertEquals(7, d.maxBuffered(7).maxBuffered());
    }

    @Test
    void produceBoundsItsInFlightSends() {
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> KafkaFlows.produce(new Properties(), AsyncFlow.empty(), null, null, 0));
        assertTrue(e.getMessage().contains("maxInFlight"), e.getMessage());
    }
}
