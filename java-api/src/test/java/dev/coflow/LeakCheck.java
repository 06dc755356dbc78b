package dev.coflow;

import static org.junit.jupiter.api.Assertions.fail;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.coflow.test.CoflowExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Leak checks shared by the reliability tests: nothing of a collection may be left running once it
 * has ended. Two views: the harness's count of running bodies
 * ({@link CoflowExtension#assertNoBodiesRunning}, bodies whose user code has not returned) and the
 * live threads named {@code coflow-body} (a body's virtual thread), which this class adds.
 *
 * <p>{@link Thread#getAllStackTraces()} lists platform threads only, so it never sees a body's
 * virtual thread; the JDK's thread dump ({@link HotSpotDiagnosticMXBean#dumpThreads}, JSON) does
 * (every virtual thread is tracked by default, {@code jdk.trackAllThreads}). Both are read here: the
 * dump for virtual threads, {@code getAllStackTraces} for any platform thread of that name. A dump
 * costs a few milliseconds, so callers take it once per batch of collections, not per collection.
 */
final class LeakCheck {
    static final String BODY_THREAD = "coflow-body";
    /** The bounded wait of every check: poll every millisecond for at most this long. */
    static final long BOUND_NANOS = 5_000_000_000L;

    private LeakCheck() {}

    /** Polls {@code condition} every millisecond for at most {@link #BOUND_NANOS}; whether it became true. */
    static boolean poll(BooleanSupplier condition) {
        long deadline = System.nanoTime() + BOUND_NANOS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return condition.getAsBoolean();
            }
            LockSupport.parkNanos(1_000_000L);
        }
        return true;
    }

    /** Fails (naming {@code context} and what still runs) unless no body runs within the bound: the harness's check. */
    static void awaitNoActiveBodies(Supplier<String> context) {
        try {
            CoflowExtension.assertNoBodiesRunning(Duration.ofNanos(BOUND_NANOS));
        } catch (AssertionError e) {
            fail(
                    context.get() + ": " + e.getMessage() + "\nThreads named " + BODY_THREAD + ":\n"
                            + String.join("\n", bodyThreads()),
                    e);
        }
    }

    /** Fails unless no thread named {@code coflow-body} is alive within the bound, listing those that are. */
    static void awaitNoBodyThreads(Supplier<String> context) {
        if (!poll(() -> bodyThreads().isEmpty())) {
            List<String> left = bodyThreads();
            if (!left.isEmpty()) {
                fail(context.get() + ": " + left.size() + " threads named " + BODY_THREAD + " still alive after "
                        + BOUND_NANOS / 1_000_000 + " ms:\n"
                        + String.join("\n", left));
            }
        }
    }

    /** Both checks: no active body, no body thread. */
    static void awaitNothingLeft(Supplier<String> context) {
        awaitNoActiveBodies(context);
        awaitNoBodyThreads(context);
    }

    /**
     * Every live thread named {@code coflow-body}, each as its name, state and top frames: virtual
     * threads from a JSON thread dump, platform threads from {@link Thread#getAllStackTraces()}.
     */
    static List<String> bodyThreads() {
        List<String> found = new ArrayList<>();
        for (Map.Entry<Thread, StackTraceElement[]> e :
                Thread.getAllStackTraces().entrySet()) {
            if (e.getKey().getName().startsWith(BODY_THREAD)) {
                found.add("platform " + e.getKey() + " " + e.getKey().getState() + " at "
                        + Arrays.toString(Arrays.copyOf(e.getValue(), Math.min(12, e.getValue().length))));
            }
        }
        String dump = threadDump();
        // one JSON object per thread, each starting with its "tid"; the name is a plain field of it
        for (String entry : dump.split("\"tid\":")) {
            if (entry.contains("\"name\": \"" + BODY_THREAD) && entry.contains("\"virtual\": true")) {
                found.add("virtual " + compact(entry));
            }
        }
        return found;
    }

    /** The thread's name, state and first frames from one thread entry of the JSON dump. */
    private static String compact(String entry) {
        String flat = entry.replace("\\/", "/").replaceAll("\\s+", " ");
        int stack = flat.indexOf("\"stack\"");
        String head = stack < 0 ? flat : flat.substring(0, stack);
        String frames = stack < 0 ? "" : flat.substring(stack, Math.min(flat.length(), stack + 1_500));
        return head.trim() + " " + frames;
    }

    private static String threadDump() {
        try {
            Path dir = Files.createTempDirectory("coflow-leak-check");
            Path file = dir.resolve("threads.json");
            try {
                ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                        .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
                return Files.readString(file);
            } finally {
                Files.deleteIfExists(file);
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether {@code thrown} is {@code original}, or a copy kotlinx's debug mode (on under {@code -ea})
     * may rethrow instead: same type and message, the original as its cause (a copy may be copied
     * again at the next coroutine boundary, so the chain of such copies is followed).
     */
    static boolean isOriginalOrCopy(Throwable thrown, Throwable original) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t == original) {
                return true;
            }
            if (t.getClass() != original.getClass()
                    || !java.util.Objects.equals(t.getMessage(), original.getMessage())) {
                return false;
            }
        }
        return false;
    }
}
