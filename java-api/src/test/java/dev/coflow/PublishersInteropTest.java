package dev.coflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coflow.test.CoflowExtension;
import io.reactivex.rxjava3.core.Flowable;
import io.smallrye.mutiny.Multi;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Round trips through Reactor ({@code Flux}, {@code Mono}), RxJava 3 ({@code Flowable}) and Mutiny
 * ({@code Multi}): AsyncFlow to the library and back keeps values, errors (the same exception
 * object), back-pressure (a rate limit upstream makes every request 2: Reactor's {@code limitRate(2)},
 * RxJava's {@code rebatchRequests(2)}, Mutiny's {@code emitOn(executor, 2)}; Mutiny's
 * {@code capDemandsTo} caps each request instead and is no rate limit) and cancellation
 * ({@code take(3)} runs the generator's {@code finally} exactly once).
 */
class PublishersInteropTest {
    private static final long BOUND = 10;

    /**
     * After each test no body it started may still run (the harness's leak check); a cancelled
     * publisher's generator ends on its own thread, promptly but after {@code cancel()} returned.
     */
    @RegisterExtension
    static final CoflowExtension COFLOW = CoflowExtension.withLeakGrace(Duration.ofSeconds(5));

    /** One library's way to wrap a coflow flow, rate-limit it to 2 and take 3 of it. */
    record Library(
            String name,
            Function<AsyncFlow<Integer>, AsyncFlow<Integer>> roundTrip,
            Function<AsyncFlow<Integer>, AsyncFlow<Integer>> rateLimited2,
            Function<AsyncFlow<Integer>, List<Integer>> takeThreeThere) {}

    static List<Library> libraries(List<Long> requests) {
        return List.of(
                new Library(
                        "Reactor Flux",
                        f -> AsyncFlow.fromReactiveStreams(
                                Flux.from(f.toReactiveStreams()).map(x -> x * 10)),
                        f -> AsyncFlow.fromReactiveStreams(Flux.from(f.toReactiveStreams())
                                .doOnRequest(requests::add)
                                .limitRate(2)),
                        f -> Flux.from(f.toReactiveStreams())
                                .take(3)
                                .collectList()
                                .block(Duration.ofSeconds(BOUND))),
                new Library(
                        "RxJava Flowable",
                        f -> AsyncFlow.fromReactiveStreams(
                                Flowable.fromPublisher(f.toReactiveStreams()).map(x -> x * 10)),
                        f -> AsyncFlow.fromReactiveStreams(Flowable.fromPublisher(f.toReactiveStreams())
                                .doOnRequest(requests::add)
                                .rebatchRequests(2)),
                        f -> Flowable.fromPublisher(f.toReactiveStreams())
                                .take(3)
                                .toList()
                                .blockingGet()),
                new Library(
                        "Mutiny Multi",
                        f -> AsyncFlow.fromPublisher(
                                Multi.createFrom().publisher(f.toPublisher()).map(x -> x * 10)),
                        f -> AsyncFlow.fromPublisher(Multi.createFrom()
                                .publisher(f.toPublisher())
                                .onRequest()
                                .invoke(requests::add)
                                .emitOn(Runnable::run, 2)),
                        f -> Multi.createFrom()
                                .publisher(f.toPublisher())
                                .select()
                                .first(3)
                                .collect()
                                .asList()
                                .await()
                                .atMost(Duration.ofSeconds(BOUND))));
    }

    /** 0..n-1 from a generator that counts how often its finally ran. */
    static final class Source {
        final AtomicInteger finallies = new AtomicInteger();
        final CountDownLatch ended = new CountDownLatch(1);
        final AtomicInteger returned = new AtomicInteger();

        AsyncFlow<Integer> flow(int n) {
            return AsyncFlow.generate(out -> {
                try {
                    for (int i = 0; i < n; i++) {
                        out.emit(i);
                        returned.incrementAndGet();
                    }
                } finally {
                    finallies.incrementAndGet();
                    ended.countDown();
                }
            });
        }

        void ranFinallyOnce() throws InterruptedException {
            assertTrue(ended.await(BOUND, TimeUnit.SECONDS), "the generator's finally ran");
            assertEquals(1, finallies.get(), "exactly once");
        }
    }

    @Test
    void valuesSurviveTheRoundTrip() throws Exception {
        for (Library lib : libraries(new CopyOnWriteArrayList<>())) {
            Source s = new Source();
            assertEquals(
                    IntStream.range(0, 200).map(x -> x * 10).boxed().toList(),
                    lib.roundTrip().apply(s.flow(200)).toList(),
                    lib.name());
            s.ranFinallyOnce();
        }
    }

    @Test
    void errorsSurviveTheRoundTripAsTheSameObject() throws Exception {
        for (Library lib : libraries(new CopyOnWriteArrayList<>())) {
            IllegalStateException boom = new IllegalStateException("boom via " + lib.name());
            AsyncFlow<Integer> failing = AsyncFlow.generate(out -> {
                out.emit(1);
                throw boom;
            });
            List<Integer> seen = new CopyOnWriteArrayList<>();
            IllegalStateException got = assertThrows(
                    IllegalStateException.class,
                    () -> lib.roundTrip().apply(failing).forEach(seen::add),
                    lib.name());
            assertSame(boom, got, lib.name());
            assertEquals(List.of(10), seen, lib.name() + ": the element before the failure arrived");
        }
    }

    @Test
    void aRateLimitUpstreamMakesEveryRequestTwo() throws Exception {
        List<Long> requests = new CopyOnWriteArrayList<>();
        for (Library lib : libraries(requests)) {
            requests.clear();
            Source s = new Source();
            List<Integer> got;
            try {
                got = lib.rateLimited2().apply(s.flow(50)).toListAsync().get(BOUND, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                StringBuilder dump = new StringBuilder();
                Thread.getAllStackTraces().forEach((t, st) -> {
                    dump.append(t).append('\n');
                    for (StackTraceElement el : st) {
                        dump.append("    ").append(el).append('\n');
                    }
                });
                throw new AssertionError(lib.name() + " hung; requests " + requests + "\n" + dump, e);
            }
            assertEquals(IntStream.range(0, 50).boxed().toList(), got, lib.name());
            s.ranFinallyOnce();
            assertTrue(requests.size() >= 25, lib.name() + ": " + requests);
            assertTrue(requests.stream().allMatch(r -> r == 2), lib.name() + ": every request is 2: " + requests);
        }
    }

    @Test
    void takeThreeRunsTheGeneratorsFinallyExactlyOnce() throws Exception {
        for (Library lib : libraries(new CopyOnWriteArrayList<>())) {
            // taken on our side of the round trip
            Source ours = new Source();
            assertEquals(
                    List.of(0, 10, 20),
                    lib.roundTrip().apply(ours.flow(1_000_000)).take(3).toList(),
                    lib.name());
            ours.ranFinallyOnce();
            assertTrue(
                    ours.returned.get() < 1_000, lib.name() + ": bounded by demand, not the source: " + ours.returned);
            // taken on the library's side
            Source theirs = new Source();
            assertEquals(List.of(0, 1, 2), lib.takeThreeThere().apply(theirs.flow(1_000_000)), lib.name());
            theirs.ranFinallyOnce();
        }
    }

    @Test
    void monoBothWays() throws Exception {
        Source s = new Source();
        assertEquals(0, Mono.from(s.flow(1_000_000).toReactiveStreams()).block(Duration.ofSeconds(BOUND)));
        s.ranFinallyOnce();
        assertEquals(List.of(42), AsyncFlow.fromReactiveStreams(Mono.just(42)).toList());
        assertEquals(
                List.of(), AsyncFlow.fromReactiveStreams(Mono.<Integer>empty()).toList());
        IllegalStateException boom = new IllegalStateException("boom");
        assertSame(
                boom,
                assertThrows(
                        IllegalStateException.class,
                        () -> AsyncFlow.fromReactiveStreams(Mono.<Integer>error(boom))
                                .toList()));
    }
}
