package dev.coflow;

import java.util.concurrent.Flow;
import org.reactivestreams.tck.flow.FlowPublisherVerification;

/** The Reactive Streams TCK (every required and optional rule) against {@code toPublisher()} over {@code AsyncFlow.fromIterable}. */
public class PublishersIterableTckTest extends FlowPublisherVerification<Integer> {
    public PublishersIterableTckTest() {
        super(PublishersTck.env());
    }

    @Override
    public Flow.Publisher<Integer> createFlowPublisher(long elements) {
        return PublishersTck.iterable(elements).toPublisher();
    }

    @Override
    public Flow.Publisher<Integer> createFailedFlowPublisher() {
        return PublishersTck.failing().toPublisher();
    }
}
