package dev.coflow.examples.article;

import dev.coflow.AsyncFlow;
import dev.coflow.bridge.Suspend;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The article's async comprehensions: building a list by hand versus one terminal call, then the
 * list, set and dict forms ({@code toList}, {@code toSet}, {@code collect(toMap)}).
 *
 * <pre>
 * Old way:
 *   Got 5 checkouts
 *
 * New way:
 *   Got 5 checkouts
 *
 * List: [0, 10, 20, 30, 40]
 * Set: [even, odd]
 * Dict: {0=0, 1=10, 2=20, 3=30, 4=40}
 * </pre>
 */
public final class ComprehensionsExample {
    private ComprehensionsExample() {}

    record Checkout(int id, String book, String user) {}

    record Sample(int id, int value, String category) {}

    /** {@code async def read_checkout_log(): ... yield {"id": i, "book": f"Book_{i}", ...}}. */
    static AsyncFlow<Checkout> readCheckoutLog() {
        return AsyncFlow.generate(out -> {
            for (int i = 0; i < 5; i++) {
                Suspend.delay(100);
                out.emit(new Checkout(i, "Book_" + i, "User_" + i));
            }
        });
    }

    static AsyncFlow<Sample> generateRecords() {
        return AsyncFlow.generate(out -> {
            for (int i = 0; i < 5; i++) {
                Suspend.delay(50);
                out.emit(new Sample(i, i * 10, i % 2 == 0 ? "even" : "odd"));
            }
        });
    }

    /** The old way: iterate and append. */
    static List<Checkout> getCheckoutsOld() {
        List<Checkout> checkouts = new ArrayList<>();
        readCheckoutLog().forEach(checkouts::add);
        return checkouts;
    }

    /** The new way: {@code [record async for record in read_checkout_log()]}. */
    static List<Checkout> getCheckoutsNew() {
        return readCheckoutLog().toList();
    }

    public static void main(String[] args) {
        System.out.println("Old way:");
        System.out.println("  Got " + getCheckoutsOld().size() + " checkouts");
        System.out.println();
        System.out.println("New way:");
        System.out.println("  Got " + getCheckoutsNew().size() + " checkouts");
        System.out.println();

        List<Integer> values = generateRecords().map(Sample::value).toList(); // [r['value'] async for r in ...]
        System.out.println("List: " + values);
        Set<String> categories = generateRecords().map(Sample::category).toSet(); // {r['category'] async for r in ...}
        System.out.println("Set: " + categories);
        Map<Integer, Integer> idToValue = generateRecords() // {r['id']: r['value'] async for r in ...}
                .collect(Collectors.toMap(Sample::id, Sample::value, (a, b) -> b, LinkedHashMap::new));
        System.out.println("Dict: " + idToValue);
    }
}
