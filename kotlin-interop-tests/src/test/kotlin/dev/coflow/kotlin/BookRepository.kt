package dev.coflow.kotlin

import java.io.IOException
import java.util.concurrent.CountDownLatch
import java.util.concurrent.atomic.AtomicInteger
import kotlin.coroutines.cancellation.CancellationException
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.MutableSharedFlow
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.SharedFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asSharedFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.yield

/** A Kotlin failure type that Java code must see as itself, field included. */
class BookNotFoundException(val id: Int) : NoSuchElementException("no book with id $id")

/**
 * The Kotlin half of a mixed codebase, as its Kotlin team would write it: `suspend fun`s, `flow {}`
 * builders and hot state. The Java tests call it through the bridge (`Suspend.call`, `AsyncFlow.from`).
 */
class BookRepository {
    private val stockState = MutableStateFlow(0)
    /** Books in stock; Java observes it through `AsyncStateFlow.from`. */
    val stock: StateFlow<Int> = stockState.asStateFlow()

    private val eventsFlow = MutableSharedFlow<String>(replay = 2, extraBufferCapacity = 8)
    /** The last two catalogue events are replayed to a new subscriber. */
    val events: SharedFlow<String> = eventsFlow.asSharedFlow()

    /** How often the body of [endless] ran its `finally`. */
    val endlessFinallies = AtomicInteger()
    /** Counted down when [endless] emitted its first element. */
    val endlessStarted = CountDownLatch(1)
    /** Counted down when [endless] ran its `finally`. */
    val endlessEnded = CountDownLatch(1)
    /** What ended [endless]: the exception its body saw. */
    @Volatile var endlessEndedBy: Throwable? = null

    suspend fun title(id: Int): String {
        delay(1)
        if (id < 0) throw BookNotFoundException(id)
        return "title-$id"
    }

    /** Fails with a checked exception that Kotlin does not declare. */
    suspend fun cover(id: Int): ByteArray {
        yield()
        throw IOException("cover of book $id is unreadable")
    }

    /** Ends by cancellation of its own: the caller must see a `CancellationException`, not a failure. */
    suspend fun withdrawn(id: Int): String {
        yield()
        throw CancellationException("book $id was withdrawn")
    }

    fun titles(n: Int): Flow<String> = flow {
        for (i in 1..n) emit(title(i))
    }

    fun titlesThenMissing(n: Int): Flow<String> = flow {
        for (i in 1..n) emit(title(i))
        throw BookNotFoundException(n + 1)
    }

    fun endless(): Flow<Int> = flow {
        try {
            var i = 0
            while (true) {
                emit(i++)
                endlessStarted.countDown()
                delay(1)
            }
        } catch (e: Throwable) {
            endlessEndedBy = e
            throw e
        } finally {
            endlessFinallies.incrementAndGet()
            endlessEnded.countDown()
        }
    }

    fun restock(n: Int) = stockState.update { it + n }

    fun publish(event: String): Boolean = eventsFlow.tryEmit(event)
}
