package dev.coflow.examples.dashboard;

/**
 * A member and how many books they have checked out since the library opened.
 *
 * @param name the member's name
 * @param checkouts number of checkouts
 */
public record Borrower(String name, int checkouts) {}
