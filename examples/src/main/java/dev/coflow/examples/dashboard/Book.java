package dev.coflow.examples.dashboard;

/**
 * A catalogue entry.
 *
 * @param id the book's id
 * @param title its title
 * @param author its author
 */
public record Book(int id, String title, String author) {}
