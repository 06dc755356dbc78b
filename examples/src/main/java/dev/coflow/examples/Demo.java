package dev.coflow.examples;

import dev.coflow.bridge.Coroutines;
import dev.coflow.bridge.Suspend;
import dev.coflow.bridge.Task;
import java.util.List;

/** A small, real demo of the bridge: plain Java bodies running as coroutines. */
public final class Demo {
    private Demo() {}

    public static void main(String[] args) {
        long t0 = System.nanoTime();
        List<String> pages = Coroutines.gather(
                () -> fetch("books", 300),
                () -> fetch("members", 200),
                () -> fetch("loans", 100));
        System.out.printf("gathered %s in %d ms (three waits of 300/200/100 ms ran concurrently)%n",
                pages, (System.nanoTime() - t0) / 1_000_000);
        int total = Coroutines.run(scope -> {
            Task<Integer> a = scope.async(() -> slowCount(5));
            Task<Integer> b = scope.async(() -> slowCount(7));
            return a.await() + b.await();
        });
        System.out.println("structured concurrency: 5 + 7 = " + total);
    }

    private static String fetch(String what, long millis) {
        Suspend.delay(millis);
        return what + "(" + millis + "ms)";
    }

    private static int slowCount(int n) {
        int c = 0;
        for (int i = 0; i < n; i++) {
            Suspend.delay(10);
            c++;
        }
        return c;
    }
}
