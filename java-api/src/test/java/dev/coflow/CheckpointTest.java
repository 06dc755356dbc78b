package dev.coflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.coflow.test.CoflowExtension;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** checkpoint(description): which stage an upstream failure passed, as suppressed exceptions. */
class CheckpointTest {
    @RegisterExtension
    static final CoflowExtension COFLOW = CoflowExtension.withLeakGrace(Duration.ZERO);

    private static List<String> checkpoints(Throwable e) {
        return Arrays.stream(e.getSuppressed())
                .filter(s -> s instanceof AsyncFlowCheckpoint)
                .map(Throwable::getMessage)
                .toList();
    }

    @Test
    void anUpstreamFailureNamesEveryCheckpointItPassed() {
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> AsyncFlow.of(1, 2)
                        .map(v -> {
                            if (v == 2) {
                                throw boom;
                            }
                            return v;
                        })
                        .checkpoint("import: parse")
                        .map(v -> v * 10)
                        .checkpoint("import: scale")
                        .toList());
        assertSame(boom, e, "the failure itself passes unchanged");
        assertEquals(List.of("checkpoint: import: parse", "checkpoint: import: scale"), checkpoints(e));
    }

    @Test
    void aDownstreamFailureIsNotMarked() {
        IllegalStateException boom = new IllegalStateException("downstream");
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> AsyncFlow.of(1).checkpoint("source").forEach(v -> {
                    throw boom;
                }));
        assertEquals(List.of(), checkpoints(e));
    }

    @Test
    void valuesAndCancellationPassUntouchedAndRetriesMarkOnce() {
        assertEquals(
                List.of(1), AsyncFlow.range(1, 100).checkpoint("range").take(1).toList());
        int[] attempts = {0};
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> AsyncFlow.<Integer>generate(out -> {
                            attempts[0]++;
                            throw STICKY;
                        })
                        .checkpoint("flaky source")
                        .retry(2)
                        .toList());
        assertEquals(3, attempts[0]);
        assertEquals(List.of("checkpoint: flaky source"), checkpoints(e), "one mark however often it passed");
        assertThrows(NullPointerException.class, () -> AsyncFlow.of(1).checkpoint(null));
    }

    private static final IllegalStateException STICKY = new IllegalStateException("always the same object");
}
