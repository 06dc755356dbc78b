package dev.coflow.kotlin

import app.cash.turbine.test
import dev.coflow.AsyncFlow
import dev.coflow.bridge.Coroutines
import java.io.IOException
import java.nio.file.Path
import java.util.concurrent.Executors
import kotlin.coroutines.CoroutineContext
import kotlin.coroutines.EmptyCoroutineContext
import kotlin.coroutines.cancellation.CancellationException
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.catch
import kotlinx.coroutines.flow.collect
import kotlinx.coroutines.flow.filter
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.flow.flowOn
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.onEach
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.test.currentTime
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertInstanceOf
import org.junit.jupiter.api.Assertions.assertSame
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.DynamicTest.dynamicTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestFactory
import org.junit.jupiter.api.io.TempDir

/**
 * Kotlin code collecting Java-built `AsyncFlow`s with kotlinx operators, on every kind of dispatcher a
 * Kotlin codebase uses. An `AsyncFlow` is a `Flow`, but its own members (`map`, `take`, `toList`, ...)
 * shadow the kotlinx extensions of the same name, and its `toList()` is the *blocking* terminal: Kotlin
 * code views it as a `Flow` first ([kt]) to get kotlinx's operators.
 */
@OptIn(ExperimentalCoroutinesApi::class)
class KotlinCollectsJavaFlowsTest {
    private val single = Executors.newSingleThreadExecutor { r -> Thread(r, "kotlin-single") }
    private val singleDispatcher = single.asCoroutineDispatcher()

    @AfterEach
    fun nothingLeaks() {
        singleDispatcher.close()
        assertEquals(0, Coroutines.activeBodies(), "Java bodies still running")
    }

    private fun <T> AsyncFlow<T>.kt(): Flow<T> = this

    /** The contexts a Kotlin codebase collects in; `runBlocking`'s own event loop is the empty one. */
    private fun contexts(): List<Pair<String, CoroutineContext>> = listOf(
        "runBlocking" to EmptyCoroutineContext,
        "Dispatchers.Default" to Dispatchers.Default,
        "Dispatchers.IO" to Dispatchers.IO,
        "Dispatchers.Default.limitedParallelism(1)" to Dispatchers.Default.limitedParallelism(1),
        "single-thread executor" to singleDispatcher,
    )

    /**
     * Java bodies run on virtual threads, except a generator collected by the code of the
     * `runBlocking` block itself: that one runs on runBlocking's own thread, as `flow {}` would and as
     * under a blocking coflow terminal (ADR 0003), so it costs no thread handoff per element.
     */
    private fun eachContext(check: suspend (JavaCatalog) -> Unit): List<DynamicTest> = contexts().map { (name, context) ->
        dynamicTest(name) {
            val java = JavaCatalog()
            val caller = Thread.currentThread()
            runBlocking(context) { check(java) }
            val allowed = { t: Thread -> t.isVirtual || (name == "runBlocking" && t === caller) }
            assertTrue(java.threads.all(allowed), "Java bodies ran on ${java.threads}")
        }
    }

    @TestFactory
    fun takeStopsTheJavaGeneratorAndItsFinallyRunsOnce() = eachContext { java ->
        val got = java.numbersForever().kt().map { it * 10 }.filter { it % 20 == 0 }.take(3).toList()
        assertEquals(listOf(0, 20, 40), got)
        assertEquals(1, java.finallies.get())
        assertEquals(1, java.cancellations.get(), "take ends the body by cancellation")
    }

    @TestFactory
    fun cancellingALaunchedCollectorReachesTheJavaFinallyOnceBeforeJoinReturns() = eachContext { java ->
        coroutineScope {
            val third = CompletableDeferred<Unit>()
            val job = launch {
                java.numbersForever().kt().collect { if (it == 2) third.complete(Unit) }
            }
            third.await()
            job.cancelAndJoin()
            assertTrue(job.isCancelled)
            assertEquals(1, java.finallies.get(), "the Java finally ran before cancelAndJoin returned")
            assertEquals(1, java.cancellations.get())
        }
    }

    @TestFactory
    fun aFailingSiblingCancelsTheJavaBodyOnceAndItsFailureWins() = eachContext { java ->
        val failure = IllegalStateException("sibling failed")
        val caught = runCatching {
            coroutineScope {
                val started = CompletableDeferred<Unit>()
                launch { java.numbersForever().kt().onEach { started.complete(Unit) }.collect() }
                launch {
                    started.await()
                    throw failure
                }
            }
        }.exceptionOrNull()
        // kotlinx may hand over a stack-trace-recovered copy (with the original as its cause) when it crosses coroutines
        assertInstanceOf(IllegalStateException::class.java, caught)
        assertTrue(caught === failure || caught?.cause === failure, "not the sibling's failure: $caught")
        assertEquals(1, java.finallies.get())
        assertEquals(1, java.cancellations.get())
    }

