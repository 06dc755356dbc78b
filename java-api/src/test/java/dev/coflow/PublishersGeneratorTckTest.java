package dev.coflow;

import java.util.concurrent.Flow;
import org.reactivestreams.tck.flow.FlowPublisherVerification;

/** The Reactive Streams TCK (every required and optional rule) against {@code toPublisher()} over a generator body. */
public class PublishersGeneratorTckTest extends FlowPublisherVerification<Integer> {
    public PublishersGeneratorTckTest() {
        super(PublishersTck.env());
    }

    @Override
    public Flow.Publisher<Integer> createFlowPublisher(long elements) {
        return PublishersTck.generator(elements).toPublisher();
    }

    @Override
    public Flow.Publisher<Integer> createFailedFlowPublisher() {
        return PublishersTck.failing().toPublisher();
    }
}
