package dev.coflow.examples.dashboard;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

/**
 * One circulation event of the simulation, as written to (and read back from) the checkout log:
 * one tab-separated line per event.
 *
 * @param kind what happened
 * @param at the simulated time
 * @param member the member's name
 * @param title the book's title, or {@code "-"} for a session event
 * @param due the loan's due date (checkouts and returns), or {@code null}
 * @param returned the return date (returns only), or {@code null}
 */
public record LibraryEvent(
        Kind kind, LocalDateTime at, String member, String title, LocalDate due, LocalDate returned) {
    /** What happened. */
    public enum Kind {
        /** A member borrowed a book. */
        CHECKOUT,
        /** A member brought a book back. */
        RETURN,
        /** A member signed in to the library's website (an active session starts). */
        LOGIN,
        /** A member signed out (the session ends). */
        LOGOUT
    }

    /** The simulated day. */
    public LocalDate day() {
        return at.toLocalDate();
    }

    /** Days the book came back after its due date (0 if on time or not a return). */
    public int daysLate() {
        return kind == Kind.RETURN && returned.isAfter(due) ? (int) ChronoUnit.DAYS.between(due, returned) : 0;
    }

    /** The log line, without the line separator. */
    public String toLogLine() {
        return at + "\t" + kind + "\t" + member + "\t" + title + "\t" + (due == null ? "-" : due) + "\t"
                + (returned == null ? "-" : returned);
    }

    /**
     * Parses a line of the checkout log.
     *
     * @param line a line written by {@link #toLogLine()}
     * @return the event
     * @throws IllegalArgumentException if the line is not a log line
     */
    public static LibraryEvent parse(String line) {
        String[] f = line.split("\t", -1);
        if (f.length != 6) {
            throw new IllegalArgumentException("not a checkout log line (6 tab-separated fields): " + line);
        }
        return new LibraryEvent(
                Kind.valueOf(f[1]),
                LocalDateTime.parse(f[0]),
                f[2],
                f[3],
                f[4].equals("-") ? null : LocalDate.parse(f[4]),
                f[5].equals("-") ? null : LocalDate.parse(f[5]));
    }

    /** The simulated minute, {@code "HH:mm"}. */
    public String minute() {
        return at.toLocalTime().truncatedTo(ChronoUnit.MINUTES).toString();
    }

    /** The simulated time of day. */
    public LocalTime time() {
        return at.toLocalTime();
    }

    @Override
    public String toString() {
        String what = switch (kind) {
            case CHECKOUT -> " borrowed \"" + title + "\"";
            case RETURN -> " returned \"" + title + "\"" + (daysLate() > 0 ? " (" + daysLate() + " days late)" : "");
            case LOGIN -> " signed in";
            case LOGOUT -> " signed out";
        };
        return at.toLocalTime() + " " + member + what;
    }
}
