package dev.coflow.examples.dashboard;

import java.util.List;

/**
 * One snapshot of the dashboard, served as JSON by {@code GET /stats} and streamed by
 * {@code GET /events} ({@code data: <this record as JSON>}); the web page reads these field names.
 *
 * @param day the simulated library day
 * @param booksTotal books in the catalogue
 * @param booksOut books checked out now
 * @param overdue checked-out books past their due date
 * @param topBorrowers the members with the most checkouts, most first
 * @param events log lines followed so far (checkouts, returns, logins, logouts)
 * @param eventsPerSecond events in the last second
 * @param lastEvent the latest event, or {@code "-"}
 * @param checkoutsPerMinute checkouts per simulated minute, the last {@value Activity#MINUTES}
 *     minutes, oldest first
 * @param overdueBooks the most overdue books, at most {@value LibraryDb#OVERDUE_SHOWN}, most overdue
 *     first
 */
public record Stats(
        String day,
        int booksTotal,
        int booksOut,
        int overdue,
        List<Borrower> topBorrowers,
        long events,
        double eventsPerSecond,
        String lastEvent,
        List<MinuteCount> checkoutsPerMinute,
        List<OverdueBook> overdueBooks) {

    /** Copies the lists. */
    public Stats {
        topBorrowers = List.copyOf(topBorrowers);
        checkoutsPerMinute = List.copyOf(checkoutsPerMinute);
        overdueBooks = List.copyOf(overdueBooks);
    }

    /**
     * One line for a terminal.
     *
     * @return the headline numbers
     */
    public String line() {
        String top = topBorrowers.isEmpty()
                ? "-"
                : topBorrowers.getFirst().name() + " ("
                        + topBorrowers.getFirst().checkouts() + ")";
        return String.format(
                "%s | out %d/%d | overdue %d | %4.0f events/s | %5d events | top borrower %s",
                day, booksOut, booksTotal, overdue, eventsPerSecond, events, top);
    }

    /**
     * The checkouts of the last minutes as a bar chart line, for a terminal.
     *
     * @return e.g. {@code "checkouts/min 09:00..09:29 .:=+*#%@"}, one character per minute
     */
    public String chart() {
        if (checkoutsPerMinute.isEmpty()) {
            return "checkouts/min -";
        }
        String bars = " .:-=+*#%@";
        int max = checkoutsPerMinute.stream().mapToInt(MinuteCount::count).max().orElse(1);
        StringBuilder sb = new StringBuilder();
        for (MinuteCount m : checkoutsPerMinute) {
            sb.append(bars.charAt(max == 0 ? 0 : Math.round(m.count() * 9f / max)));
        }
        return "checkouts/min " + checkoutsPerMinute.getFirst().minute() + ".."
                + checkoutsPerMinute.getLast().minute() + " " + sb;
    }
}
