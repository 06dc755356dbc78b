package dev.coflow;

import org.reactivestreams.Publisher;
import org.reactivestreams.tck.PublisherVerification;

/**
 * The Reactive Streams TCK (every required and optional rule) against {@code toReactiveStreams()}
 * (the {@code org.reactivestreams.Publisher}) over a generator body.
 */
public class PublishersReactiveStreamsTckTest extends PublisherVerification<Integer> {
    public PublishersReactiveStreamsTckTest() {
        super(PublishersTck.env());
    }

    @Override
    public Publisher<Integer> createPublisher(long elements) {
        return PublishersTck.generator(elements).toReactiveStreams();
    }

    @Override
    public Publisher<Integer> createFailedPublisher() {
        return PublishersTck.failing().toReactiveStreams();
    }
}
