package dev.coflow.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coflow.bridge.internal.KotlinxInternals;
import java.util.List;
import java.util.concurrent.CancellationException;
import kotlin.coroutines.CoroutineContext;
import kotlin.coroutines.EmptyCoroutineContext;
import kotlinx.coroutines.Dispatchers;
import kotlinx.coroutines.flow.FlowKt;
import kotlinx.coroutines.test.TestScopeKt;
import org.junit.jupiter.api.Test;

/**
 * Every kotlinx internal, mangled name or class-name check coflow relies on (all of them live in
 * {@link KotlinxInternals}) still resolves in the kotlinx on the class path: after a kotlinx
 * upgrade that moves one, this test fails and names the symbol.
 */
class KotlinxInternalsTest {
    private static final List<String> EVERY_SYMBOL = List.of(
            "kotlinx.coroutines.CoroutineId",
            "kotlinx.coroutines.test.TestDispatcher",
            "kotlinx.coroutines.test.TestCoroutineScheduler",
            "TestDispatcher.getScheduler",
            "TestCoroutineScheduler.getCurrentTime",
            "TestCoroutineScheduler.runCurrent",
            "TestCoroutineScheduler.advanceTimeBy",
            "TestCoroutineScheduler.tryRunNextTaskUnless$kotlinx_coroutines_test",
            "TestCoroutineScheduler.isIdle$kotlinx_coroutines_test",
            "kotlinx.coroutines.test.BackgroundWork",
            "SendChannel.trySend-JP2dKIU",
            "ChannelResult.isSuccess-impl",
            "kotlinx.coroutines.flow.internal.FusibleFlow",
            "kotlinx.coroutines.flow.internal.AbortFlowException",
            "kotlinx.coroutines.BlockingCoroutine",
            "kotlinx.coroutines.EventLoop",
            "kotlinx.coroutines.ThreadLocalEventLoop",
            "ThreadLocalEventLoop.currentOrNull$kotlinx_coroutines_core",
            "EventLoop.processNextEvent",
            "kotlinx.coroutines.internal.LimitedDispatcher",
            "LimitedDispatcher.access$getDispatcher$p",
            "kotlinx.coroutines.scheduling.UnlimitedIoScheduler");

    @Test
    void everySymbolResolves() {
        List<String> resolved;
        try {
            resolved = KotlinxInternals.resolveAll(KotlinxInternals.class.getClassLoader());
        } catch (IllegalStateException e) {
            throw new AssertionError(e.getMessage(), e);
        }
        assertEquals(EVERY_SYMBOL, resolved);
    }

    @Test
    void theHoldersResolvedEveryHandle() {
        try {
            assertNotNull(KotlinxInternals.Channels.TRY_SEND, "SendChannel.trySend-JP2dKIU");
            assertNotNull(KotlinxInternals.Channels.IS_SUCCESS, "ChannelResult.isSuccess-impl");
        } catch (ExceptionInInitializerError | NoClassDefFoundError e) {
            throw new AssertionError("a kotlinx internal is missing: " + e.getMessage(), e);
        }
        assertNotNull(KotlinxInternals.TestScheduler.DISPATCHER, KotlinxInternals.TEST_DISPATCHER);
        assertNotNull(KotlinxInternals.TestScheduler.GET_SCHEDULER, "TestDispatcher.getScheduler");
        assertNotNull(KotlinxInternals.TestScheduler.CURRENT_TIME, "TestCoroutineScheduler.getCurrentTime");
        assertNotNull(KotlinxInternals.TestScheduler.RUN_CURRENT, "TestCoroutineScheduler.runCurrent");
        assertNotNull(KotlinxInternals.TestScheduler.ADVANCE_BY, "TestCoroutineScheduler.advanceTimeBy");
        assertNotNull(KotlinxInternals.TestScheduler.TRY_RUN_NEXT, KotlinxInternals.TRY_RUN_NEXT_TASK_UNLESS);
        assertNotNull(KotlinxInternals.TestScheduler.IS_IDLE, KotlinxInternals.IS_IDLE);
    }

    /** The failure a kotlinx upgrade would cause names the symbol: here a loader hides kotlinx-coroutines-test. */
    @Test
    void aMissingSymbolIsNamed() {
        ClassLoader real = KotlinxInternals.class.getClassLoader();
        ClassLoader withoutTest = new ClassLoader(real) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.startsWith("kotlinx.coroutines.test.")) {
                    throw new ClassNotFoundException(name);
                }
                return super.loadClass(name, resolve);
            }
        };
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> KotlinxInternals.resolveAll(withoutTest));
        assertTrue(e.getMessage().contains("internal symbol kotlinx.coroutines.test.TestDispatcher,"), e.getMessage());
        assertTrue(e.getMessage().contains("kotlinx-coroutines " + KotlinxInternals.KOTLINX_VERSION), e.getMessage());
    }

    @Test
    void theChecksRecogniseWhatTheyAreFor() throws ReflectiveOperationException {
        assertTrue(
                KotlinxInternals.isFusible(FlowKt.flowOn(FlowKt.flowOf(1), Dispatchers.getDefault())),
                "kotlinx's flowOn is a FusibleFlow");
        assertFalse(KotlinxInternals.isFusible(FlowKt.flowOf(1)));
        assertFalse(KotlinxInternals.isFlowInternal(new CancellationException("plain")));
        Throwable abort = (Throwable) KotlinxInternals.load(KotlinxInternals.ABORT_FLOW_EXCEPTION)
                .getConstructor(Object.class)
                .newInstance(new Object());
        assertTrue(KotlinxInternals.isFlowInternal(abort));

        Object coroutineId = KotlinxInternals.load(KotlinxInternals.COROUTINE_ID)
                .getConstructor(long.class)
                .newInstance(1L);
        assertTrue(KotlinxInternals.isCoroutineId(coroutineId));
        assertFalse(KotlinxInternals.isCoroutineId(Dispatchers.getDefault()));

        CoroutineContext background = TestScopeKt.TestScope(EmptyCoroutineContext.INSTANCE)
                .getBackgroundScope()
                .getCoroutineContext();
        Object marker =
                background.fold(null, (acc, element) -> KotlinxInternals.isBackgroundWork(element) ? element : acc);
        assertNotNull(marker, "a TestScope's background scope carries kotlinx's BackgroundWork element");
        assertFalse(KotlinxInternals.isBackgroundWork(Dispatchers.getDefault()));
    }

    @Test
    void theBridgeUsesTheSameResolvedHandles() {
        // TestSchedulerSteps and Fiber read their handles from the holder, not a second lookup.
        assertSame(KotlinxInternals.load(KotlinxInternals.TEST_DISPATCHER), KotlinxInternals.TestScheduler.DISPATCHER);
        assertTrue(TestSchedulerSteps.isTestDispatcher(
                kotlinx.coroutines.test.TestCoroutineDispatchersKt.StandardTestDispatcher(null, null)));
    }
}
