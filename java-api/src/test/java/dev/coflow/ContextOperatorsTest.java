package dev.coflow;

import static dev.coflow.OperatorTestBase.collectSlowly;
import static dev.coflow.OperatorTestBase.inVirtualTime;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coflow.OperatorTestBase.Timed;
import dev.coflow.bridge.Coroutines;
import dev.coflow.bridge.Suspend;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import kotlin.Unit;
import kotlinx.coroutines.Dispatchers;
import kotlinx.coroutines.Job;
import kotlinx.coroutines.JobKt;
import kotlinx.coroutines.channels.BufferOverflow;
import kotlinx.coroutines.flow.Flow;
import kotlinx.coroutines.flow.FlowCollector;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** buffer, conflate, flowOn, cancellable (kotlinx Context.kt) and docs/semantics.md §2 timing, exact in virtual time (§8). */
class ContextOperatorsTest {

    @Nested
    class DefaultBuffer extends OperatorTestBase {
        protected AsyncFlow<?> apply(AsyncFlow<Integer> up) {
            return up.buffer();
        }

        protected List<?> expected() {
            return List.of(1, 2, 3, 4, 5);
        }

        protected List<String> expectedOrder() {
            return null;
        }
    }

    @Nested
    class SmallBuffer extends OperatorTestBase {
        protected AsyncFlow<?> apply(AsyncFlow<Integer> up) {
            return up.buffer(2);
        }

        protected List<?> expected() {
            return List.of(1, 2, 3, 4, 5);
        }

        protected List<String> expectedOrder() {
            return null;
        }
    }

    @Nested
    class Conflate extends OperatorTestBase {
        protected AsyncFlow<?> apply(AsyncFlow<Integer> up) {
            return up.conflate();
        }

        protected List<?> expected() {
            return List.of(1, 2, 3, 4, 5);
        }

        protected List<String> expectedOrder() {
            return null;
        }

        /** Conflation may drop any element but the last; what is kept stays in order. */
        @Override
        protected void assertValues(List<?> actual) {
            assertTrue(!actual.isEmpty() && actual.getLast().equals(5), actual::toString);
            for (int i = 1; i < actual.size(); i++) {
                assertTrue((Integer) actual.get(i - 1) < (Integer) actual.get(i), actual::toString);
            }
        }
    }

    @Nested
    class FlowOnDispatcher extends OperatorTestBase {
        protected AsyncFlow<?> apply(AsyncFlow<Integer> up) {
            return up.flowOn(Dispatchers.getDefault());
        }

        protected List<?> expected() {
            return List.of(1, 2, 3, 4, 5);
        }

        protected List<String> expectedOrder() {
            return null;
        }
    }

    @Nested
    class Cancellable extends OperatorTestBase {
        protected AsyncFlow<?> apply(AsyncFlow<Integer> up) {
            return up.cancellable();
        }

        protected List<?> expected() {
            return List.of(1, 2, 3, 4, 5);
        }

        protected List<String> expectedOrder() {
            return oneToOne(1, 2, 3);
        }
    }

    // ---- docs/semantics.md §2: the article's timing, exact in virtual time ----------------------

    /** Takes 500 ms per item read, like the article's slow source. */
    private static AsyncFlow<Integer> slowSource() {
        return AsyncFlow.generate(out -> {
            for (int i = 1; i <= 3; i++) {
                Suspend.delay(500);
                out.emit(i);
            }
        });
    }

    @Test
    void unbufferedSourceAloneTakesTheSumOfItsReads() {
        Timed<List<Integer>> t = inVirtualTime(() -> slowSource().toList());
        assertEquals(List.of(1, 2, 3), t.value());
        assertEquals(1_500, t.virtualMillis());
    }

    @Test
    void unbufferedSourceAndWorkingConsumerTakeTheSum() {
        Timed<List<Integer>> t = inVirtualTime(() -> collectSlowly(slowSource(), 500));
        assertEquals(List.of(1, 2, 3), t.value());
        assertEquals(3_000, t.virtualMillis());
    }

    @Test
    void bufferOverlapsSourceAndConsumer() {
        // the source reads item k+1 while the consumer works on item k: 3 x 500 + the last item's 500
        Timed<List<Integer>> t = inVirtualTime(() -> collectSlowly(slowSource().buffer(3), 500));
        assertEquals(List.of(1, 2, 3), t.value());
        assertEquals(2_000, t.virtualMillis());
    }

    // ---- overflow policies, deterministic in virtual time --------------------------------------

    /** Emits 1..5 at 100, 200, ..., 500 ms; the consumer works 250 ms per element. */
    private static Timed<List<Integer>> fastSourceSlowConsumer(
            java.util.function.UnaryOperator<AsyncFlow<Integer>> op) {
        AsyncFlow<Integer> source = AsyncFlow.generate(out -> {
            for (int i = 1; i <= 5; i++) {
                Suspend.delay(100);
                out.emit(i);
            }
        });
        return inVirtualTime(() -> collectSlowly(op.apply(source), 250));
    }

