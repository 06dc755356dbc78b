package dev.coflow.examples.dashboard;

import java.util.List;

/**
 * One snapshot of the dashboard, served as JSON by {@code GET /stats} and streamed by
 * {@code GET /events}.
 *
 * @param day the simulated library day
 * @param booksTotal books in the catalogue
 * @param booksOut books checked out now
 * @param overdue checked-out books past their due date
 * @param topBorrowers the members with the most checkouts, most first
 * @param events events simulated so far
 * @param eventsPerSecond events in the last second
 * @param lastEvent the latest event, or {@code "-"}
 */
public record Stats(
        String day,
        int booksTotal,
        int booksOut,
        int overdue,
        List<Borrower> topBorrowers,
        long events,
        double eventsPerSecond,
        String lastEvent) {

    /** One line for a terminal. */
    public String line() {
        String top = topBorrowers.isEmpty()
                ? "-"
                : topBorrowers.getFirst().name() + " ("
                        + topBorrowers.getFirst().checkouts() + ")";
        return String.format(
                "%s | out %2d/%d | overdue %2d | %4.0f events/s | %4d events | top borrower %s",
                day, booksOut, booksTotal, overdue, eventsPerSecond, events, top);
    }
}
