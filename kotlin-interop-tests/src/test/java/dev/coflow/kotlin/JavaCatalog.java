package dev.coflow.kotlin;

import dev.coflow.AsyncFlow;
import dev.coflow.bridge.Coroutines;
import dev.coflow.bridge.Suspend;
import dev.coflow.bridge.SuspendBody;
import dev.coflow.bridge.SuspendFunction;
import dev.coflow.io.AsyncFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import kotlin.coroutines.Continuation;
import kotlin.jvm.functions.Function1;
import kotlin.jvm.functions.Function2;

/**
 * The Java half of a mixed codebase, as its Java team would write it: flows built with coflow and
 * blocking services exposed as suspend functions. The Kotlin tests use it; every body records
 * where it ran and counts its {@code finally}, so that a test can assert both.
 */
public final class JavaCatalog {
    /** How many times a body's {@code finally} ran. */
    public final AtomicInteger finallies = new AtomicInteger();
    /** How many times a body ended by cancellation (it saw a {@code CancellationException}). */
    public final AtomicInteger cancellations = new AtomicInteger();
    /** The threads that ran Java code, in order. */
    public final Queue<Thread> threads = new ConcurrentLinkedQueue<>();

    /** 0, 1, 2, ... forever; only cancellation ends it. One virtual-time millisecond per element. */
    public AsyncFlow<Integer> numbersForever() {
        return AsyncFlow.generate(out -> {
            threads.add(Thread.currentThread());
            try {
                for (int i = 0; ; i++) {
                    Suspend.delay(1);
                    out.emit(i);
                }
            } catch (java.util.concurrent.CancellationException e) {
                cancellations.incrementAndGet();
                throw e;
            } finally {
                finallies.incrementAndGet();
            }
        });
    }

    /** Fails after emitting {@code before} elements with {@code failure}, checked or not. */
    public AsyncFlow<Integer> failingAfter(int before, Exception failure) {
        return AsyncFlow.generate(out -> {
            try {
                for (int i = 0; i < before; i++) {
                    out.emit(i);
                }
                throw failure;
            } finally {
                finallies.incrementAndGet();
            }
        });
    }

    /** Titles of {@code pages} pages of {@code perPage} each, fetched one page at a time (blocking fetch). */
    public AsyncFlow<String> catalogue(int pages, int perPage) {
        return AsyncFlow.paginate(page -> {
            threads.add(Thread.currentThread());
            if (page >= pages) {
                return List.of();
            }
            return IntStream.range(0, perPage)
                    .mapToObj(i -> "p" + page + "-" + i)
                    .toList();
        });
    }

    /** A counting resource: {@link #closes} tells how often it was closed. */
    public final AtomicInteger opens = new AtomicInteger();

    public final AtomicInteger closes = new AtomicInteger();

    /** Elements 1..n read "from" a resource that {@code using} opens and closes once per collection. */
    public AsyncFlow<Integer> fromResource(int n) {
        return AsyncFlow.using(
                () -> {
                    opens.incrementAndGet();
                    AutoCloseable resource = closes::incrementAndGet;
                    return resource;
                },
                resource -> AsyncFlow.range(1, n + 1));
    }

    /** The lines of a file, read lazily by coflow's blocking reader. */
    public AsyncFlow<String> lines(Path file) {
        return AsyncFiles.lines(file);
    }

    /** {@code x * x} for 1..n through {@code mapAsync(4, ...)}: blocking calls, results in order. */
    public AsyncFlow<Integer> squares(int n) {
        return AsyncFlow.range(1, n + 1).mapAsync(4, x -> {
            threads.add(Thread.currentThread());
            return x * x;
        });
    }

    /**
     * A blocking Java service (plain file I/O) exposed to Kotlin as {@code suspend () -> List<String>}
     * through the bridge's reverse direction.
     */
    public Function1<Continuation<? super List<String>>, Object> readAllLines(Path file) {
        return Coroutines.asSuspendFunction(readAllLinesBody(file));
    }

    /** The same work as a {@link SuspendBody}, for Kotlin's own {@code suspendCoroutineUninterceptedOrReturn}. */
    public SuspendBody<List<String>> readAllLinesBody(Path file) {
        return () -> {
            threads.add(Thread.currentThread());
            return Files.readAllLines(file);
        };
    }

    /** A blocking lookup exposed as {@code suspend (String) -> Int}: the length of the file's content. */
    public Function2<Path, Continuation<? super Integer>, Object> sizeOf() {
        SuspendFunction<Path, Integer> fn = file -> {
            threads.add(Thread.currentThread());
            return Files.readString(file).length();
        };
        return Coroutines.asSuspendFunction(fn);
    }

    /** A Java body that fails with a checked exception, exposed as {@code suspend () -> Unit}. */
    public Function1<Continuation<? super Object>, Object> failingWith(Exception failure) {
        return Coroutines.asSuspendFunction(() -> {
            throw failure;
        });
    }

    /** A Java body that waits (virtual time in {@code runTest}) and then blocks on a latch-free read. */
    public Function1<Continuation<? super Long>, Object> waitThenAnswer(long millis) {
        return Coroutines.asSuspendFunction(() -> {
            threads.add(Thread.currentThread());
            try {
                Suspend.delay(millis);
                return millis;
            } finally {
                finallies.incrementAndGet();
            }
        });
    }

    /** Writes lines to a file, for the tests that read one back. */
    public static Path writeLines(Path file, List<String> lines) throws IOException {
        return Files.write(file, lines);
    }
}
