package dev.coflow.examples.article;

import dev.coflow.AsyncFlow;
import dev.coflow.bridge.Suspend;
import java.util.List;

/**
 * The article's filtered comprehension:
 * {@code [record['book'] async for record in read_checkout_log() if record['overdue']]}.
 *
 * <pre>
 * Overdue books: [Async Patterns, Algorithms]
 * </pre>
 */
public final class OverdueBooksExample {
    private OverdueBooksExample() {}

    record Checkout(int id, String book, String user, boolean overdue) {}

    static AsyncFlow<Checkout> readCheckoutLog() {
        List<Checkout> records = List.of(
                new Checkout(1, "Python Guide", "Alice", false),
                new Checkout(2, "Async Patterns", "Bob", true),
                new Checkout(3, "Data Structures", "Carol", false),
                new Checkout(4, "Algorithms", "Dave", true));
        return AsyncFlow.generate(out -> {
            for (Checkout record : records) {
                Suspend.delay(100);
                out.emit(record);
            }
        });
    }

    static List<String> getOverdueBooks() {
        return readCheckoutLog().filter(Checkout::overdue).map(Checkout::book).toList();
    }

    public static void main(String[] args) {
        System.out.println("Overdue books: " + getOverdueBooks());
    }
}
