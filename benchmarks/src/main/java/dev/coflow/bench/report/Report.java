package dev.coflow.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a JMH JSON result file into the ratio table of issue 6: printed, and written to
 * {@code RESULTS.md} and {@code results.csv}. Rows come from {@code cases.txt} ({@link CaseLine});
 * a row whose coflow benchmark is not in the results is listed as pending, never dropped.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.coflow.bench.report.Report <jmh.json> <cases.txt> <outDir> [label] [--extra=<file.json>]...}
 *
 * <p>Each {@code --extra=} file holds more results in the same JSON shape as JMH's (an array of
 * objects with {@code benchmark}, {@code params} and {@code primaryMetric}); they are merged
 * after JMH's. {@code MemoryProbe} writes one: its results are in bytes ({@code scoreUnit}
 * {@code B/collection}), shown with a {@code B} suffix. A missing extra file is skipped with a
 * note (the probe was not selected in this run). If {@code <outDir>/NOTES.md} exists, it is
 * appended to {@code RESULTS.md} (hand-written notes on the rows that miss their targets).
 */
public final class Report {
    static final String CSV_HEADER = "case,coflow_ns,anchor,anchor_ns,ratio,target,met";

    /** One compared pair. */
    record Row(CaseLine line, Measurement coflow, Measurement anchor) {
        double ratio() {
            return coflow.ns() / anchor.ns();
        }

        /** Error of the ratio from both relative errors (first-order propagation). */
        double ratioError() {
            double a = coflow.error() / coflow.ns();
            double b = anchor.error() / anchor.ns();
            return ratio() * Math.sqrt(a * a + b * b);
        }
    }

    /** What a results file and a case list make together. */
    record Table(List<Row> rows, List<CaseLine> pending, List<String> problems) {
        static Table of(List<CaseLine> lines, List<Measurement> results) {
            List<Row> rows = new ArrayList<>();
            List<CaseLine> pending = new ArrayList<>();
            List<String> problems = new ArrayList<>();
            for (CaseLine line : lines) {
                List<Measurement> coflows = results.stream()
                        .filter(m -> m.name().equals(line.coflow()))
                        .toList();
                if (coflows.isEmpty()) {
                    pending.add(line);
                    continue;
                }
                for (Measurement c : coflows) {
                    Measurement a = results.stream()
                            .filter(m -> m.name().equals(line.anchor()) && c.sameShared(m))
                            .findFirst()
                            .orElse(null);
                    if (a == null) {
                        problems.add("case " + line.caseName() + ": anchor " + line.anchor() + " was not run (with "
                                + c.params() + "); include it in the JMH selection");
                    } else {
                        rows.add(new Row(line, c, a));
                    }
                }
            }
            return new Table(rows, pending, problems);
        }
    }

    private Report() {}

    /**
     * Entry point, see the class comment.
     *
     * @param args {@code <jmh.json> <cases.txt> <outDir> [label] [--extra=<file.json>]...}
     * @throws IOException if a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        List<String> positional = new ArrayList<>();
        List<Path> extras = new ArrayList<>();
        Path loadJson = null;
        for (String a : args) {
            if (a.startsWith("--extra=")) {
                extras.add(Path.of(a.substring("--extra=".length())));
            } else if (a.startsWith("--load=")) {
                loadJson = Path.of(a.substring("--load=".length()));
            } else {
                positional.add(a);
            }
        }
        if (positional.size() < 3) {
            System.err.println("usage: Report <jmh.json> <cases.txt> <outDir> [label] [--extra=<file.json>]...");
            System.exit(2);
        }
        Path json = Path.of(positional.get(0));
        Path out = Path.of(positional.get(2));
        String label = positional.size() > 3 ? positional.get(3) : "";
        String jsonText = Files.readString(json);
        List<Measurement> results = new ArrayList<>(Measurement.fromJmhJson(jsonText));
        for (Path extra : extras) {
            if (Files.exists(extra)) {
                results.addAll(Measurement.fromJmhJson(Files.readString(extra)));
            } else {
                System.out.println("(no " + extra + ": those results were not run)");
            }
        }
        List<CaseLine> lines = CaseLine.parse(Files.readString(Path.of(positional.get(1))));
        Table table = Table.of(lines, results);
        RunInfo info = RunInfo.from(jsonText);

        Table loaded = null;
        if (loadJson != null && Files.exists(loadJson)) {
            loaded = Table.of(lines, Measurement.fromJmhJson(Files.readString(loadJson)));
        }
        System.out.println(text(table, results));
        String csv = csv(table);
        String md = markdown(table, results, info, label);
        if (loaded != null) {
            System.out.println(loadText(table, loaded));
            csv += csvRows(loaded, "@load");
            md = md.replace(EVERY_MEASUREMENT, loadMarkdown(table, loaded) + EVERY_MEASUREMENT);
        }
        Files.writeString(out.resolve("results.csv"), csv);
        Path notes = out.resolve("NOTES.md");
        if (Files.exists(notes)) { // hand-written: what limits the rows that miss, and what would close the gap
            md += "\n## Notes (from `benchmarks/NOTES.md`)\n\n"
                    + Files.readString(notes).replaceFirst("^# [^\n]*\n+", "");
        }
        Files.writeString(out.resolve("RESULTS.md"), md);
        System.out.println("wrote " + out.resolve("RESULTS.md") + " and " + out.resolve("results.csv"));
    }

    // ---- outputs ---------------------------------------------------------------------------

    static String csv(Table t) {
        return CSV_HEADER + "\n" + csvRows(t, "");
    }

    /** One CSV line per row; {@code suffix} is appended to the case name (the loaded run's rows). */
    static String csvRows(Table t, String suffix) {
        StringBuilder sb = new StringBuilder();
        for (Row r : t.rows()) {
            sb.append(String.join(
                            ",",
                            r.line().caseName() + suffix,
                            num(r.coflow().ns()),
                            r.line().anchor(),
                            num(r.anchor().ns()),
                            num(r.ratio()),
                            r.line().target(),
                            r.line().met(r.ratio())))
                    .append('\n');
        }
        return sb.toString();
    }

