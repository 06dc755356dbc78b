package dev.coflow;

import java.util.concurrent.Flow;
import org.reactivestreams.tck.flow.FlowPublisherVerification;

/** The Reactive Streams TCK (every required and optional rule) against {@code toPublisher()} over a generator behind {@code buffer(4)}. */
public class PublishersBufferedTckTest extends FlowPublisherVerification<Integer> {
    public PublishersBufferedTckTest() {
        super(PublishersTck.env());
    }

    @Override
    public Flow.Publisher<Integer> createFlowPublisher(long elements) {
        return PublishersTck.generator(elements).buffer(4).toPublisher();
    }

    @Override
    public Flow.Publisher<Integer> createFailedFlowPublisher() {
        return PublishersTck.failing().buffer(4).toPublisher();
    }
}
