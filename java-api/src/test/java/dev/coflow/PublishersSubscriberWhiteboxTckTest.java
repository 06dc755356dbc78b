package dev.coflow;

import java.util.concurrent.Flow;
import org.reactivestreams.tck.SubscriberWhiteboxVerification.WhiteboxSubscriberProbe;
import org.reactivestreams.tck.flow.FlowSubscriberWhiteboxVerification;

/**
 * The TCK's subscriber whitebox verification against the JDK subscriber behind
 * {@code fromPublisher}, requesting 2 at a time so that its demand follows its consumer.
 */
public class PublishersSubscriberWhiteboxTckTest extends FlowSubscriberWhiteboxVerification<Integer> {
    public PublishersSubscriberWhiteboxTckTest() {
        super(PublishersTck.env());
    }

    @Override
    protected Flow.Subscriber<Integer> createFlowSubscriber(WhiteboxSubscriberProbe<Integer> probe) {
        return PublishersTck.probed(new PublishersTck.Consumed(2, true), probe);
    }

    @Override
    public Integer createElement(int element) {
        return element;
    }
}