    static final String EVERY_MEASUREMENT = "## Every measurement\n\n";

    /** Issue 13's rule: no row's ratio may get more than this many times worse under load. */
    static final double LOAD_FACTOR_TARGET = 3.0;

    /** The rows measured both quiet and under load, paired by case, benchmarks and parameters. */
    static List<Row[]> pairs(Table quiet, Table loaded) {
        List<Row[]> out = new ArrayList<>();
        for (Row l : loaded.rows()) {
            for (Row q : quiet.rows()) {
                if (q.line().equals(l.line())
                        && q.coflow().label().equals(l.coflow().label())
                        && q.anchor().label().equals(l.anchor().label())) {
                    out.add(new Row[] {q, l});
                    break;
                }
            }
        }
        return out;
    }

    static String loadText(Table quiet, Table loaded) {
        StringBuilder sb = new StringBuilder("Under load (ratio quiet -> loaded, how many times worse; target <= "
                + num(LOAD_FACTOR_TARGET) + "):\n");
        for (Row[] p : pairs(quiet, loaded)) {
            double factor = p[1].ratio() / p[0].ratio();
            sb.append(String.format(
                    Locale.ROOT,
                    "%-22s %-44s %10sx -> %10sx  %7sx %s%n",
                    p[0].line().caseName(),
                    p[0].coflow().label() + " / " + p[0].line().anchor(),
                    num(p[0].ratio()),
                    num(p[1].ratio()),
                    num(factor),
                    factor <= LOAD_FACTOR_TARGET ? "ok" : "WORSE"));
        }
        return sb.toString();
    }

    static String loadMarkdown(Table quiet, Table loaded) {
        StringBuilder sb = new StringBuilder("## Under load\n\n");
        sb.append(
                        "The load set again, while one busy loop per core keeps the machine loaded (`benchmarks/run --load`). ")
                .append("`worse` = loaded ratio / quiet ratio; issue 13's rule: at most ")
                .append(num(LOAD_FACTOR_TARGET))
                .append("x. `met` judges the loaded ratio against the row's own target.\n\n");
        sb.append(
                "| case | coflow | anchor | ratio quiet | ratio loaded | coflow ns loaded | worse | target | met |\n");
        sb.append("| --- | --- | --- | ---: | ---: | ---: | ---: | --- | --- |\n");
        for (Row[] p : pairs(quiet, loaded)) {
            double factor = p[1].ratio() / p[0].ratio();
            sb.append("| ")
                    .append(p[0].line().caseName())
                    .append(" | `")
                    .append(p[0].coflow().label())
                    .append("` | `")
                    .append(p[0].line().anchor())
                    .append("` | ")
                    .append(pm(p[0].ratio(), p[0].ratioError()))
                    .append("x | ")
                    .append(pm(p[1].ratio(), p[1].ratioError()))
                    .append("x | ")
                    .append(show(p[1].coflow()))
                    .append(" | ")
                    .append(num(factor))
                    .append("x ")
                    .append(factor <= LOAD_FACTOR_TARGET ? "(ok)" : "(no)")
                    .append(" | ")
                    .append(md(p[1].line().target()))
                    .append(" | ")
                    .append(metMark(p[1]))
                    .append(" |\n");
        }
        return sb.append('\n').toString();
    }

