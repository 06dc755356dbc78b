package dev.coflow.examples.dashboard;

import java.time.LocalDate;

/**
 * One simulated circulation event, already written to the database.
 *
 * @param kind checkout or return
 * @param day the simulated library day it happened on
 * @param member who borrowed or returned
 * @param title the book
 * @param atNanos when it happened ({@link System#nanoTime()}), for the events-per-second rate
 */
public record LibraryEvent(Kind kind, LocalDate day, String member, String title, long atNanos) {
    /** What happened. */
    public enum Kind {
        /** A member borrowed a book. */
        CHECKOUT,
        /** A member brought a book back. */
        RETURN
    }

    @Override
    public String toString() {
        return day + " " + member + (kind == Kind.CHECKOUT ? " borrowed " : " returned ") + "\"" + title + "\"";
    }
}
