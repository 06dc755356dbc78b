package dev.coflow.examples.dashboard;

import java.io.Console;
import java.io.PrintStream;
import java.util.List;

/**
 * The dashboard's terminal output. On a terminal the live block (a few lines of statistics) is
 * redrawn in place with ANSI escapes and other output scrolls above it; anywhere else (CI, a pipe,
 * a test) every rendering is appended as plain lines and no escape is written.
 */
final class LiveView {
    private static final String UP_AND_CLEAR = "\033[%dF\033[J";

    private final PrintStream out;
    private final boolean ansi;
    private List<String> block = List.of();

    LiveView(PrintStream out, boolean ansi) {
        this.out = out;
        this.ansi = ansi;
    }

    /** Whether {@code out} is the process's standard output and that is a terminal. */
    static boolean isTerminal(PrintStream out) {
        Console console = System.console();
        if (out != System.out || console == null) {
            return false;
        }
        try { // JDK 22+: System.console() is not null for a pipe either; ask isTerminal()
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: a console exists only for a terminal
        }
    }

    boolean ansi() {
        return ansi;
    }

    /** Prints a line of ordinary output (above the live block on a terminal). */
    synchronized void println(String line) {
        if (ansi && !block.isEmpty()) {
            out.printf(UP_AND_CLEAR, block.size());
            out.println(line);
            block.forEach(out::println);
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Shows {@code s}: redrawn in place on a terminal, appended elsewhere. */
    synchronized void render(Stats s) {
        List<String> lines = List.of("  live  " + s.line(), "        " + s.chart(), "        last: " + s.lastEvent());
        if (ansi) {
            if (!block.isEmpty()) {
                out.printf(UP_AND_CLEAR, block.size());
            }
            lines.forEach(out::println);
            block = lines;
        } else {
            out.println(lines.getFirst());
        }
        out.flush();
    }

    /** Leaves the last block on screen; later output goes below it. */
    synchronized void stop() {
        block = List.of();
    }
}
