package dev.coflow.examples.dashboard;

/**
 * A book still out after its due date; an element of {@link Stats#overdueBooks()}.
 *
 * @param title the book
 * @param member who has it
 * @param daysOverdue days past the due date, as of the simulated day
 */
public record OverdueBook(String title, String member, int daysOverdue) {}