    @TestFactory
    fun javaFailuresReachKotlinAsThemselvesCheckedOrNot() = eachContext { java ->
        val checked = IOException("disk gone")
        val unchecked = IllegalArgumentException("bad row")
        for (failure in listOf(checked, unchecked)) {
            val seen = mutableListOf<Int>()
            val caught = runCatching { java.failingAfter(2, failure).kt().collect { seen += it } }.exceptionOrNull()
            assertSame(failure, caught)
            assertEquals(listOf(0, 1), seen)
        }
        val recovered = java.failingAfter(1, checked).kt().catch { emit(if (it is IOException) -1 else -2) }.toList()
        assertEquals(listOf(0, -1), recovered)
        assertEquals(3, java.finallies.get())
    }

    @TestFactory
    fun paginateUsingAndMapAsyncUnderKotlinOperators() = eachContext { java ->
        assertEquals(listOf("P0-0", "P0-1", "P1-0", "P1-1", "P2-0"),
            java.catalogue(3, 2).kt().map { it.uppercase() }.take(5).toList())
        assertEquals(listOf(1, 2, 3), java.fromResource(1_000).kt().take(3).toList())
        assertEquals(listOf(1, 2, 3, 4, 5), java.fromResource(5).kt().toList())
        assertEquals(2, java.opens.get())
        assertEquals(2, java.closes.get(), "using closed its resource once per collection, early exit or not")
        assertEquals((1..20).map { it * it }, java.squares(20).kt().toList())
    }

    @Test
    fun flowOnAndWithContextMoveTheJavaBodyOffTheCaller(@TempDir dir: Path) = runBlocking {
        val java = JavaCatalog()
        val file = JavaCatalog.writeLines(dir.resolve("books.txt"), (1..50).map { "book $it" })
        val tens = withContext(Dispatchers.IO) {
            java.lines(file).kt().filter { it.endsWith("0") }.toList()
        }
        assertEquals(listOf("book 10", "book 20", "book 30", "book 40", "book 50"), tens)
        val onDefault = java.catalogue(2, 1).kt().flowOn(Dispatchers.Default).map { "$it@${Thread.currentThread().isVirtual}" }.toList()
        assertEquals(listOf("p0-0@false", "p1-0@false"), onDefault, "the Kotlin map runs on runBlocking's thread")
        assertTrue(java.threads.all { it.isVirtual }, "the blocking page fetches ran on ${java.threads}")
        val third = java.numbersForever().kt().flowOn(singleDispatcher).take(3).toList()
        assertEquals(listOf(0, 1, 2), third)
        assertEquals(1, java.finallies.get())
    }

    @Test
    fun runTestRunsJavaDelaysInVirtualTime() = runTest {
        val java = JavaCatalog()
        val hundred = java.numbersForever().kt().take(100).toList()
        assertEquals((0 until 100).toList(), hundred)
        assertEquals(100, currentTime, "one virtual millisecond per element, exactly")
        val timedOut = runCatching { withTimeout(50) { java.numbersForever().kt().collect() } }.exceptionOrNull()
        assertInstanceOf(TimeoutCancellationException::class.java, timedOut)
        assertEquals(150, currentTime)
        assertEquals(2, java.finallies.get())
        assertEquals(2, java.cancellations.get())
        assertEquals(7, java.numbersForever().kt().first { it == 7 })
        assertEquals(158, currentTime)
    }

    @Test
    fun turbineSeesValuesErrorsAndCancellation() = runTest {
        val java = JavaCatalog()
        java.numbersForever().kt().test {
            assertEquals(0, awaitItem())
            assertEquals(1, awaitItem())
            assertEquals(2, awaitItem())
            cancelAndIgnoreRemainingEvents()
        }
        assertEquals(1, java.finallies.get())
        val failure = IOException("disk gone")
        java.failingAfter(2, failure).kt().test {
            assertEquals(0, awaitItem())
            assertEquals(1, awaitItem())
            assertSame(failure, awaitError())
        }
        java.fromResource(2).kt().test {
            assertEquals(1, awaitItem())
            assertEquals(2, awaitItem())
            awaitComplete()
        }
        assertEquals(1, java.closes.get())
        assertEquals(2, java.finallies.get())
    }

    @Test
    fun cancellationExceptionFromTheJavaBodyIsNeverTurnedIntoAFailure() = runBlocking {
        val java = JavaCatalog()
        val own = CancellationException("the Java body gave up")
        val caught = runCatching { java.failingAfter(1, own).kt().toList() }.exceptionOrNull()
        assertSame(own, caught)
        val job = launch { java.failingAfter(0, own).kt().collect() }
        job.join()
        assertTrue(job.isCancelled, "a CancellationException cancels the collector; it is not a failure")
        assertEquals(2, java.finallies.get())
    }
}
