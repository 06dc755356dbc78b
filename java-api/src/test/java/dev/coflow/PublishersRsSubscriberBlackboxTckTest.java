package dev.coflow;

import org.reactivestreams.Subscriber;
import org.reactivestreams.tck.SubscriberBlackboxVerification;

/** The TCK's subscriber blackbox verification against the subscriber behind {@code fromReactiveStreams}. */
public class PublishersRsSubscriberBlackboxTckTest extends SubscriberBlackboxVerification<Integer> {
    public PublishersRsSubscriberBlackboxTckTest() {
        super(PublishersTck.env());
    }

    @Override
    public Subscriber<Integer> createSubscriber() {
        return new PublishersTck.Consumed(PublishersSubscriber.DEFAULT_BATCH, false).subscriber;
    }

    @Override
    public Integer createElement(int element) {
        return element;
    }
}
