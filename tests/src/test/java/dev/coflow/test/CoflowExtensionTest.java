package dev.coflow.test;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.coflow.bridge.Coroutines;
import dev.coflow.bridge.Suspend;
import dev.coflow.bridge.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import kotlinx.coroutines.flow.FlowKt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

class CoflowExtensionTest {

    // ---- the extension used directly ------------------------------------------------------------

    @CoflowTest
    void methodBodyRunsOnTheVirtualClock(VirtualTimeScope scope) {
        long t0 = System.nanoTime();
        assertTrue(Suspend.inCoroutine(), "the method body is a coroutine body");
        Suspend.delay(Duration.ofHours(2));
        assertEquals(7_200_000, scope.currentTime());
        assertTrue(System.nanoTime() - t0 < 2_000_000_000L);
    }

    @CoflowTest
    void withoutAScopeParameterTheMethodRunsPlainly() {
        assertFalse(Suspend.inCoroutine());
    }

    @CoflowTest
    void childrenAndFlowTesterInsideAVirtualTestMethod(VirtualTimeScope scope) {
        Task<Integer> slow = scope.async(() -> {
            Suspend.delay(5_000);
            return 5;
        });
        FlowTester.test(
                JavaGenerator.<String>generate(e -> {
                    Suspend.delay(1_000);
                    e.emit("x");
                }),
                t -> {
                    assertEquals("x", t.awaitItem());
                    t.awaitComplete();
                });
        assertEquals(1_000, scope.currentTime());
        assertEquals(5, slow.await());
        assertEquals(5_000, scope.currentTime());
    }

    @Test
    @ExtendWith(CoflowExtension.class)
    void plainExtendWithAlsoInjectsTheScope(VirtualTimeScope scope) {
        scope.advanceTimeBy(Duration.ofSeconds(30));
        assertEquals(30_000, scope.currentTime());
    }

    // ---- the extension fails tests when it should -------------------------------------------------

    @Test
    void aLeakedBodyFailsTheTestThatStartedIt() {
        String old = System.getProperty("coflow.test.leakGraceMillis");
        System.setProperty("coflow.test.leakGraceMillis", "100");
        try {
            TestExecutionSummary s = runCase(LeakingCase.class);
            assertEquals(1, s.getTotalFailureCount());
            Throwable e = s.getFailures().get(0).getException();
            assertInstanceOf(AssertionError.class, e);
            assertTrue(e.getMessage().contains("1 coroutine body started by leaks() still running"), e.getMessage());
        } finally {
            LeakingCase.cleanUp();
            if (old == null) {
                System.clearProperty("coflow.test.leakGraceMillis");
            } else {
                System.setProperty("coflow.test.leakGraceMillis", old);
            }
        }
        CoflowExtension.assertNoBodiesRunning(Duration.ofSeconds(2));
    }

    @Test
    void withLeakGraceZeroFailsABodyStillRunningWhenTheTestReturns() {
        try {
            TestExecutionSummary s = runCase(StrictLeakingCase.class);
            assertEquals(1, s.getTotalFailureCount());
            Throwable e = s.getFailures().get(0).getException();
            assertInstanceOf(AssertionError.class, e);
            assertTrue(
                    e.getMessage().contains("1 coroutine body started by leaks() still running 0 ms after it ended"),
                    e.getMessage());
        } finally {
            LeakingCase.cleanUp();
        }
        CoflowExtension.assertNoBodiesRunning(Duration.ofSeconds(2));
    }

    @Test
    void withLeakGracePassesATestWhoseBodiesEnded() {
        TestExecutionSummary s = runCase(StrictCleanCase.class);
        assertEquals(1, s.getTestsSucceededCount());
        assertEquals(0, s.getTotalFailureCount());
    }

    @Test
    void aRegisteredExtensionAndCoflowTestOnTheSameClassRunTheMethodOnceOnTheVirtualClock() {
        TestExecutionSummary s = runCase(StrictVirtualCase.class);
        assertEquals(1, s.getTestsSucceededCount(), () -> s.getFailures().toString());
        assertEquals(1, StrictVirtualCase.RUNS.get(), "the method body ran once");
    }

