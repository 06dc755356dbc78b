package dev.coflow.bridge;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Bodies inside bodies: nested scopes, cleanup that starts children, children of a cancelled scope. */
class NestingTest {

    private static int nest(int depth) {
        if (depth == 0) {
            Suspend.delay(1);
            return 0;
        }
        return Coroutines.run(scope -> {
            Task<Integer> t = scope.async(() -> nest(depth - 1));
            return t.await() + 1;
        });
    }

    @Test
    void deeplyNestedRunsAndChildren() {
        VirtualClock clock = new VirtualClock();
        int depth = clock.run(scope -> nest(40));
        assertEquals(40, depth);
        assertEquals(1, clock.now());
        assertEquals(0, Coroutines.activeBodies());
    }

    @Test
    void nonCancellableCleanupMayStartAndAwaitChildren() {
        VirtualClock clock = new VirtualClock();
        List<Object> log = new ArrayList<>();
        var f = clock.start(scope -> {
            try {
                Suspend.delay(10_000);
                return null;
            } finally {
                List<Integer> r = Suspend.nonCancellable(() -> Coroutines.gather(
                        () -> {
                            Suspend.delay(30);
                            return 1;
                        },
                        () -> {
                            Suspend.delay(20);
                            return 2;
                        }));
                log.add(r);
                log.add(clock.now());
            }
        });
        clock.advanceTimeBy(100);
        f.cancel(true);
        clock.advanceUntilIdle();
        assertEquals(List.of(List.of(1, 2), 130L), log);
    }

    @Test
    void childrenStartedInACancelledScopeNeverRunTheirBody() {
        AtomicBoolean ran = new AtomicBoolean();
        List<String> log = new ArrayList<>();
        assertThrows(
                CancellationException.class,
                () -> Coroutines.run(scope -> {
                    scope.cancel();
                    Task<String> late = scope.async(() -> {
                        ran.set(true);
                        return "ran";
                    });
                    try {
                        Suspend.nonCancellable(late::join);
                        log.add("cancelled=" + late.isCancelled());
                        late.await();
                    } catch (CancellationException e) {
                        log.add("await threw");
                    }
                    return null;
                }));
        assertFalse(ran.get(), "as in kotlinx, a child of a cancelled scope is cancelled before it starts");
        assertEquals(List.of("cancelled=true", "await threw"), log);
        assertEquals(0, Coroutines.activeBodies());
    }

    @Test
    void asynchronouslyFailedStageRethrowsTheOriginal() {
        CompletableFuture<String> later = new CompletableFuture<>();
        String seen = Coroutines.run(scope -> {
            scope.launch(() -> {
                Suspend.yieldNow();
                Thread.ofVirtual().start(() -> later.completeExceptionally(new IOException("late failure")));
            });
            try {
                Suspend.await(later);
                return "none";
            } catch (Exception e) {
                return e.getClass().getSimpleName() + ":" + e.getMessage();
            }
        });
        assertEquals("IOException:late failure", seen);
    }

    @Test
    void suspendFunctionObjectsNestInsideBodies() {
        var inner = Coroutines.<String>asSuspendFunction(() -> {
            Suspend.delay(5);
            return Coroutines.run(scope -> scope.async(() -> "deep").await());
        });
        VirtualClock clock = new VirtualClock();
        String v = clock.run(scope -> Suspend.call(inner::invoke) + "@" + clock.now());
        assertEquals("deep@5", v);
    }
}
