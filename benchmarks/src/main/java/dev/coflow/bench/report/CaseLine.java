package dev.coflow.bench.report;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of {@code benchmarks/cases.txt}: a (case, anchor) pair to compare, and its target.
 *
 * <p>Format, whitespace separated, {@code #} starts a comment:
 * {@code case  coflowBenchmark  anchorBenchmark  target}, benchmarks named {@code Class.method},
 * target {@code <=1.5} (coflow time at most 1.5x the anchor's), {@code >=x}, or {@code -} (report only).
 *
 * @param caseName the row's name in the table
 * @param coflow the coflow benchmark
 * @param anchor the anchor benchmark
 * @param target the target as written
 */
record CaseLine(String caseName, String coflow, String anchor, String target) {

    /** Parses the whole file. */
    static List<CaseLine> parse(String text) {
        List<CaseLine> lines = new ArrayList<>();
        int number = 0;
        for (String raw : text.split("\n")) {
            number++;
            int hash = raw.indexOf('#');
            String line = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\\s+");
            if (f.length != 4) {
                throw new IllegalArgumentException("cases.txt line " + number
                        + ": expected 4 fields 'case coflowBenchmark anchorBenchmark target', got: " + raw);
            }
            CaseLine c = new CaseLine(f[0], f[1], f[2], f[3]);
            c.met(1.0); // validates the target
            lines.add(c);
        }
        return lines;
    }

    /** {@code "yes"}/{@code "no"} for {@code ratio} against the target, {@code "n/a"} without one. */
    String met(double ratio) {
        if (target.equals("-")) {
            return "n/a";
        }
        if (Double.isNaN(ratio)) {
            return "no";
        }
        return (target.startsWith("<=") ? ratio <= bound() : ratio >= bound()) ? "yes" : "no";
    }

    /** True if the target lies inside {@code [low, high]}: the measurement cannot decide it. */
    boolean undecided(double low, double high) {
        if (target.equals("-")) {
            return false;
        }
        double b = bound();
        return low <= b && b <= high;
    }

    private double bound() {
        if (!target.startsWith("<=") && !target.startsWith(">=")) {
            throw new IllegalArgumentException(
                    "target '" + target + "' of case " + caseName + ": write <=x, >=x or - (no target)");
        }
        try {
            return Double.parseDouble(target.substring(2));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "target '" + target + "' of case " + caseName + ": the bound after <= or >= must be a number", e);
        }
    }
}
