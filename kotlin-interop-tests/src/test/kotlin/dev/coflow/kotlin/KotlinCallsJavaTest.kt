package dev.coflow.kotlin

import app.cash.turbine.test
import dev.coflow.MutableAsyncSharedFlow
import dev.coflow.MutableAsyncStateFlow
import dev.coflow.bridge.Coroutines
import dev.coflow.bridge.SuspendBody
import java.io.IOException
import java.nio.file.Path
import java.util.concurrent.Executors
import kotlin.coroutines.Continuation
import kotlin.coroutines.CoroutineContext
import kotlin.coroutines.EmptyCoroutineContext
import kotlin.coroutines.cancellation.CancellationException
import kotlin.coroutines.intrinsics.suspendCoroutineUninterceptedOrReturn
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.channels.BufferOverflow
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.SharingStarted
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.stateIn
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.test.currentTime
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertInstanceOf
import org.junit.jupiter.api.Assertions.assertNotSame
import org.junit.jupiter.api.Assertions.assertSame
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.DynamicTest.dynamicTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestFactory
import org.junit.jupiter.api.io.TempDir

/** A Java body awaited from Kotlin without a cast: Kotlin's own suspension intrinsic hands over the continuation. */
suspend fun <T> SuspendBody<T>.await(): T = suspendCoroutineUninterceptedOrReturn { c -> Coroutines.runSuspending(this, c) }

/** What `Coroutines.asSuspendFunction` returns, typed as the Kotlin function it is. */
@Suppress("UNCHECKED_CAST")
fun <T> Function1<Continuation<in T>, Any?>.suspending(): suspend () -> T = this as suspend () -> T

/**
 * The bridge's reverse direction: blocking Java work exposed as suspend functions and called from Kotlin
 * coroutines, never on a kotlinx dispatcher thread; and hot state shared across the language line.
 */
@OptIn(ExperimentalCoroutinesApi::class)
class KotlinCallsJavaTest {
    private val single = Executors.newSingleThreadExecutor { r -> Thread(r, "kotlin-single") }
    private val singleDispatcher = single.asCoroutineDispatcher()

    @AfterEach
    fun nothingLeaks() {
        singleDispatcher.close()
        assertEquals(0, Coroutines.activeBodies(), "Java bodies still running")
    }

    private fun contexts(): List<Pair<String, CoroutineContext>> = listOf(
        "runBlocking" to EmptyCoroutineContext,
        "Dispatchers.Default" to Dispatchers.Default,
        "Dispatchers.IO" to Dispatchers.IO,
        "Dispatchers.Default.limitedParallelism(1)" to Dispatchers.Default.limitedParallelism(1),
        "single-thread executor" to singleDispatcher,
    )

    @TestFactory
    fun blockingJavaWorkNeverRunsOnTheCallersDispatcherThread(@TempDir dir: Path) = contexts().map { (name, context) ->
        dynamicTest(name) {
            val java = JavaCatalog()
            val file = JavaCatalog.writeLines(dir.resolve("$name.txt"), listOf("a", "bb", "ccc"))
            val callers = mutableListOf<Thread>()
            runBlocking(context) {
                callers += Thread.currentThread()
                assertEquals(listOf("a", "bb", "ccc"), java.readAllLines(file).suspending()())
                callers += Thread.currentThread()
                assertEquals(listOf("a", "bb", "ccc"), java.readAllLinesBody(file).await())
                @Suppress("UNCHECKED_CAST")
                val sizeOf = java.sizeOf() as suspend (Path) -> Int
                // ten concurrent blocking calls from one coroutine scope
                val sizes = (1..10).map { async { sizeOf(file) } }.awaitAll()
                assertEquals(List(10) { 9 }, sizes)
            }
            assertEquals(12, java.threads.size)
            for (t in java.threads) {
                assertTrue(t.isVirtual, "blocking Java work ran on $t")
                assertFalse(t.name.startsWith("DefaultDispatcher") || t.name == "kotlin-single", "ran on $t")
                assertTrue(callers.none { it === t }, "ran on the caller's own thread $t")
            }
        }
    }

    @Test
    fun javaFailuresKeepTheirTypeAndCancellationStaysCancellation() = runBlocking {
        val java = JavaCatalog()
        val checked = IOException("no such shelf")
        val caught = runCatching { java.failingWith(checked).suspending()() }.exceptionOrNull()
        assertSame(checked, caught, "a checked Java exception arrives in Kotlin as itself")
        val own = CancellationException("the Java body gave up")
        val job = launch { java.failingWith(own).suspending()() }
        job.join()
        assertTrue(job.isCancelled)
        assertSame(own, runCatching { java.failingWith(own).suspending()() }.exceptionOrNull())
    }

    @Test
    fun kotlinCancellationReachesTheSuspendedJavaBodyOnce() = runTest {
        val java = JavaCatalog()
        val job = launch { java.waitThenAnswer(10_000).suspending()() }
        runCurrent()
        job.cancel()
        job.join()
        assertTrue(job.isCancelled)
        assertEquals(0, currentTime, "cancellation did not wait for the Java delay")
        assertEquals(1, java.finallies.get())

        val timedOut = runCatching { withTimeout(100) { java.waitThenAnswer(1_000).suspending()() } }.exceptionOrNull()
        assertInstanceOf(TimeoutCancellationException::class.java, timedOut)
        assertEquals(100, currentTime)
        assertEquals(2, java.finallies.get())
        assertEquals(250L, java.waitThenAnswer(250).suspending()())
        assertEquals(350, currentTime, "the Java delay ran in virtual time")
    }

    @Test
    fun coflowStateFlowCollectedByKotlinStateIn() = runTest {
        val source = MutableAsyncStateFlow.create(1)
        val kotlinView: Flow<Int> = source.asFlow()
        val lazily: StateFlow<Int> = kotlinView.map { it * 10 }.stateIn(backgroundScope)
        val eagerly: StateFlow<Int> = kotlinView.stateIn(backgroundScope, SharingStarted.Eagerly, -1)
        runCurrent()
        assertEquals(10, lazily.value)
        assertEquals(1, eagerly.value)
        source.set(4)
        runCurrent()
        assertEquals(40, lazily.value)
        assertEquals(4, eagerly.value)
        source.update { it + 1 }
        runCurrent()
        assertEquals(50, lazily.value)
        assertEquals(2, source.subscriptionCount().value(), "both stateIn collectors subscribe to the coflow state")
        source.asFlow().test {
            assertEquals(5, awaitItem())
            source.set(6)
            assertEquals(6, awaitItem())
            cancelAndIgnoreRemainingEvents()
        }
    }

    @Test
    fun coflowSharedFlowCollectedByKotlin() = runTest {
        val events = MutableAsyncSharedFlow.create<String>(1, 4, BufferOverflow.SUSPEND)
        assertTrue(events.tryEmit("opened"))
        events.asFlow().test {
            assertEquals("opened", awaitItem(), "the replayed event")
            assertTrue(events.tryEmit("sold"))
            assertEquals("sold", awaitItem())
            cancelAndIgnoreRemainingEvents()
        }
        val fromKotlin = MutableAsyncSharedFlow.create<String>(0, 4, BufferOverflow.SUSPEND)
        val view: Flow<String> = fromKotlin.asFlow()
        val collected = async { view.map { it.length }.take(2).toList() }
        runCurrent()
        fromKotlin.asKotlin().emit("a")
        fromKotlin.asKotlin().emit("bcd")
        assertEquals(listOf(1, 3), collected.await())
        assertNotSame(events, fromKotlin)
    }
}
