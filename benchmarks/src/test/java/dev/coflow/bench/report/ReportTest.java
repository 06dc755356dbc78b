package dev.coflow.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {
    private static String result(String name, String params, double score, String error, String raw) {
        return """
            {"jmhVersion":"1.37","benchmark":"dev.coflow.bench.%s","mode":"avgt","threads":1,"forks":1,
             "jvm":"/j/bin/java","jvmArgs":["-Xmx1g","-Dcoflow.fast=true"],"jdkVersion":"25","vmName":"OpenJDK 64-Bit Server VM",
             "vmVersion":"25+36","warmupIterations":3,"warmupTime":"1 s","warmupBatchSize":1,
             "measurementIterations":2,"measurementTime":"1 s","measurementBatchSize":1,
             "params":{%s},
             "primaryMetric":{"score":%s,"scoreError":%s,"scoreConfidence":[0,0],
               "scorePercentiles":{"0.0":1},"scoreUnit":"ns/op","rawData":[[%s]]},
             "secondaryMetrics":{}}""".formatted(name, params, score, error, raw);
    }

    private static final String JSON = "["
            + String.join(
                    ",",
                    result("PipelineBench.coflow", "\"n\":\"1000\"", 12_000, "1200", "11000.0,13000.0"),
                    result("PipelineBench.kotlinx", "\"n\":\"1000\"", 10_000, "500", "9500.0,10500.0"),
                    result("CallOverheadBench.kotlinx", "", 900, "\"NaN\"", "900.0"),
                    result("BridgeBench.delayJavaBody", "\"k\":\"100\"", 50_000, "0", "50000.0,50000.0"))
            + "]";

    @Test
    void normalisesByNOrK() {
        List<Measurement> ms = Measurement.fromJmhJson(JSON);
        assertEquals(4, ms.size());
        Measurement coflow = ms.get(0);
        assertEquals("PipelineBench.coflow", coflow.name());
        assertEquals("element", coflow.per());
        assertEquals(12.0, coflow.ns(), 1e-9);
        assertEquals(1.2, coflow.error(), 1e-9);
        assertEquals(11.0, coflow.min(), 1e-9);
        assertEquals(13.0, coflow.max(), 1e-9);
        assertEquals(2, coflow.iterations());
        assertEquals("op", ms.get(2).per());
        assertTrue(Double.isNaN(ms.get(2).error()));
        assertEquals("call", ms.get(3).per());
        assertEquals(500.0, ms.get(3).ns(), 1e-9);
    }

    @Test
    void normalisesMapAsyncByTasksAndLeavesBytesUndivided() {
        String json = "["
                + result("MapAsyncBench.coflow", "\"tasks\":\"2000\"", 40_000_000, "2000000", "38000000.0,42000000.0")
                + ","
                + result("MemoryProbe.coflowGenerators", "\"count\":\"100000\"", 1500, "30", "1490.0,1510.0")
                        .replace("\"ns/op\"", "\"B/collection\"")
                + "]";
        List<Measurement> ms = Measurement.fromJmhJson(json);
        assertEquals("task", ms.get(0).per());
        assertEquals(20_000.0, ms.get(0).ns(), 1e-9);
        assertEquals(1_000.0, ms.get(0).error(), 1e-9);
        assertTrue(!ms.get(0).bytes());
        assertTrue(ms.get(1).bytes());
        assertEquals("collection (bytes)", ms.get(1).per());
        assertEquals(1500.0, ms.get(1).ns(), 1e-9);
        assertEquals(1490.0, ms.get(1).min(), 1e-9);
        assertEquals("1500 ± 30.0 B", Report.show(ms.get(1)));
    }

    @Test
    void buildsRowsAndPendingFromCases() {
        List<CaseLine> lines = CaseLine.parse("""
                # comment
                range  PipelineBench.coflow  PipelineBench.kotlinx  <=1.0   # trailing comment
                call   CallOverheadBench.coflow  CallOverheadBench.kotlinx  <=1.5
                """);
        Report.Table t = Report.Table.of(lines, Measurement.fromJmhJson(JSON));
        assertEquals(1, t.rows().size());
        Report.Row row = t.rows().get(0);
        assertEquals(1.2, row.ratio(), 1e-9);
        // relative errors 10% and 5% -> sqrt(0.01 + 0.0025) * 1.2
        assertEquals(1.2 * Math.sqrt(0.0125), row.ratioError(), 1e-9);
        assertEquals(
                List.of("call"), t.pending().stream().map(CaseLine::caseName).toList());
        assertEquals(
                "case,coflow_ns,anchor,anchor_ns,ratio,target,met\n"
                        + "range,12.0,PipelineBench.kotlinx,10.0,1.20,<=1.0,no\n",
                Report.csv(t));
    }

    @Test
    void reportsAnAnchorMissingFromTheRun() {
        List<CaseLine> lines = CaseLine.parse("range PipelineBench.coflow PipelineBench.reactor -\n");
        Report.Table t = Report.Table.of(lines, Measurement.fromJmhJson(JSON));
        assertEquals(0, t.rows().size());
        assertEquals(1, t.problems().size());
        assertTrue(
                t.problems().get(0).contains("PipelineBench.reactor"),
                t.problems().get(0));
    }

    @Test
    void judgesTargets() {
        CaseLine le = new CaseLine("c", "a", "b", "<=1.5");
        assertEquals("yes", le.met(1.5));
        assertEquals("no", le.met(1.51));
        assertEquals("no", le.met(Double.NaN));
        assertEquals("yes", new CaseLine("c", "a", "b", ">=1").met(2));
        assertEquals("n/a", new CaseLine("c", "a", "b", "-").met(9));
        assertTrue(le.undecided(1.4, 1.6));
        assertTrue(!le.undecided(1.6, 1.7));
    }

    @Test
    void rejectsMalformedCases() {
        IllegalArgumentException fields = assertThrows(
                IllegalArgumentException.class, () -> CaseLine.parse("range PipelineBench.coflow <=1.0\n"));
        assertTrue(fields.getMessage().contains("line 1"), fields.getMessage());
        IllegalArgumentException target =
                assertThrows(IllegalArgumentException.class, () -> CaseLine.parse("range a b 1.5\n"));
        assertTrue(target.getMessage().contains("<=x"), target.getMessage());
    }

    @Test
    void markdownNamesFlagsAndPending() {
        List<Measurement> ms = Measurement.fromJmhJson(JSON);
        Report.Table t = Report.Table.of(CaseLine.parse("""
                range PipelineBench.coflow PipelineBench.kotlinx <=1.0
                call CallOverheadBench.notWrittenYet CallOverheadBench.kotlinx <=1.5
                """), ms);
        String md = Report.markdown(t, ms, Report.RunInfo.from(JSON), "quick");
        assertTrue(md.contains("-Xmx1g -Dcoflow.fast=true"), md);
        assertTrue(md.contains("`-Dcoflow.fast=true`"), md);
        assertTrue(md.contains("| range | `PipelineBench.coflow[n=1000]` | 12.0 ± 1.20 |"), md);
        assertTrue(md.contains("1.20 ± 0.134x | &lt;=1.0 | no |"), md);
        assertTrue(
                md.contains(
                        "`CallOverheadBench.notWrittenYet` | not written yet | `CallOverheadBench.kotlinx` | 900 ± ?"),
                md);
    }

    @Test
    void tellsWrittenFromUnwrittenBenchmarks() {
        assertTrue(Report.exists("PipelineBench.kotlinx"));
        assertTrue(!Report.exists("PipelineBench.noSuchMethod"));
        assertTrue(!Report.exists("NoSuchBench.kotlinx"));
    }

    @Test
    void jsonReaderHandlesEscapesAndNesting() {
        Object v = Json.parse(" {\"a\": [1, -2.5e1, true, null, \"x\\\"y\\u0041\"], \"b\": {}} ");
        assertEquals("{a=[1.0, -25.0, true, null, x\"yA], b={}}", v.toString());
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1, 2"));
    }
}
