package dev.coflow.bridge;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import kotlin.coroutines.CoroutineContext;
import kotlin.coroutines.EmptyCoroutineContext;
import kotlinx.coroutines.DelayKt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad input fails fast with an exception naming the argument and the fix. */
class BadInputTest {

    private static void assertNpeNaming(String argument, Executable call) {
        var e = assertThrows(NullPointerException.class, call);
        assertEquals(argument, e.getMessage());
    }

    @Test
    void nullArgumentsAreNamed() {
        assertNpeNaming("duration", () -> Suspend.delay((Duration) null));
        assertNpeNaming("stage", () -> Suspend.await(null));
        assertNpeNaming("call", () -> Suspend.call(null));
        assertNpeNaming("body", () -> Suspend.nonCancellable((SuspendBody<Object>) null));
        assertNpeNaming("body", () -> Suspend.nonCancellable((SuspendRunnable) null));
        assertNpeNaming("body", () -> Coroutines.run(null));
        assertNpeNaming("context", () -> Coroutines.run((CoroutineContext) null, scope -> 1));
        assertNpeNaming("body", () -> Coroutines.run(EmptyCoroutineContext.INSTANCE, null));
        assertNpeNaming("body", () -> Coroutines.start(null));
        assertNpeNaming("bodies", () -> Coroutines.gather((SuspendBody<Object>[]) null));
        assertNpeNaming("bodies", () -> Coroutines.gather((List<SuspendBody<Object>>) null));
        assertNpeNaming("bodies[1]", () -> Coroutines.gather(Arrays.<SuspendBody<Integer>>asList(() -> 1, null)));
        assertNpeNaming("body", () -> Coroutines.runSuspending(null, null));
        assertNpeNaming("body", () -> Coroutines.asSuspendFunction((SuspendBody<Object>) null));
        assertNpeNaming("fn", () -> Coroutines.asSuspendFunction((SuspendFunction<Object, Object>) null));
        assertNpeNaming(
                "supplier", () -> Coroutines.fromStage((java.util.function.Supplier<CompletableFuture<Object>>) null));
        assertNpeNaming(
                "fn",
                () -> Coroutines.fromStage((java.util.function.Function<Object, CompletableFuture<Object>>) null));
    }

    @Test
    void runSuspendingNamesTheContinuation() {
        assertNpeNaming("continuation", () -> Coroutines.runSuspending(() -> 1, null));
    }

    @Test
    void nullArgumentsToTaskScopeAreNamedAndFailInsideTheBody() {
        String seen = Coroutines.run(scope -> {
            StringBuilder sb = new StringBuilder();
            for (Executable call : List.<Executable>of(
                    () -> scope.async(null),
                    () -> scope.async(null, () -> 1),
                    () -> scope.async(EmptyCoroutineContext.INSTANCE, null),
                    () -> scope.launch(null))) {
                sb.append(assertThrows(NullPointerException.class, call).getMessage())
                        .append(' ');
            }
            return sb.toString().trim();
        });
        assertEquals("body context body body", seen);
    }

    @Test
    void negativeDelaysAreRejectedNamingTheArgument() {
        var e1 = assertThrows(IllegalArgumentException.class, () -> Suspend.delay(-1));
        assertTrue(e1.getMessage().contains("millis"), e1.getMessage());
        assertTrue(e1.getMessage().contains("-1"), e1.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> Suspend.delay(Duration.ofMillis(-5)));
        assertTrue(e2.getMessage().contains("duration"), e2.getMessage());
        // Inside a body the same check applies, before anything is handed to the coroutine.
        String inside = Coroutines.run(scope -> {
            try {
                Suspend.delay(-10);
                return "accepted";
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        });
        assertTrue(inside.contains("millis"), inside);
    }

    @Test
    void startingChildrenAfterTheScopeEndedFailsWithAHelpfulMessage() {
        TaskScope[] leaked = new TaskScope[1];
        Coroutines.run(scope -> {
            leaked[0] = scope;
            return null;
        });
        assertFalse(leaked[0].isActive());
        var e = assertThrows(IllegalStateException.class, () -> leaked[0].async(() -> 1));
        assertTrue(e.getMessage().contains("finished"), e.getMessage());
        var e2 = assertThrows(IllegalStateException.class, () -> leaked[0].launch(() -> {}));
        assertTrue(e2.getMessage().contains("finished"), e2.getMessage());
    }

    @Test
    void aLeakedScopeFromAFailedRunIsAlsoClosed() {
        TaskScope[] leaked = new TaskScope[1];
        assertThrows(
                IllegalStateException.class,
                () -> Coroutines.run(scope -> {
                    leaked[0] = scope;
                    throw new IllegalStateException("body failed");
                }));
        var e = assertThrows(IllegalStateException.class, () -> leaked[0].launch(() -> {}));
        assertTrue(e.getMessage().contains("finished"), e.getMessage());
    }

    @Test
    void suspendCallsFromAnotherThreadOfTheBodyBehaveAsOutsideACoroutine() throws Exception {
        // A body that hands work to another thread does not hand over its coroutine: there,
        // Suspend.* are plain blocking calls, exactly as outside any coroutine.
        VirtualClock clock = new VirtualClock();
        Object[] seen = new Object[4];
        clock.run(scope -> {
            Thread helper = Thread.ofPlatform().start(() -> {
                seen[0] = Suspend.inCoroutine();
                seen[1] = Suspend.context();
                seen[2] = Suspend.call(c -> DelayKt.delay(1, c)); // own runBlocking, real time
                Suspend.delay(1); // plain sleep
                seen[3] = Suspend.await(CompletableFuture.completedFuture("ok"));
            });
            helper.join();
            return null;
        });
        assertEquals(false, seen[0]);
        assertSame(EmptyCoroutineContext.INSTANCE, seen[1]);
        assertSame(kotlin.Unit.INSTANCE, seen[2]);
        assertEquals("ok", seen[3]);
        assertEquals(0, clock.now(), "the helper thread's waits do not touch the body's virtual clock");
    }

    @Test
    void virtualThreadsStartedByABodyAreNotBodies() throws Exception {
        boolean[] inCoroutine = {true};
        Coroutines.run(scope -> {
            Thread t = Thread.ofVirtual().start(() -> inCoroutine[0] = Suspend.inCoroutine());
            t.join();
            return null;
        });
        assertFalse(inCoroutine[0]);
    }
}
