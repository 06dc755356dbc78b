package dev.coflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import kotlinx.coroutines.flow.FlowKt;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every place that meets a {@code null} where an element belongs fails with one message shape,
 * built in one place ({@code Checks.nullElement}): what was null, where, and the fix.
 */
class NullElementMessageTest {
    private static final Pattern SHAPE = Pattern.compile("^[\\w.()]+: .+; AsyncFlow elements are non-null \\(.+\\)$");

    static Stream<Arguments> sites() {
        return Stream.of(
                Arguments.of("AsyncFlow.of", (Executable) () -> AsyncFlow.of(1, null, 3)),
                Arguments.of("AsyncFlow.fromIterable", (Executable)
                        () -> AsyncFlow.fromIterable(Arrays.asList(1, null)).toList()),
                Arguments.of("AsyncFlow.generate", (Executable)
                        () -> AsyncFlow.<Integer>generate(out -> out.emit(null)).toList()),
                Arguments.of("map", (Executable)
                        () -> AsyncFlow.of(1).map(v -> (Integer) null).toList()),
                Arguments.of("map", (Executable) () -> AsyncFlow.generate(out -> out.emit(1))
                        .map(v -> (Integer) null)
                        .toList()),
                Arguments.of("scan", (Executable)
                        () -> AsyncFlow.of(1).scan(0, (a, v) -> (Integer) null).toList()),
                Arguments.of("mapAsync", (Executable)
                        () -> AsyncFlow.of(1).mapAsync(2, v -> (Integer) null).toList()),
                Arguments.of("AsyncFlow.from", (Executable)
                        () -> AsyncFlow.from(FlowKt.flowOf((Integer) null)).toList()),
                Arguments.of("channelFlow", (Executable)
                        () -> AsyncFlow.<Integer>channelFlow(p -> p.send(null)).toList()),
                Arguments.of("paginate", (Executable)
                        () -> AsyncFlow.paginate(n -> n == 0 ? Arrays.asList(1, null) : List.of())
                                .toList()),
                Arguments.of("Page", (Executable) () -> Page.last(Arrays.asList(1, null))),
                Arguments.of("set", (Executable)
                        () -> MutableAsyncStateFlow.create(1).set(null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sites")
    void oneShapeNamingWhereWhatAndTheFix(String where, Executable site) {
        NullPointerException e = assertThrows(NullPointerException.class, site);
        assertTrue(SHAPE.matcher(e.getMessage()).matches(), e.getMessage());
        assertEquals(where, e.getMessage().substring(0, e.getMessage().indexOf(':')), e.getMessage());
    }
}