    static String text(Table t, List<Measurement> results) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                Locale.ROOT,
                "%-20s %-38s %18s  %-30s %18s %18s %7s %4s%n",
                "case",
                "coflow",
                "ns",
                "anchor",
                "ns",
                "ratio",
                "target",
                "met"));
        for (Row r : t.rows()) {
            sb.append(String.format(
                    Locale.ROOT,
                    "%-20s %-38s %18s  %-30s %18s %18s %7s %4s%n",
                    r.line().caseName(),
                    r.coflow().name(),
                    show(r.coflow()),
                    r.line().anchor(),
                    show(r.anchor()),
                    pm(r.ratio(), r.ratioError()) + "x",
                    r.line().target(),
                    metMark(r)));
        }
        for (CaseLine p : t.pending()) {
            sb.append(String.format(
                    Locale.ROOT,
                    "%-20s %-38s %18s  %-30s %18s %18s %7s %4s%n",
                    p.caseName(),
                    p.coflow(),
                    exists(p.coflow()) ? "(not run)" : "(not written yet)",
                    p.anchor(),
                    anchorNs(p, results),
                    "",
                    p.target(),
                    ""));
        }
        t.problems().forEach(p -> sb.append("PROBLEM: ").append(p).append('\n'));
        sb.append('\n')
                .append(String.format(
                        Locale.ROOT,
                        "%-44s %22s %-8s %24s%n",
                        "benchmark",
                        "ns ± 99.9% error",
                        "per",
                        "iterations min..max"));
        for (Measurement m : results) {
            sb.append(String.format(
                    Locale.ROOT,
                    "%-44s %22s %-8s %24s%n",
                    m.label(),
                    show(m),
                    m.per(),
                    num(m.min()) + ".." + num(m.max())));
        }
        return sb.toString();
    }

    static String markdown(Table t, List<Measurement> results, RunInfo info, String label) {
        StringBuilder sb = new StringBuilder();
        sb.append("# coflow benchmark results\n\n");
        sb.append("Generated by `benchmarks/run` ")
                .append(label.isEmpty() ? "" : "(" + label + ") ")
                .append("on ")
                .append(ZonedDateTime.now()
                        .truncatedTo(ChronoUnit.SECONDS)
                        .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
                .append(".\n")
                .append(
                        "Times are nanoseconds per element (per call for the bridge, per task for mapAsync, per invocation where noted); ")
                .append(
                        "values ending in B are bytes per suspended collection (the memory probe, not JMH: see README). ")
                .append("Each is the ")
                .append("mean ± a 99.9% confidence half-width (JMH's). Ratio = coflow / anchor, lower is better; ")
                .append("its error is propagated from both. Absolute times on a shared machine mean little: ")
                .append("compare ratios from the same run.\n\n");
        sb.append("- JDK: ").append(info.jdk()).append('\n');
        sb.append("- JVM flags: `")
                .append(info.jvmArgs().isEmpty() ? "(none)" : info.jvmArgs())
                .append("`\n");
        sb.append("- coflow fast paths (`-Dcoflow.*`): ")
                .append(info.coflowFlags().isEmpty() ? "none, defaults" : "`" + info.coflowFlags() + "`")
                .append('\n');
        sb.append("- JMH: ").append(info.settings()).append("\n\n");

        sb.append("## Ratios\n\n");
        sb.append("| case | coflow | ns | anchor | ns | ratio | target | met |\n");
        sb.append("| --- | --- | ---: | --- | ---: | ---: | --- | --- |\n");
        for (Row r : t.rows()) {
            sb.append("| ")
                    .append(r.line().caseName())
                    .append(" | `")
                    .append(r.coflow().label())
                    .append("` | ")
                    .append(show(r.coflow()))
                    .append(" | `")
                    .append(r.line().anchor())
                    .append("` | ")
                    .append(show(r.anchor()))
                    .append(" | ")
                    .append(pm(r.ratio(), r.ratioError()))
                    .append("x | ")
                    .append(md(r.line().target()))
                    .append(" | ")
                    .append(metMark(r))
                    .append(" |\n");
        }
        if (t.rows().isEmpty()) {
            sb.append("| (no coflow benchmark in this run) | | | | | | | |\n");
        }
        sb.append("\n`met`: judged on the mean; `yes?`/`no?` means the target lies inside the ratio's error bar, ")
                .append("so this run cannot decide it.\n\n");
        if (!t.pending().isEmpty()) {
            sb.append("## Pending rows (coflow benchmark not written yet, or not selected in this run)\n\n");
            sb.append(
                    "| case | coflow benchmark | status | anchor | anchor ns | target |\n| --- | --- | --- | --- | ---: | --- |\n");
            for (CaseLine p : t.pending()) {
                sb.append("| ")
                        .append(p.caseName())
                        .append(" | `")
                        .append(p.coflow())
                        .append("` | ")
                        .append(exists(p.coflow()) ? "not run" : "not written yet")
                        .append(" | `")
                        .append(p.anchor())
                        .append("` | ")
                        .append(anchorNs(p, results))
                        .append(" | ")
                        .append(md(p.target()))
                        .append(" |\n");
            }
            sb.append('\n');
        }
        if (!t.problems().isEmpty()) {
            sb.append("## Problems\n\n");
            t.problems().forEach(p -> sb.append("- ").append(p).append('\n'));
            sb.append('\n');
        }
        sb.append(EVERY_MEASUREMENT);
        sb.append("| benchmark | ns | per | iterations min..max | n |\n| --- | ---: | --- | --- | ---: |\n");
        for (Measurement m : results) {
            sb.append("| `")
                    .append(m.label())
                    .append("` | ")
                    .append(show(m))
                    .append(" | ")
                    .append(m.per())
                    .append(" | ")
                    .append(num(m.min()))
                    .append("..")
                    .append(num(m.max()))
                    .append(" | ")
                    .append(m.iterations())
                    .append(" |\n");
        }
        sb.append("\nA wide min..max (say 10x) means the benchmark switched between two regimes during the run ")
                .append("(for the bridge: spinning handoff vs park/unpark when both cores are busy); the mean then ")
                .append("depends on the machine's load.\n\n");
        sb.append("What each case and anchor measures: see `benchmarks/README.md`.\n");
        return sb.toString();
    }

    // ---- formatting ------------------------------------------------------------------------

    private static String metMark(Row r) {
        String met = r.line().met(r.ratio());
        if (met.equals("n/a")) {
            return met;
        }
        double e = Double.isNaN(r.ratioError()) ? Double.POSITIVE_INFINITY : r.ratioError();
        return r.line().undecided(r.ratio() - e, r.ratio() + e) ? met + "?" : met;
    }

    private static String anchorNs(CaseLine p, List<Measurement> results) {
        return results.stream()
                .filter(m -> m.name().equals(p.anchor()))
                .findFirst()
                .map(Report::show)
                .orElse("(not run)");
    }

    /** True if {@code Class.method} names a method of a class in {@code dev.coflow.bench}. */
    static boolean exists(String benchmark) {
        int dot = benchmark.lastIndexOf('.');
        if (dot < 0) {
            return false;
        }
        try {
            Class<?> type = Class.forName(
                    "dev.coflow.bench." + benchmark.substring(0, dot), false, Report.class.getClassLoader());
            String method = benchmark.substring(dot + 1);
            for (var m : type.getMethods()) {
                if (m.getName().equals(method)) {
                    return true;
                }
            }
            return false;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static String md(String s) {
        return s.replace("<", "&lt;").replace(">", "&gt;");
    }

    /** A measurement's mean ± error, with a {@code B} suffix for bytes (times are bare nanoseconds). */
    static String show(Measurement m) {
        return pm(m.ns(), m.error()) + (m.bytes() ? " B" : "");
    }

    static String pm(double value, double error) {
        return num(value) + " ± " + (Double.isNaN(error) ? "?" : num(error));
    }

    /** Three significant digits, plain notation. */
    static String num(double x) {
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            return "NaN";
        }
        double a = Math.abs(x);
        String f = a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, f, x);
    }

    /** The run's environment, as JMH recorded it in the result file. */
    record RunInfo(String jdk, String jvmArgs, String coflowFlags, String settings) {
        static RunInfo from(String json) {
            List<?> all = (List<?>) Json.parse(json);
            if (all.isEmpty()) {
                return new RunInfo("?", "", "", "?");
            }
            Map<?, ?> first = (Map<?, ?>) all.get(0);
            List<String> args = new ArrayList<>();
            if (first.get("jvmArgs") instanceof List<?> l) {
                l.forEach(a -> args.add(String.valueOf(a)));
            }
            String coflow = String.join(
                    " ", args.stream().filter(a -> a.startsWith("-Dcoflow.")).toList());
            String jdk = first.get("vmName") + " " + first.get("jdkVersion") + " (" + first.get("vmVersion") + ")";
            String settings = "forks " + str(first.get("forks")) + ", warmup " + str(first.get("warmupIterations"))
                    + " x " + first.get("warmupTime") + ", measurement " + str(first.get("measurementIterations"))
                    + " x " + first.get("measurementTime") + ", mode " + first.get("mode") + ", threads "
                    + str(first.get("threads"));
            return new RunInfo(jdk, String.join(" ", args), coflow, settings);
        }

        private static String str(Object number) {
            return number instanceof Double d ? String.valueOf(d.intValue()) : String.valueOf(number);
        }
    }
}
