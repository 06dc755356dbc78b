package dev.coflow.examples.dashboard;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Running counters over the event stream, folded with {@code scan}: total events, the events of
 * the last second (for the rate) and the latest event. Immutable.
 *
 * @param events how many events so far
 * @param recentNanos the times of the events in the last second, oldest first
 * @param day the simulated day of the latest event
 * @param last a description of the latest event, or {@code "-"}
 */
public record Activity(long events, List<Long> recentNanos, LocalDate day, String last) {
    private static final long WINDOW_NANOS = 1_000_000_000L;

    /** Before the first event. */
    public static Activity start(LocalDate day) {
        return new Activity(0, List.of(), day, "-");
    }

    /** This activity plus {@code e}. */
    public Activity record(LibraryEvent e) {
        List<Long> recent = new ArrayList<>(recentNanos.size() + 1);
        for (long t : recentNanos) {
            if (e.atNanos() - t < WINDOW_NANOS) {
                recent.add(t);
            }
        }
        recent.add(e.atNanos());
        return new Activity(events + 1, List.copyOf(recent), e.day(), e.toString());
    }

    /** Events in the one-second window ending at the latest event. */
    public double eventsPerSecond() {
        return recentNanos.size();
    }
}
