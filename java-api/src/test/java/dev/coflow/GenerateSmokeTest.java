package dev.coflow;

import static org.junit.jupiter.api.Assertions.*;

import dev.coflow.bridge.Coroutines;
import dev.coflow.bridge.Suspend;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class GenerateSmokeTest {
    @Test
    void generateMapToList() {
        AsyncFlow<Integer> f = AsyncFlow.generate(e -> {
            for (int i = 0; i < 5; i++) {
                e.emit(i);
            }
        });
        assertEquals(List.of(0, 10, 20, 30, 40), f.map(x -> x * 10).toList());
        assertEquals("0,1,2,3,4", f.map(String::valueOf).collect(Collectors.joining(",")));
        assertEquals(5, f.count());
    }

    @Test
    void takeCancelsGeneratorAndRunsFinallyFirst() {
        List<String> log = new ArrayList<>();
        AsyncFlow<Integer> f = AsyncFlow.generate(e -> {
            try {
                for (int i = 0; ; i++) {
                    e.emit(i);
                }
            } finally {
                log.add("finally");
            }
        });
        assertEquals(List.of(0, 1, 2), f.take(3).toList());
        assertEquals(List.of("finally"), log);
        assertEquals(0, Coroutines.activeBodies());
    }

    @Test
    void bufferedAndSources() {
        AsyncFlow<Integer> f = AsyncFlow.generate(e -> {
            for (int i = 0; i < 1000; i++) {
                e.emit(i);
            }
        });
        assertEquals(499500L, (long) f.buffer(16).collect(Collectors.summingLong(x -> x)));
        assertEquals(List.of(1, 2, 3), AsyncFlow.of(1, 2, 3).toList());
        assertEquals(45, AsyncFlow.range(0, 10).collect(Collectors.summingInt(x -> x)));
        assertEquals(List.of(3), AsyncFlow.range(3, 4).toList());
    }

    @Test
    void generatorWithDelayInsideRun() {
        List<Integer> r = Coroutines.run(s -> AsyncFlow.<Integer>generate(e -> {
            Suspend.delay(1);
            e.emit(1);
        }).toList());
        assertEquals(List.of(1), r);
    }
}
