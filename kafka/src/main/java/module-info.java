/**
 * coflow-kafka: Kafka consumer groups as back-pressured, commit-aware {@code AsyncFlow}s, and a
 * producer sink with bounded in-flight sends.
 *
 * <p>{@code kafka.clients} is an automatic module (kafka-clients has no descriptor); it is read
 * transitively because the API speaks its types ({@code ConsumerRecord}, {@code ProducerRecord}).
 */
@SuppressWarnings("requires-transitive-automatic")
module dev.coflow.kafka {
    requires transitive dev.coflow;
    requires transitive kafka.clients;

    exports dev.coflow.kafka;
}
