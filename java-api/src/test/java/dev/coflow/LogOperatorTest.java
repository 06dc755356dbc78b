package dev.coflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.coflow.test.CoflowExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** log(name): the start, each element and the end of a collection, through System.Logger (here java.util.logging). */
class LogOperatorTest {
    @RegisterExtension
    static final CoflowExtension COFLOW = CoflowExtension.withLeakGrace(Duration.ZERO);

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<Throwable> thrown = new CopyOnWriteArrayList<>();
    private final Logger jul = Logger.getLogger("dev.coflow.AsyncFlow");
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            lines.add(r.getLevel() + " " + r.getMessage());
            if (r.getThrown() != null) {
                thrown.add(r.getThrown());
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void attach() {
        jul.addHandler(handler);
        jul.setLevel(Level.ALL);
    }

    @AfterEach
    void detach() {
        jul.removeHandler(handler);
        jul.setLevel(null);
    }

    @Test
    void startElementsAndCompletion() {
        assertEquals(
                List.of(2, 4),
                AsyncFlow.of(1, 2).log("src").map(v -> v * 2).log("doubled").toList());
        assertEquals(
                List.of(
                                "INFO src: collecting",
                                "INFO doubled: collecting",
                                "INFO src: element 1",
                                "INFO doubled: element 2",
                                "INFO src: element 2",
                                "INFO doubled: element 4",
                                "INFO src: completed",
                                "INFO doubled: completed")
                        .stream()
                        .sorted()
                        .toList(),
                lines.stream().sorted().toList());
        assertEquals(
                "INFO src: element 1",
                lines.stream().filter(l -> l.contains("element")).findFirst().orElseThrow());
    }

    @Test
    void cancellationAndFailureAreNamed() {
        AsyncFlow.range(0, 100).log("r", System.Logger.Level.DEBUG).take(1).toList();
        assertEquals("FINE r: collecting", lines.get(0));
        assertEquals("FINE r: element 0", lines.get(1));
        assertEquals(true, lines.get(2).startsWith("FINE r: cancelled"), lines::toString);
        lines.clear();
        IllegalStateException boom = new IllegalStateException("boom");
        assertSame(
                boom,
                assertThrows(
                        IllegalStateException.class,
                        () -> AsyncFlow.<Integer>generate(out -> {
                                    throw boom;
                                })
                                .log("g")
                                .toList()));
        assertEquals(List.of("INFO g: collecting", "INFO g: failed: java.lang.IllegalStateException: boom"), lines);
        assertSame(boom, thrown.get(0));
    }

    @Test
    void badInput() {
        assertThrows(NullPointerException.class, () -> AsyncFlow.of(1).log(null));
        assertThrows(NullPointerException.class, () -> AsyncFlow.of(1).log("x", null));
    }
}
