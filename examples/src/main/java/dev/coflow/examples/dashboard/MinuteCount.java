package dev.coflow.examples.dashboard;

/**
 * How many checkouts happened in one minute of simulated time; an element of
 * {@link Stats#checkoutsPerMinute()}.
 *
 * @param minute the simulated minute, {@code "HH:mm"}
 * @param count checkouts in that minute
 */
public record MinuteCount(String minute, int count) {}
