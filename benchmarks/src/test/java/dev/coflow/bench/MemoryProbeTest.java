package dev.coflow.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coflow.bench.report.Report;
import dev.coflow.bridge.Coroutines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The memory probe measures something plausible and leaves nothing running behind. */
class MemoryProbeTest {
    private static final int COUNT = 10_000;

    @Test
    void suspendedGeneratorsHoldAParkedBodyEachAndAreCleanedUp() throws Exception {
        MemoryProbe.Sample s = MemoryProbe.coflowGenerators(COUNT);
        assertEquals(COUNT, s.bodiesWhileSuspended(), "each collection holds one generator body, parked in emit");
        assertEquals(0, s.bodiesLeft());
        assertEquals(0, Coroutines.activeBodies());
        // a parked virtual thread, its stack chunk and the bridge's driver: hundreds of bytes at least
        assertTrue(s.bytesEach() > 200 && s.bytesEach() < 100_000, "bytes each: " + s.bytesEach());
        assertTrue(Math.abs(s.bytesLeftEach()) < s.bytesEach() / 4, "retained after cleanup: " + s.bytesLeftEach());
    }

    @Test
    void suspendedKotlinxCollectorsAreMeasuredAndCleanedUp() throws Exception {
        MemoryProbe.Sample s = MemoryProbe.kotlinxCollectors(COUNT);
        assertEquals(0, s.bodiesWhileSuspended(), "no Java body on the kotlinx side");
        assertTrue(s.bytesEach() > 50 && s.bytesEach() < 100_000, "bytes each: " + s.bytesEach());
        assertTrue(Math.abs(s.bytesLeftEach()) < s.bytesEach() / 4, "retained after cleanup: " + s.bytesLeftEach());
    }

    @Test
    void rejectsANonPositiveCount() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> MemoryProbe.kotlinxCollectors(0));
        assertTrue(e.getMessage().contains("count"), e.getMessage());
    }

    @Test
    void studentFactorMatchesTheTableAndStaysAboveTheNormalQuantile() {
        assertEquals(12.924, MemoryProbe.studentT999(3), 1e-9);
        assertEquals(4.437, MemoryProbe.studentT999(11), 0.01); // t(0.9995, 11) = 4.437
        assertEquals(3.646, MemoryProbe.studentT999(30), 0.01); // t(0.9995, 30) = 3.646
        assertTrue(MemoryProbe.studentT999(1000) > 3.29);
    }

    @Test
    void reportMergesTheProbeResultsAsBytes(@TempDir Path dir) throws Exception {
        List<MemoryProbe.Sample> coflow =
                List.of(new MemoryProbe.Sample(1500, 1, 0, 0), new MemoryProbe.Sample(1520, 1, 0, 0));
        List<MemoryProbe.Sample> kotlinx =
                List.of(new MemoryProbe.Sample(470, 0, 0, 0), new MemoryProbe.Sample(474, 0, 0, 0));
        Files.writeString(
                dir.resolve("memory.json"),
                "[" + MemoryProbe.result("kotlinxCollectors", 100, kotlinx) + ","
                        + MemoryProbe.result("coflowGenerators", 100, coflow) + "]");
        Files.writeString(dir.resolve("jmh.json"), "[]");
        Files.writeString(
                dir.resolve("cases.txt"),
                "memory  MemoryProbe.coflowGenerators  MemoryProbe.kotlinxCollectors  <=2.0\n");

        Report.main(new String[] {
            dir.resolve("jmh.json").toString(),
            dir.resolve("cases.txt").toString(),
            dir.toString(),
            "test",
            "--extra=" + dir.resolve("memory.json"),
            "--extra=" + dir.resolve("absent.json")
        });

        List<String> csv = Files.readAllLines(dir.resolve("results.csv"));
        assertEquals(2, csv.size(), String.join("\n", csv));
        // 1510 / 472 = 3.20: bytes are not divided by the count and the target is judged on them
        assertEquals("memory,1510,MemoryProbe.kotlinxCollectors,472,3.20,<=2.0,no", csv.get(1));
        String md = Files.readString(dir.resolve("RESULTS.md"));
        assertTrue(md.contains("| 1510 ± "), md);
        assertTrue(md.contains(" B | `MemoryProbe.kotlinxCollectors` | 472 ± "), md);
    }
}
