package dev.coflow.examples.dashboard;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Running counters over the followed checkout log, folded with {@code scan}: events by kind, the
 * events of the last (real) second for the rate, checkouts per simulated minute for the last
 * {@value #MINUTES} minutes, and the latest event. Immutable; the result does not depend on the
 * order in which the three sources' lines arrived.
 *
 * @param events how many log lines so far
 * @param checkouts how many of them were checkouts
 * @param returns how many were returns
 * @param activeSessions logins minus logouts
 * @param recentNanos the real times ({@link System#nanoTime()}) the lines of the last second were read
 * @param day the simulated day of the latest event time seen
 * @param latest the latest simulated time seen, or {@code null} before the first event
 * @param perMinute checkouts per simulated minute within the window ending at {@code latest}
 * @param last a description of the latest event, or {@code "-"}
 */
public record Activity(
        long events,
        long checkouts,
        long returns,
        long activeSessions,
        List<Long> recentNanos,
        LocalDate day,
        LocalDateTime latest,
        Map<LocalDateTime, Integer> perMinute,
        String last) {
    /** How many simulated minutes {@link #checkoutsPerMinute()} covers. */
    public static final int MINUTES = 30;

    private static final long WINDOW_NANOS = 1_000_000_000L;

    /** Copies the collections. */
    public Activity {
        recentNanos = List.copyOf(recentNanos);
        perMinute = Map.copyOf(perMinute);
    }

    /**
     * Before the first event.
     *
     * @param day the simulated day of the latest event time seen
     * @return no events yet
     */
    public static Activity start(LocalDate day) {
        return new Activity(0, 0, 0, 0, List.of(), day, null, Map.of(), "-");
    }

    /**
     * This activity plus {@code e}, read now.
     *
     * @param e the event
     * @return the new counters
     */
    public Activity record(LibraryEvent e) {
        long now = System.nanoTime();
        List<Long> recent = new ArrayList<>(recentNanos.size() + 1);
        for (long t : recentNanos) {
            if (now - t < WINDOW_NANOS) {
                recent.add(t);
            }
        }
        recent.add(now);
        LocalDateTime newest = latest == null || e.at().isAfter(latest) ? e.at() : latest;
        LocalDateTime from = newest.truncatedTo(ChronoUnit.MINUTES).minusMinutes(MINUTES - 1);
        Map<LocalDateTime, Integer> minutes = new TreeMap<>();
        perMinute.forEach((m, n) -> {
            if (!m.isBefore(from)) {
                minutes.put(m, n);
            }
        });
        LocalDateTime minute = e.at().truncatedTo(ChronoUnit.MINUTES);
        if (e.kind() == LibraryEvent.Kind.CHECKOUT) {
            if (!minute.isBefore(from)) {
                minutes.merge(minute, 1, Integer::sum);
            }
        }
        return new Activity(
                events + 1,
                checkouts + (e.kind() == LibraryEvent.Kind.CHECKOUT ? 1 : 0),
                returns + (e.kind() == LibraryEvent.Kind.RETURN ? 1 : 0),
                activeSessions
                        + switch (e.kind()) {
                            case LOGIN -> 1;
                            case LOGOUT -> -1;
                            default -> 0;
                        },
                recent,
                newest.toLocalDate(),
                newest,
                minutes,
                e.toString());
    }

    /**
     * Events read in the last second.
     *
     * @return the rate
     */
    public double eventsPerSecond() {
        return recentNanos.size();
    }

    /**
     * Checkouts per minute of the last {@value #MINUTES} simulated minutes (minutes without any
     * included as 0), oldest first; empty before the first event.
     *
     * @return the chart's bars
     */
    public List<MinuteCount> checkoutsPerMinute() {
        if (latest == null) {
            return List.of();
        }
        List<MinuteCount> bars = new ArrayList<>(MINUTES);
        LocalDateTime end = latest.truncatedTo(ChronoUnit.MINUTES);
        for (LocalDateTime m = end.minusMinutes(MINUTES - 1); !m.isAfter(end); m = m.plusMinutes(1)) {
            bars.add(new MinuteCount(m.toLocalTime().toString(), perMinute.getOrDefault(m, 0)));
        }
        return bars;
    }
}
