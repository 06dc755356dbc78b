package dev.coflow.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.coflow.bridge.Coroutines;
import java.util.List;
import java.util.stream.IntStream;
import kotlinx.coroutines.YieldKt;
import org.junit.jupiter.api.Test;

/** Every benchmark of a case computes the same answer, so their times compare like with like. */
class AnchorsAgreeTest {
    @Test
    void pipelineAnchorsComputeTheSameSum() {
        PipelineBench b = new PipelineBench();
        b.n = 10_000;
        long expected = b.loop();
        assertEquals(2L * 3 * (3333L * 3334 / 2), expected); // 2i for i = 0, 3, ..., 9999
        assertEquals(expected, b.intStream());
        assertEquals(expected, b.kotlinx());
        assertEquals(expected, b.kotlinxOnDefault());
        assertEquals(expected, b.reactor());
        assertEquals(expected, b.reactorGenerate());
        assertEquals(expected, b.rxjava());
        assertEquals(expected, b.coflow());
        assertEquals(expected, b.coflowGenerate());
        assertEquals(expected, b.coflowGenerateOnDefault());
    }

    @Test
    void bufferAnchorsSumTheRange() {
        BufferBench b = new BufferBench();
        b.n = 1_000;
        assertEquals(499_500L, b.kotlinx());
        assertEquals(499_500L, b.reactor());
        assertEquals(499_500L, b.coflowGenerate());
    }

    @Test
    void callOverheadAnchorsCollectTenElements() {
        CallOverheadBench b = new CallOverheadBench();
        List<Integer> ten = IntStream.range(0, 10).boxed().toList();
        assertEquals(ten, b.kotlinx());
        assertEquals(ten, b.reactor());
        assertEquals(ten, b.coflow());
        assertEquals(ten, b.coflowGenerate());
    }

    @Test
    void mapAsyncAnchorsFoldTheResultsInElementOrder() throws Exception {
        MapAsyncBench b = new MapAsyncBench();
        b.tasks = 300; // 300 blocking calls of 1 ms, 64 at a time: a few ms per side
        long expected = 0;
        for (int i = 0; i < b.tasks; i++) {
            expected = MapAsyncBench.combine(expected, i);
        }
        assertNotEquals(
                MapAsyncBench.combine(MapAsyncBench.combine(0, 0), 1),
                MapAsyncBench.combine(MapAsyncBench.combine(0, 1), 0),
                "combine must be order-sensitive");
        assertEquals(expected, b.coflow());
        assertEquals(expected, b.reactor());
        assertEquals(expected, b.virtualThreads());
        assertEquals(0, Coroutines.activeBodies(), "every mapAsync body returned");
    }

    @Test
    void bridgeCasesMakeKCalls() {
        BridgeBench b = new BridgeBench();
        b.k = 50;
        assertEquals(50, b.delayJavaBody());
        assertEquals(50, b.delayInlineBody());
        assertEquals(50, b.delayJavaBodyOnDefault());
        assertEquals(50L, b.delayStateMachine());
        assertEquals(50L * 7, b.awaitJavaBody());
        assertEquals(50L, b.awaitStateMachine());
        assertEquals(kotlin.Unit.INSTANCE, b.delayKotlinFlow());
        assertEquals(kotlin.Unit.INSTANCE, b.awaitKotlinFlow());
    }

    @Test
    void callLoopResumesAfterARealSuspension() {
        // yield() suspends inside runBlocking's event loop: the state machine must resume and finish.
        long made = Kx.<Long>runBlocking((scope, c) -> CallLoop.run(5, c2 -> YieldKt.yield(c2), c));
        assertEquals(5L, made);
    }
}
