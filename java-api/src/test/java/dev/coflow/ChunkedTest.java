package dev.coflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** chunked: the battery, short last chunk, read-only lists, argument checks. */
class ChunkedTest {

    @Nested
    class Pairs extends OperatorTestBase {
        protected AsyncFlow<?> apply(AsyncFlow<Integer> up) {
            return up.chunked(2);
        }

        protected List<?> expected() {
            return List.of(List.of(1, 2), List.of(3, 4), List.of(5));
        }

        protected List<String> expectedOrder() {
            // a chunk goes downstream when full; the short last one only after the upstream ended
            return List.of("start", "emit 1", "emit 2", "got [1, 2]", "emit 3", "finally", "got [3]");
        }
    }

    @Test
    void exactMultipleHasNoShortChunk() {
        assertEquals(
                List.of(List.of(0, 1, 2), List.of(3, 4, 5)),
                AsyncFlow.range(0, 6).chunked(3).toList());
        assertEquals(List.of(), AsyncFlow.<Integer>empty().chunked(3).toList());
    }

    @Test
    void chunksAreReadOnly() {
        List<Integer> chunk = AsyncFlow.of(1, 2).chunked(2).first().orElseThrow();
        assertThrows(UnsupportedOperationException.class, () -> chunk.add(3));
    }

    @Test
    void rejectsSizeBelowOne() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> AsyncFlow.of(1).chunked(0));
        assertTrue(e.getMessage().contains("size must be >= 1"), e.getMessage());
    }
}