    @Test
    void conflateKeepsTheLatest() {
        Timed<List<Integer>> t = fastSourceSlowConsumer(AsyncFlow::conflate);
        assertEquals(List.of(1, 3, 5), t.value());
        assertEquals(850, t.virtualMillis());
    }

    @Test
    void dropOldestKeepsTheNewest() {
        Timed<List<Integer>> t = fastSourceSlowConsumer(f -> f.buffer(1, BufferOverflow.DROP_OLDEST));
        assertEquals(List.of(1, 3, 5), t.value());
    }

    @Test
    void dropLatestKeepsWhatIsAlreadyBuffered() {
        Timed<List<Integer>> t = fastSourceSlowConsumer(f -> f.buffer(1, BufferOverflow.DROP_LATEST));
        assertEquals(List.of(1, 2, 4), t.value());
        assertEquals(850, t.virtualMillis());
    }

    @Test
    void suspendPolicyNeverDrops() {
        Timed<List<Integer>> t = fastSourceSlowConsumer(f -> f.buffer(1));
        assertEquals(List.of(1, 2, 3, 4, 5), t.value());
        assertEquals(100 + 5 * 250, t.virtualMillis());
    }

    // ---- flowOn and cancellable ----------------------------------------------------------------

    @Test
    void flowOnExecutorRunsTheUpstreamOperatorsThere() {
        ExecutorService ex = Executors.newSingleThreadExecutor(r -> new Thread(r, "flowOn-test"));
        try {
            List<String> threads = AsyncFlow.of(1, 2)
                    .map(v -> Thread.currentThread().getName())
                    .flowOn(ex)
                    .map(name -> name + "->" + Thread.currentThread().getName())
                    .toList();
            // (under -ea kotlinx's debug mode appends " @coroutine#n" to thread names)
            assertEquals(2, threads.size());
            for (String t : threads) {
                String[] upDown = t.split("->");
                assertTrue(upDown[0].startsWith("flowOn-test"), t);
                assertTrue(upDown[1].startsWith(Thread.currentThread().getName()), t);
            }
        } finally {
            ex.shutdownNow();
        }
    }

    @Test
    void cancellableStopsAForeignFlowThatNeverSuspends() {
        int[] produced = {0};
        int[] delivered = {0};
        // a raw kotlinx Flow (no SafeCollector): it never checks for cancellation on its own
        Flow<Integer> raw =
                (FlowCollector<? super Integer> collector, kotlin.coroutines.Continuation<? super Unit> c) -> {
                    for (int i = 1; i <= 1_000; i++) {
                        produced[0]++;
                        collector.emit(i, c);
                    }
                    return Unit.INSTANCE;
                };
        assertThrows(
                CancellationException.class,
                () -> Coroutines.run(scope -> {
                    Job job = JobKt.getJob(Suspend.context());
                    return AsyncFlow.from(raw)
                            .onEach(v -> {
                                if (v == 3) {
                                    job.cancel((CancellationException) null);
                                }
                            })
                            .toList();
                }));
        assertEquals(1_000, produced[0], "control: without cancellable() the raw source runs to its end");
        produced[0] = 0;
        assertThrows(
                CancellationException.class,
                () -> Coroutines.run(scope -> {
                    Job job = JobKt.getJob(Suspend.context());
                    return AsyncFlow.from(raw)
                            .cancellable()
                            .onEach(v -> {
                                delivered[0]++;
                                if (v == 3) {
                                    job.cancel((CancellationException) null);
                                }
                            })
                            .toList();
                }));
        // the source tried a 4th emit (it cannot know), cancellable() refused it; without it, all 1000 run
        assertEquals(3, delivered[0]);
        assertEquals(4, produced[0]);
    }

    // ---- bad input -----------------------------------------------------------------------------

    @Test
    void badCapacitiesAndContextsAreRejectedWithTheFix() {
        AsyncFlow<Integer> f = AsyncFlow.of(1);
        IllegalArgumentException neg = assertThrows(IllegalArgumentException.class, () -> f.buffer(-1));
        assertTrue(
                neg.getMessage().contains("capacity must be >= 0")
                        && neg.getMessage().contains("buffer()"),
                neg.getMessage());
        IllegalArgumentException zero =
                assertThrows(IllegalArgumentException.class, () -> f.buffer(0, BufferOverflow.DROP_OLDEST));
        assertTrue(zero.getMessage().contains("capacity >= 1"), zero.getMessage());
        TransformOperatorsTest.assertNpe("overflow", () -> f.buffer(1, null));
        TransformOperatorsTest.assertNpe("executor", () -> f.flowOn((java.util.concurrent.Executor) null));
        TransformOperatorsTest.assertNpe("context", () -> f.flowOn((kotlin.coroutines.CoroutineContext) null));
        IllegalArgumentException job = assertThrows(IllegalArgumentException.class, () -> f.flowOn(JobKt.Job(null)));
        assertTrue(job.getMessage().contains("must not contain a Job"), job.getMessage());
    }
}
