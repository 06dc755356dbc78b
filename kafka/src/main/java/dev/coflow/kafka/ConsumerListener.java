package dev.coflow.kafka;

import java.util.Collection;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Observes what a {@link KafkaFlows#consume consuming flow} does with its consumer: assignments,
 * revocations, back-pressure (pause and resume) and commits. For metrics and tests; every method
 * has a no-op default.
 *
 * <p>The methods run on the consumer's own thread, between two polls: keep them short and never
 * block in them (a slow listener delays polls and heartbeats of the group).
 *
 * {@snippet :
 * ConsumeOptions options = ConsumeOptions.defaults().listener(new ConsumerListener() {
 *     @Override
 *     public void onPaused(Collection<TopicPartition> partitions, int bufferedRecords) {
 *         pauses.increment();
 *     }
 * });
 * }
 *
 * <p>kotlinx counterpart: none (kotlinx has no Kafka client); Reactor Kafka's
 * {@code ReceiverOptions.addAssignListener} and {@code addRevokeListener} are the nearest.
 */
public interface ConsumerListener {

    /**
     * Partitions were assigned to this member; their records start from the committed offsets.
     *
     * @param partitions the newly assigned partitions
     */
    default void onAssigned(Collection<TopicPartition> partitions) {}

    /**
     * Partitions were revoked (or lost); runs after the offsets of their finished records were
     * committed, before the revocation completes.
     *
     * @param partitions the revoked partitions
     */
    default void onRevoked(Collection<TopicPartition> partitions) {}

    /**
     * The buffer between the consumer and the downstream reached its bound: fetching stopped for
     * these partitions until the downstream catches up.
     *
     * @param partitions the partitions just paused
     * @param bufferedRecords the records buffered when pausing
     */
    default void onPaused(Collection<TopicPartition> partitions, int bufferedRecords) {}

    /**
     * The downstream caught up (the buffer is at most half full): fetching resumed.
     *
     * @param partitions the partitions just resumed
     */
    default void onResumed(Collection<TopicPartition> partitions) {}

    /**
     * Offsets were committed synchronously to the group.
     *
     * @param offsets per partition, the offset of the next record to read (last finished + 1)
     */
    default void onCommitted(Map<TopicPartition, OffsetAndMetadata> offsets) {}
}
