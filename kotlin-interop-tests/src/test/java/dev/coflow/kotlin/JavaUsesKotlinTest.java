package dev.coflow.kotlin;

import static org.junit.jupiter.api.Assertions.*;

import dev.coflow.AsyncFlow;
import dev.coflow.AsyncSharedFlow;
import dev.coflow.AsyncStateFlow;
import dev.coflow.bridge.Coroutines;
import dev.coflow.bridge.Suspend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Java code using a Kotlin repository through the bridge, as the Java half of a mixed team would:
 * {@code Suspend.call} for its {@code suspend fun}s, {@code AsyncFlow.from} for its flows, blocking
 * and async terminals, and its hot state. Latches only bound the waits; nothing sleeps.
 */
class JavaUsesKotlinTest {
    private static final long BOUND_SECONDS = 20;
    private final BookRepository repo = new BookRepository();

    @AfterEach
    void nothingLeaks() {
        assertEquals(0, Coroutines.activeBodies());
    }

    @Test
    void suspendFunsAreCalledWithSuspendCallFromPlainJavaAndFromABody() {
        assertEquals("title-3", Suspend.<String>call(c -> repo.title(3, c)));
        List<String> both = Coroutines.run(scope -> List.of(
                scope.async(() -> Suspend.<String>call(c -> repo.title(1, c))).await(),
                scope.async(() -> Suspend.<String>call(c -> repo.title(2, c))).await()));
        assertEquals(List.of("title-1", "title-2"), both);
    }

    @Test
    void kotlinExceptionsReachJavaWithTheirTypeAndFields() {
        BookNotFoundException missing =
                assertThrows(BookNotFoundException.class, () -> Suspend.<String>call(c -> repo.title(-7, c)));
        assertEquals(-7, missing.getId());
        // Kotlin declares no checked exceptions; the IOException still arrives as itself
        Exception cover = assertThrows(Exception.class, () -> Suspend.call(c -> repo.cover(5, c)));
        assertInstanceOf(IOException.class, cover);
        assertEquals("cover of book 5 is unreadable", cover.getMessage());
        // a blocking run wraps a checked failure as every blocking terminal does (docs/semantics.md §5)
        UncheckedIOException inRun = assertThrows(
                UncheckedIOException.class, () -> Coroutines.run(scope -> Suspend.call(c -> repo.cover(6, c))));
        assertInstanceOf(IOException.class, inRun.getCause());
        assertEquals("cover of book 6 is unreadable", inRun.getCause().getMessage());
    }

    @Test
    void aKotlinCancellationExceptionStaysACancellation() {
        CancellationException direct =
                assertThrows(CancellationException.class, () -> Suspend.<String>call(c -> repo.withdrawn(4, c)));
        assertEquals("book 4 was withdrawn", direct.getMessage());
        assertThrows(
                CancellationException.class,
                () -> Coroutines.run(scope -> Suspend.<String>call(c -> repo.withdrawn(5, c))));
        CompletableFuture<String> future = Coroutines.start(scope -> Suspend.<String>call(c -> repo.withdrawn(6, c)));
        assertThrows(CancellationException.class, () -> future.get(BOUND_SECONDS, TimeUnit.SECONDS));
        assertTrue(future.isCancelled(), "a cancelled future, not a failed one");
    }

    @Test
    void kotlinFlowsThroughJavaOperatorsAndBlockingTerminals() {
        assertEquals(
                List.of(7, 7, 7),
                AsyncFlow.from(repo.titles(3)).map(String::length).toList());
        assertEquals(Optional.of("title-1"), AsyncFlow.from(repo.titles(3)).first());
        assertEquals(3, AsyncFlow.from(repo.titles(3)).count());
        BookNotFoundException missing = assertThrows(
                BookNotFoundException.class,
                () -> AsyncFlow.from(repo.titlesThenMissing(2)).toList());
        assertEquals(3, missing.getId());
        assertEquals(
                List.of("title-1", "title-2", "none"),
                AsyncFlow.from(repo.titlesThenMissing(2)).onErrorReturn("none").toList());
    }

    @Test
    void kotlinFlowsThroughAsyncTerminals() throws Exception {
        assertEquals(
                List.of("title-1", "title-2"),
                AsyncFlow.from(repo.titles(2)).toListAsync().get(BOUND_SECONDS, TimeUnit.SECONDS));
        CompletableFuture<List<String>> failing =
                AsyncFlow.from(repo.titlesThenMissing(1)).toListAsync();
        ExecutionException e =
                assertThrows(ExecutionException.class, () -> failing.get(BOUND_SECONDS, TimeUnit.SECONDS));
        assertInstanceOf(BookNotFoundException.class, e.getCause(), "the async terminal keeps the original");
    }

    @Test
    void javaEarlyExitRunsTheKotlinFinallyOnce() {
        assertEquals(List.of(0, 1, 2), AsyncFlow.from(repo.endless()).take(3).toList());
        assertEquals(1, repo.getEndlessFinallies().get());
        assertInstanceOf(CancellationException.class, repo.getEndlessEndedBy(), "take aborts by cancellation");
    }

    @Test
    void cancellingAJavaFutureCancelsTheKotlinFlowAndItSeesCancellation() throws Exception {
        CompletableFuture<Void> all = AsyncFlow.from(repo.endless()).forEachAsync(i -> {});
        assertTrue(repo.getEndlessStarted().await(BOUND_SECONDS, TimeUnit.SECONDS));
        assertTrue(all.cancel(true));
        assertTrue(repo.getEndlessEnded().await(BOUND_SECONDS, TimeUnit.SECONDS), "the Kotlin finally ran");
        assertEquals(1, repo.getEndlessFinallies().get());
        assertInstanceOf(CancellationException.class, repo.getEndlessEndedBy());
        assertTrue(all.isCancelled());
        // CompletableFuture.cancel returns at once; the Kotlin finally has run, the body may still be unwinding
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
        while (Coroutines.activeBodies() != 0 && System.nanoTime() < deadline) {
            Thread.yield();
        }
    }

    @Test
    void aKotlinMutableStateFlowObservedFromJava() throws Exception {
        AsyncStateFlow<Integer> stock = AsyncStateFlow.from(repo.getStock());
        assertEquals(0, stock.value());
        CompletableFuture<Optional<Integer>> threeOrMore =
                stock.asFlow().filter(n -> n >= 3).firstAsync();
        repo.restock(1);
        repo.restock(2);
        assertEquals(Optional.of(3), threeOrMore.get(BOUND_SECONDS, TimeUnit.SECONDS));
        assertEquals(3, stock.value());
        assertEquals(3, stock.asKotlin().getValue());
    }

    @Test
    void aKotlinSharedFlowObservedFromJava() {
        assertTrue(repo.publish("opened"));
        assertTrue(repo.publish("restocked"));
        assertTrue(repo.publish("sold"));
        AsyncSharedFlow<String> events = AsyncSharedFlow.from(repo.getEvents());
        assertEquals(List.of("restocked", "sold"), events.replayCache());
        assertEquals(
                List.of("restocked", "sold"), events.asFlow().take(2).toList(), "a new subscriber gets the replay");
    }
}
