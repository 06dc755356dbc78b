package dev.coflow;

import static org.junit.jupiter.api.Assertions.*;

import dev.coflow.bridge.Coroutines;
import dev.coflow.bridge.Suspend;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import kotlin.Unit;
import kotlin.coroutines.Continuation;
import kotlin.coroutines.EmptyCoroutineContext;
import kotlin.jvm.functions.Function2;
import kotlinx.coroutines.BuildersKt;
import kotlinx.coroutines.CoroutineScope;
import kotlinx.coroutines.CoroutineStart;
import kotlinx.coroutines.flow.FlowCollector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A generator collected by the code of a kotlinx {@code runBlocking} block (ADR 0003): it runs on
 * runBlocking's thread as {@code flow {}} would, with no handoff per element; while it waits, the
 * block's other coroutines run; in a child coroutine it keeps its own virtual thread.
 */
class RunBlockingCollectorTest {

    @AfterEach
    void nothingLeaks() {
        assertEquals(0, Coroutines.activeBodies());
    }

    private static <T> T runBlocking(Function2<CoroutineScope, Continuation<? super T>, Object> block)
            throws InterruptedException {
        return BuildersKt.runBlocking(EmptyCoroutineContext.INSTANCE, block);
    }

    private static Object collectInto(AsyncFlow<Integer> flow, List<Object> out, Continuation<? super Unit> c) {
        return flow.collect(
                (FlowCollector<Integer>) (v, c2) -> {
                    out.add(v + "@" + Thread.currentThread().getName());
                    return Unit.INSTANCE;
                },
                c);
    }

    @Test
    void aGeneratorCollectedByRunBlockingItselfRunsOnItsThread() throws Exception {
        List<String> bodyThreads = Collections.synchronizedList(new ArrayList<>());
        AsyncFlow<Integer> gen = AsyncFlow.generate(e -> {
            for (int i = 0; i < 3; i++) {
                bodyThreads.add(Thread.currentThread().getName());
                e.emit(i);
            }
        });
        String me = Thread.currentThread().getName();
        List<Object> got = new ArrayList<>();
        runBlocking((scope, c) -> collectInto(gen, got, c));
        // kotlinx debug mode (-ea) appends " @coroutine#n" to the name while a coroutine runs
        for (String t : bodyThreads) {
            assertTrue(t.startsWith(me), t);
        }
        assertEquals(3, got.size());
        for (int i = 0; i < 3; i++) {
            assertTrue(
                    ((String) got.get(i)).startsWith(i + "@" + me), got.get(i).toString());
        }
    }

    @Test
    void whileTheGeneratorWaitsTheBlocksOtherCoroutinesRun() throws Exception {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        AsyncFlow<Integer> gen = AsyncFlow.generate(e -> {
            log.add("gen start");
            Suspend.delay(50);
            log.add("gen after delay");
            e.emit(1);
        });
        List<Object> got = new ArrayList<>();
        runBlocking((scope, c) -> {
            BuildersKt.launch(scope, EmptyCoroutineContext.INSTANCE, CoroutineStart.DEFAULT, (s, c2) -> {
                log.add("sibling");
                return Unit.INSTANCE;
            });
            return collectInto(gen, got, c);
        });
        assertEquals(List.of("gen start", "sibling", "gen after delay"), log);
        assertEquals(1, got.size());
    }

    @Test
    void inAChildCoroutineTheGeneratorKeepsItsOwnVirtualThread() throws Exception {
        List<Boolean> virtual = Collections.synchronizedList(new ArrayList<>());
        AsyncFlow<Integer> gen = AsyncFlow.generate(e -> {
            virtual.add(Thread.currentThread().isVirtual());
            e.emit(1);
        });
        List<Object> got = Collections.synchronizedList(new ArrayList<>());
        runBlocking((scope, c) -> {
            BuildersKt.launch(
                    scope,
                    EmptyCoroutineContext.INSTANCE,
                    CoroutineStart.DEFAULT,
                    (s, c2) -> collectInto(gen, got, c2));
            return Unit.INSTANCE;
        });
        assertEquals(List.of(true), virtual);
        assertEquals(1, got.size());
    }

    @Test
    void takeStopsTheInlineGeneratorAndItsFinallyRunsOnce() throws Exception {
        List<String> log = new ArrayList<>();
        AsyncFlow<Integer> gen = AsyncFlow.generate(e -> {
            try {
                for (int i = 0; ; i++) {
                    e.emit(i);
                }
            } finally {
                log.add("finally");
            }
        });
        List<Object> got = new ArrayList<>();
        runBlocking((scope, c) -> collectInto(gen.take(5), got, c));
        assertEquals(5, got.size());
        assertEquals(List.of("finally"), log);
    }

    @Test
    void aFailureOfTheInlineGeneratorReachesRunBlockingAsItself() {
        IllegalStateException boom = new IllegalStateException("boom");
        AsyncFlow<Integer> gen = AsyncFlow.generate(e -> {
            e.emit(1);
            throw boom;
        });
        List<Object> got = new ArrayList<>();
        IllegalStateException caught =
                assertThrows(IllegalStateException.class, () -> runBlocking((scope, c) -> collectInto(gen, got, c)));
        assertEquals("boom", caught.getMessage());
        assertEquals(1, got.size());
    }

    @Test
    void cancellingRunBlockingWhileTheGeneratorWaitsRunsItsFinally() throws Exception {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        AsyncFlow<Integer> gen = AsyncFlow.generate(e -> {
            try {
                e.emit(1);
                Suspend.delay(60_000);
                e.emit(2);
            } finally {
                log.add("finally");
            }
        });
        List<Object> got = new ArrayList<>();
        assertThrows(
                CancellationException.class,
                () -> runBlocking((scope, c) -> {
                    kotlinx.coroutines.Job job = scope.getCoroutineContext().get(kotlinx.coroutines.Job.Key);
                    BuildersKt.launch(scope, EmptyCoroutineContext.INSTANCE, CoroutineStart.DEFAULT, (s, c2) -> {
                        job.cancel(null);
                        return Unit.INSTANCE;
                    });
                    return collectInto(gen, got, c);
                }));
        assertEquals(List.of("finally"), log);
        assertEquals(1, got.size());
    }

    @Test
    void anInterruptWhileTheInlineGeneratorWaitsCancelsRunBlockingAndIsNotLost() {
        AsyncFlow<Integer> gen = AsyncFlow.generate(e -> {
            Thread.currentThread().interrupt(); // the runBlocking thread itself: this body runs on it
            Suspend.delay(60_000);
            e.emit(1);
        });
        List<Object> got = new ArrayList<>();
        Exception failure = assertThrows(Exception.class, () -> runBlocking((scope, c) -> collectInto(gen, got, c)));
        boolean flagStillSet = Thread.interrupted();
        assertTrue(got.isEmpty());
        // never lost: kotlinx's runBlocking turns the flag into its InterruptedException, or it is still set
        assertTrue(
                failure instanceof InterruptedException || failure instanceof CancellationException && flagStillSet,
                failure + ", flag " + flagStillSet);
    }
}
