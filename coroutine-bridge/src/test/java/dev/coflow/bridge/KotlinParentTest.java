package dev.coflow.bridge;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import kotlin.coroutines.EmptyCoroutineContext;
import kotlinx.coroutines.CoroutineScope;
import kotlinx.coroutines.CoroutineScopeKt;
import kotlinx.coroutines.Job;
import org.junit.jupiter.api.Test;

/** A Kotlin parent Job in the context, bodies that throw CancellationException themselves, odd values. */
class KotlinParentTest {

    @Test
    void cancellingAKotlinParentJobCancelsABlockingRun() throws Exception {
        CoroutineScope parent = CoroutineScopeKt.CoroutineScope(EmptyCoroutineContext.INSTANCE);
        Job job = parent.getCoroutineContext().get(Job.Key);
        CountDownLatch started = new CountDownLatch(1);
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            try {
                Coroutines.run(job, scope -> {
                    try {
                        started.countDown();
                        Suspend.delay(Long.MAX_VALUE);
                        return null;
                    } finally {
                        log.add("finally");
                    }
                });
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        assertTrue(started.await(10, TimeUnit.SECONDS));
        job.cancel(null);
        assertInstanceOf(CancellationException.class, outcome.get(10, TimeUnit.SECONDS));
        assertEquals(List.of("finally"), log);
    }

    @Test
    void aBodyThrowingCancellationExceptionEndsItsScopeCancelled() {
        var e = assertThrows(
                CancellationException.class,
                () -> Coroutines.run(scope -> {
                    throw new CancellationException("stop here");
                }));
        assertNotNull(e);
    }

    @Test
    void aChildThrowingCancellationExceptionDoesNotFailItsParent() {
        String v = Coroutines.run(scope -> {
            Task<String> child = scope.async(() -> {
                throw new CancellationException("child gives up");
            });
            child.join();
            assertTrue(child.isCancelled());
            return "parent fine";
        });
        assertEquals("parent fine", v);
    }

    @Test
    void nullResultsFlowThroughEveryPath() {
        assertEquals(Arrays.asList(null, "x"), Coroutines.gather(() -> null, () -> "x"));
        Object launched =
                Coroutines.run(scope -> scope.launch(() -> Suspend.delay(1)).await());
        assertNull(launched);
        Object awaited = Coroutines.run(scope -> Suspend.await(CompletableFuture.supplyAsync(() -> null)));
        assertNull(awaited);
    }
}
