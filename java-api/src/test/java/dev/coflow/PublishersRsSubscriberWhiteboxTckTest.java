package dev.coflow;

import org.reactivestreams.Subscriber;
import org.reactivestreams.tck.SubscriberWhiteboxVerification;

/**
 * The TCK's subscriber whitebox verification against the subscriber behind
 * {@code fromReactiveStreams}, requesting 2 at a time so that its demand follows its consumer.
 */
public class PublishersRsSubscriberWhiteboxTckTest extends SubscriberWhiteboxVerification<Integer> {
    public PublishersRsSubscriberWhiteboxTckTest() {
        super(PublishersTck.env());
    }

    @Override
    public Subscriber<Integer> createSubscriber(WhiteboxSubscriberProbe<Integer> probe) {
        return PublishersTck.probedRs(new PublishersTck.Consumed(2, true), probe);
    }

    @Override
    public Integer createElement(int element) {
        return element;
    }
}
