package dev.coflow.examples.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The terminal view: redrawn in place with ANSI escapes on a terminal, plain lines elsewhere. */
class LiveViewTest {
    private static final String UP3 = "\033[3F\033[J";
    private static final Stats S = new Stats(
            "2025-03-03",
            10,
            2,
            1,
            List.of(new Borrower("Alice Archer", 3)),
            5,
            2.0,
            "09:01:10 Alice Archer signed in",
            List.of(new MinuteCount("09:00", 1), new MinuteCount("09:01", 3)),
            List.of(new OverdueBook("Emma", "Bob Hughes", 4)));

    @Test
    void onATerminalTheBlockIsRedrawnInPlaceAndOtherOutputScrollsAboveIt() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LiveView view = new LiveView(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        view.render(S);
        String first = bytes.toString(StandardCharsets.UTF_8);
        assertFalse(first.contains("\033["), "nothing to erase the first time: " + first);
        assertEquals(3, first.lines().count());

        view.render(S);
        String second = bytes.toString(StandardCharsets.UTF_8).substring(first.length());
        assertEquals(UP3 + first, second, "the three lines are erased and drawn again");

        view.println("History: done");
        String third = bytes.toString(StandardCharsets.UTF_8).substring(first.length() + second.length());
        assertEquals(UP3 + "History: done" + System.lineSeparator() + first, third);

        view.stop();
        view.println("after");
        assertEquals(
                "after" + System.lineSeparator(),
                bytes.toString(StandardCharsets.UTF_8).substring(first.length() + second.length() + third.length()),
                "after stop() the block stays on screen and output goes below it");
    }

    @Test
    void elsewhereEveryRenderingIsOnePlainLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LiveView view = new LiveView(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        view.render(S);
        view.println("History: done");
        view.render(S);
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(3, lines.size(), lines::toString);
        assertEquals("  live  " + S.line(), lines.get(0));
        assertEquals("History: done", lines.get(1));
        assertFalse(String.join("\n", lines).contains("\033"));
        assertEquals("checkouts/min 09:00..09:01 -@", S.chart()); // 1 of 3 is 3 of 9 ("-"), 3 of 3 is 9 ("@")
    }
}
