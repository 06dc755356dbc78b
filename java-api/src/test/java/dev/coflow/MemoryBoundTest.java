package dev.coflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coflow.bridge.Coroutines;
import dev.coflow.bridge.Suspend;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Memory bounds (issue 10): a long stream runs in constant memory, and a suspended generator costs a
 * bounded, small amount of heap.
 */
class MemoryBoundTest {
    private static final long ELEMENTS = 10_000_000L;
    /** Generous: a suspended toListAsync() collection of a generator is two parked virtual threads and their drivers. */
    private static final long MAX_BYTES_EACH = 8 * 1024;

    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    /**
     * Ten million elements through {@code generate -> map -> buffer(64) -> count()} in a JVM whose
     * heap is 64 MiB: the count is exact and the child exits normally (it would die of an
     * {@code OutOfMemoryError} if elements, their boxes or the buffer's batches were retained).
     */
    @Test
    void tenMillionElementsThroughABufferIn64MiB() throws Exception {
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElseThrow(() -> new AssertionError(
                        "the java binary of this JVM is not known (ProcessHandle.info().command())"));
        Path out = Files.createTempFile("coflow-memory-bound", ".out");
        try {
            List<String> command = new ArrayList<>(List.of(
                    java,
                    "-Xmx64m",
                    "-XX:+ExitOnOutOfMemoryError",
                    "-cp",
                    System.getProperty("java.class.path"),
                    MemoryBoundMain.class.getName(),
                    Long.toString(ELEMENTS)));
            long start = System.nanoTime();
            Process child = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            boolean exited = child.waitFor(120, TimeUnit.SECONDS);
            if (!exited) {
                child.destroyForcibly();
                child.waitFor(10, TimeUnit.SECONDS);
            }
            String output = Files.readString(out, StandardCharsets.UTF_8);
            assertTrue(exited, () -> "the child JVM did not finish within 120 s; its output:\n" + output);
            assertEquals(0, child.exitValue(), () -> "the child JVM failed; its output:\n" + output);
            Matcher m = Pattern.compile("count=(\\d+) millis=(\\d+) maxHeap=(\\d+) usedHeap=(\\d+)")
                    .matcher(output);
            assertTrue(m.find(), () -> "no count in the child's output:\n" + output);
            assertEquals(ELEMENTS, Long.parseLong(m.group(1)), () -> "the count; output:\n" + output);
            long maxHeap = Long.parseLong(m.group(3));
            assertTrue(maxHeap <= 64L * 1024 * 1024, "the child's heap must be at most 64 MiB, was " + maxHeap);
            System.out.printf(
                    Locale.ROOT,
                    "MemoryBoundTest: %,d elements through generate -> map -> buffer(64) -> count()"
                            + " in a %d MiB JVM: %s ms in the pipeline, %.1f s with the JVM's start%n",
                    ELEMENTS,
                    maxHeap >> 20,
                    m.group(2),
                    (System.nanoTime() - start) / 1e9);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /**
     * 20,000 generators suspended at once (the default run; the {@code stress} twin below takes the
     * 100,000 of issue 10, about 30 s on a busy 2-core machine, most of it full GCs over 400 MB of
     * parked virtual threads): see {@link #measureSuspended}.
     */
    @Test
    void aSuspendedGeneratorRetainsLittleHeapAndEveryOneEndsWhenCancelled() throws Exception {
        measureSuspended(20_000, 5_000);
    }

    @Test
    @Tag("stress")
    void aSuspendedGeneratorRetainsLittleHeapAndEveryOneEndsWhenCancelledStress() throws Exception {
        measureSuspended(100_000, 10_000);
    }

    /**
     * {@code count} generators suspended at once, each waiting in {@code Suspend.delay} inside its
     * body, each collected by {@code toListAsync()}: the heap they retain (used heap after full GCs,
     * minus before) is below {@value #MAX_BYTES_EACH} bytes each; cancelling every future ends every
     * body and runs every {@code finally}.
     */
    private static void measureSuspended(int count, int warmUp) throws Exception {
        LeakCheck.awaitNothingLeft(() -> "before the measurement (left by an earlier test)");
        // warm up: interpreted frames are larger than compiled ones, and a parked virtual thread's stack is on the heap
        suspendAndCancel(warmUp, null);
        long[] bytes = new long[2];
        long start = System.nanoTime();
        Sample s = suspendAndCancel(count, bytes);
        double each = (double) s.retained() / count;
        System.out.printf(
                Locale.ROOT,
                "MemoryBoundTest: %,d suspended generators (toListAsync, body in Suspend.delay):"
                        + " %.0f bytes each retained (heap after GC %,d -> %,d bytes), %d active bodies while suspended;"
                        + " %d left after cancelling all, every finally ran: %s; %.1f s%n",
                count,
                each,
                bytes[0],
                bytes[1],
                s.bodiesWhileSuspended(),
                s.bodiesLeft(),
                s.finallies() == count,
                (System.nanoTime() - start) / 1e9);
        assertTrue(
                s.bodiesWhileSuspended() >= count,
                "every generator body must be running while suspended, activeBodies was " + s.bodiesWhileSuspended());
        assertTrue(
                each > 0, "a suspended generator retains some heap; measured " + each + " (the measurement is broken)");
        assertTrue(
                each < MAX_BYTES_EACH,
                String.format(
                        Locale.ROOT,
                        "a suspended generator retains %.0f bytes, more than the bound of %d",
                        each,
                        MAX_BYTES_EACH));
        assertEquals(0, s.bodiesLeft(), "activeBodies after cancelling every future");
        assertEquals(count, s.finallies(), "every generator's finally ran once");
        LeakCheck.awaitNoBodyThreads(() -> "after cancelling " + count + " suspended generators");
    }

    record Sample(long retained, int bodiesWhileSuspended, int bodiesLeft, int finallies) {}

    private static Sample suspendAndCancel(int n, long[] heap) throws Exception {
        CountDownLatch suspended = new CountDownLatch(n);
        AtomicInteger finallies = new AtomicInteger();
        AsyncFlow<Integer> waiting = AsyncFlow.generate(out -> {
            try {
                suspended.countDown();
                Suspend.delay(Long.MAX_VALUE);
                out.emit(1);
            } finally {
                finallies.incrementAndGet();
            }
        });
        long before = usedHeapAfterGc();
        List<CompletableFuture<List<Integer>>> futures = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            futures.add(waiting.toListAsync());
        }
        assertTrue(
                suspended.await(120, TimeUnit.SECONDS),
                () -> "only " + (n - suspended.getCount()) + " of " + n
                        + " generators reached Suspend.delay within 120 s");
        int bodies = Coroutines.activeBodies();
        long after = usedHeapAfterGc();
        if (heap != null) {
            heap[0] = before;
            heap[1] = after;
        }
        for (CompletableFuture<List<Integer>> f : futures) {
            f.cancel(true);
        }
        for (CompletableFuture<List<Integer>> f : futures) {
            try {
                f.get(10, TimeUnit.SECONDS);
                throw new AssertionError("a cancelled collection returned a value");
            } catch (CancellationException expected) {
                // the documented outcome
            } catch (ExecutionException e) {
                throw new AssertionError("a cancelled collection failed instead", e.getCause());
            }
        }
        futures.clear();
        // the collections end after their futures do; allow 30 s for 100,000 of them
        long deadline = System.nanoTime() + 30_000_000_000L;
        while ((Coroutines.activeBodies() != 0 || finallies.get() != n) && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
        }
        return new Sample(after - before, bodies, Coroutines.activeBodies(), finallies.get());
    }

    /**
     * Used heap after full collections, the least of them (one System.gc() may leave garbage; with
     * 100,000 parked virtual threads on the heap each one takes about a second here).
     */
    private static long usedHeapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 2; i++) {
            MEMORY.gc();
            used = Math.min(used, MEMORY.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
