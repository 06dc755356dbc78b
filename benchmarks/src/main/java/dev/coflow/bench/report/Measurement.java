package dev.coflow.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One JMH result, normalised to nanoseconds per element (or per call).
 *
 * <p>Normalisation: JMH measures one invocation; when the benchmark has a {@code @Param} named
 * {@code n} (elements), {@code k} (calls) or {@code tasks} (blocking calls of {@code MapAsyncBench}),
 * score, error and iteration values are divided by it.
 * A benchmark with neither is reported per invocation. (Do not also put
 * {@code @OperationsPerInvocation} on such a benchmark: that would divide twice.)
 *
 * @param name {@code SimpleClass.method}, as named in {@code cases.txt}
 * @param params the benchmark's {@code @Param} values
 * @param ns mean nanoseconds per unit (bytes for a memory result, see {@link #bytes()})
 * @param error JMH's 99.9% confidence half-width, same unit (NaN with a single iteration)
 * @param min the fastest measurement iteration
 * @param max the slowest measurement iteration
 * @param iterations number of measurement iterations over all forks
 * @param per what one unit is: {@code element}, {@code call}, {@code task} or {@code op}; for a
 *     memory result (JSON {@code scoreUnit} {@code B/<unit>}, from {@code MemoryProbe}) the values
 *     are bytes, not nanoseconds, and {@code per} is {@code "<unit> (bytes)"}
 */
record Measurement(
        String name,
        Map<String, String> params,
        double ns,
        double error,
        double min,
        double max,
        int iterations,
        String per) {
    /** Suffix of {@link #per} for a memory measurement, e.g. {@code "collection (bytes)"}. */
    static final String BYTES = "(bytes)";

    /** Reads every result of a JMH {@code -rf json} file. */
    static List<Measurement> fromJmhJson(String json) {
        Object root = Json.parse(json);
        if (!(root instanceof List<?> list)) {
            throw new IllegalArgumentException("JMH JSON must be an array of results");
        }
        List<Measurement> out = new ArrayList<>();
        for (Object item : list) {
            out.add(fromJmh((Map<?, ?>) item));
        }
        return out;
    }

    private static Measurement fromJmh(Map<?, ?> r) {
        String fqn = (String) r.get("benchmark");
        String[] parts = fqn.split("\\.");
        String name = parts.length >= 2 ? parts[parts.length - 2] + "." + parts[parts.length - 1] : fqn;
        Map<String, String> params = new TreeMap<>();
        if (r.get("params") instanceof Map<?, ?> p) {
            p.forEach((key, value) -> params.put(String.valueOf(key), String.valueOf(value)));
        }
        Map<?, ?> metric = (Map<?, ?>) r.get("primaryMetric");
        String unit = (String) metric.get("scoreUnit");
        if (unit != null && unit.startsWith("B/")) { // MemoryProbe: already bytes per unit, never divided
            return withRawData(name, params, metric, 1, unit.substring(2) + " " + BYTES);
        }
        double toNs = nanosPer(unit);
        String per = "op";
        double divisor = 1;
        if (params.containsKey("n")) {
            per = "element";
            divisor = Double.parseDouble(params.get("n"));
        } else if (params.containsKey("k")) {
            per = "call";
            divisor = Double.parseDouble(params.get("k"));
        } else if (params.containsKey("tasks")) {
            per = "task";
            divisor = Double.parseDouble(params.get("tasks"));
        }
        return withRawData(name, params, metric, toNs / divisor, per);
    }

    private static Measurement withRawData(
            String name, Map<String, String> params, Map<?, ?> metric, double scale, String per) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        int iterations = 0;
        if (metric.get("rawData") instanceof List<?> forks) {
            for (Object fork : forks) {
                for (Object v : (List<?>) fork) {
                    double x = Json.number(v);
                    min = Math.min(min, x);
                    max = Math.max(max, x);
                    iterations++;
                }
            }
        }
        if (iterations == 0) {
            min = max = Json.number(metric.get("score"));
        }
        return new Measurement(
                name,
                params,
                Json.number(metric.get("score")) * scale,
                Json.number(metric.get("scoreError")) * scale,
                min * scale,
                max * scale,
                iterations,
                per);
    }

    private static double nanosPer(String unit) {
        String time = unit == null ? "" : unit.split("/")[0];
        return switch (time) {
            case "ns" -> 1;
            case "us" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            default ->
                throw new IllegalArgumentException(
                        "unsupported JMH unit '" + unit + "': use Mode.AverageTime with a time unit");
        };
    }

    /** True if this measures bytes (the memory probe) rather than time. */
    boolean bytes() {
        return per.endsWith(BYTES);
    }

    /** True if every parameter both have has the same value (so the two are comparable). */
    boolean sameShared(Measurement other) {
        for (Map.Entry<String, String> e : params.entrySet()) {
            String v = other.params.get(e.getKey());
            if (v != null && !v.equals(e.getValue())) {
                return false;
            }
        }
        return true;
    }

    /** {@code name} plus parameters, e.g. {@code PipelineBench.kotlinx[n=100000]}. */
    String label() {
        return params.isEmpty()
                ? name
                : name + params.toString().replace('{', '[').replace('}', ']').replace(", ", ",");
    }
}
