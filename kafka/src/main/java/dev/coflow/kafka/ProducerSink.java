package dev.coflow.kafka;

import dev.coflow.AsyncFlow;
import dev.coflow.Emitter;
import dev.coflow.bridge.Suspend;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import kotlinx.coroutines.flow.Flow;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Serializer;

/** {@link KafkaFlows#produce}: one producer per collection, a FIFO of the sends awaiting the broker. */
final class ProducerSink {

    private ProducerSink() {}

    static <K, V> AsyncFlow<RecordMetadata> produce(
            Properties props,
            Flow<? extends ProducerRecord<K, V>> records,
            Serializer<K> keySerializer,
            Serializer<V> valueSerializer,
            int maxInFlight) {
        return AsyncFlow.defer(() -> {
            KafkaProducer<K, V> producer = new KafkaProducer<>(props, keySerializer, valueSerializer);
            ArrayDeque<CompletableFuture<RecordMetadata>> inFlight = new ArrayDeque<>();
            AsyncFlow<RecordMetadata> sends = AsyncFlow.<ProducerRecord<K, V>>from(records)
                    .transform((ProducerRecord<K, V> record, Emitter<RecordMetadata> emitter) -> {
                        while (inFlight.size() >= maxInFlight) {
                            emitter.emit(Suspend.await(inFlight.pollFirst()));
                        }
                        CompletableFuture<RecordMetadata> sent = new CompletableFuture<>();
                        producer.send(record, (metadata, error) -> {
                            if (error != null) {
                                sent.completeExceptionally(error);
                            } else {
                                sent.complete(metadata);
                            }
                        });
                        inFlight.addLast(sent);
                        while (!inFlight.isEmpty() && inFlight.peekFirst().isDone()) {
                            emitter.emit(Suspend.await(inFlight.pollFirst()));
                        }
                    });
            AsyncFlow<RecordMetadata> rest = AsyncFlow.generate(emitter -> {
                producer.flush();
                while (!inFlight.isEmpty()) {
                    emitter.emit(Suspend.await(inFlight.pollFirst()));
                }
            });
            return AsyncFlow.concat(sends, rest).onCompletion(error -> {
                if (error == null) {
                    producer.close();
                } else {
                    producer.close(Duration.ZERO);
                }
            });
        });
    }
}