    @Test
    void assertNoBodiesRunningFailsWhileABodyRunsAndPassesOnceItEnded() throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        CompletableFuture<Object> f = Coroutines.start(scope -> {
            running.countDown();
            return Suspend.await(new CompletableFuture<>());
        });
        try {
            running.await();
            AssertionError e = assertThrows(
                    AssertionError.class, () -> CoflowExtension.assertNoBodiesRunning(Duration.ofMillis(50)));
            assertTrue(e.getMessage().startsWith("1 coroutine body still running 50 ms after"), e.getMessage());
        } finally {
            f.cancel(true);
        }
        CoflowExtension.assertNoBodiesRunning(Duration.ofSeconds(2));
    }

    @Test
    void badGracesAreRejectedNamingTheArgument() {
        var npe = assertThrows(NullPointerException.class, () -> CoflowExtension.withLeakGrace(null));
        assertTrue(npe.getMessage().startsWith("withLeakGrace(grace) must not be null"), npe.getMessage());
        var iae = assertThrows(
                IllegalArgumentException.class, () -> CoflowExtension.assertNoBodiesRunning(Duration.ofMillis(-1)));
        assertEquals("assertNoBodiesRunning(within) must be zero or positive, was PT-0.001S", iae.getMessage());
    }

    @Test
    void aVirtualBodyThatNeverEndsFailsWithTheTimeoutMessage() {
        TestExecutionSummary s = runCase(HangingCase.class);
        assertEquals(1, s.getTotalFailureCount());
        Throwable e = s.getFailures().get(0).getException();
        assertTrue(e.getMessage().contains("did not finish within PT0.1S of wall-clock time"), e.getMessage());
    }

    @Test
    void assertionsInsideTheVirtualBodyFailTheTestUnchanged() {
        TestExecutionSummary s = runCase(FailingCase.class);
        assertEquals(2, s.getTestsFoundCount());
        assertEquals(1, s.getTotalFailureCount());
        Throwable e = s.getFailures().get(0).getException();
        assertTrue(e.getMessage().contains("virtual clock said 1000"), e.getMessage());
    }

    private static TestExecutionSummary runCase(Class<?> testClass) {
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(
                LauncherDiscoveryRequestBuilder.request()
                        .selectors(selectClass(testClass))
                        .build(),
                listener);
        return listener.getSummary();
    }

    // ---- cases run by the launcher above (surefire does not pick up nested classes) --------------

    static class LeakingCase {
        static final List<CompletableFuture<?>> LEAKED = new ArrayList<>();

        @CoflowTest
        void leaks() throws InterruptedException {
            CountDownLatch running = new CountDownLatch(1);
            CompletableFuture<Object> f = Coroutines.start(scope -> {
                running.countDown();
                return Suspend.await(new CompletableFuture<>());
            });
            synchronized (LEAKED) {
                LEAKED.add(f);
            }
            running.await(); // the body is running when the test method returns
        }

        static void cleanUp() {
            synchronized (LEAKED) {
                LEAKED.forEach(f -> f.cancel(true));
                LEAKED.clear();
            }
        }
    }

    static class StrictLeakingCase {
        @RegisterExtension
        static final CoflowExtension COFLOW = CoflowExtension.withLeakGrace(Duration.ZERO);

        @Test
        void leaks() throws InterruptedException {
            new LeakingCase().leaks();
        }
    }

    static class StrictCleanCase {
        @RegisterExtension
        static final CoflowExtension COFLOW = CoflowExtension.withLeakGrace(Duration.ZERO);

        @Test
        void awaitsItsBody() {
            Integer three = Coroutines.run(scope -> scope.async(() -> {
                        Suspend.delay(1);
                        return 3;
                    })
                    .await());
            assertEquals(3, three);
        }
    }

    static class StrictVirtualCase {
        static final java.util.concurrent.atomic.AtomicInteger RUNS = new java.util.concurrent.atomic.AtomicInteger();

        @RegisterExtension
        static final CoflowExtension COFLOW = CoflowExtension.withLeakGrace(Duration.ZERO);

        @CoflowTest
        void virtual(VirtualTimeScope scope) {
            RUNS.incrementAndGet();
            Suspend.delay(Duration.ofMinutes(1));
            assertEquals(60_000, scope.currentTime());
        }
    }

    static class HangingCase {
        @CoflowTest(timeoutMillis = 100)
        void hangs(VirtualTimeScope scope) {
            Suspend.await(new CompletableFuture<Void>());
        }
    }

    static class FailingCase {
        @CoflowTest
        void fails(VirtualTimeScope scope) {
            Suspend.delay(1_000);
            assertEquals(0, scope.currentTime(), "virtual clock said " + scope.currentTime());
        }

        @CoflowTest
        void passes(VirtualTimeScope scope) {
            FlowTester.test(FlowKt.flowOf(1), t -> {
                assertEquals(1, t.awaitItem());
                t.awaitComplete();
            });
        }
    }
}
