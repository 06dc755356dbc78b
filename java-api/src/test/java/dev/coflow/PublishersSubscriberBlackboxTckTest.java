package dev.coflow;

import java.util.concurrent.Flow;
import org.reactivestreams.tck.flow.FlowSubscriberBlackboxVerification;

/** The TCK's subscriber blackbox verification against the JDK subscriber behind {@code fromPublisher}. */
public class PublishersSubscriberBlackboxTckTest extends FlowSubscriberBlackboxVerification<Integer> {
    public PublishersSubscriberBlackboxTckTest() {
        super(PublishersTck.env());
    }

    @Override
    public Flow.Subscriber<Integer> createFlowSubscriber() {
        return new PublishersTck.Consumed(PublishersSubscriber.DEFAULT_BATCH, false).subscriber;
    }

    @Override
    public Integer createElement(int element) {
        return element;
    }
}
