package dev.coflow;

import java.util.concurrent.Flow;
import org.reactivestreams.tck.flow.FlowPublisherVerification;

/** The Reactive Streams TCK (every required and optional rule) against {@code toPublisher()} over {@code AsyncFlow.range}. */
public class PublishersRangeTckTest extends FlowPublisherVerification<Integer> {
    public PublishersRangeTckTest() {
        super(PublishersTck.env());
    }

    @Override
    public Flow.Publisher<Integer> createFlowPublisher(long elements) {
        return PublishersTck.range(elements).toPublisher();
    }

    @Override
    public Flow.Publisher<Integer> createFailedFlowPublisher() {
        return PublishersTck.failing().toPublisher();
    }
}
