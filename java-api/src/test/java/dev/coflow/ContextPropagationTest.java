package dev.coflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.coflow.bridge.Coroutines;
import dev.coflow.bridge.Suspend;
import dev.coflow.bridge.ThreadContexts;
import dev.coflow.test.CoflowExtension;
import dev.coflow.test.VirtualTime;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import kotlin.coroutines.CoroutineContext;
import kotlin.coroutines.EmptyCoroutineContext;
import kotlinx.coroutines.CoroutineScopeKt;
import kotlinx.coroutines.CoroutineStart;
import kotlinx.coroutines.Dispatchers;
import kotlinx.coroutines.flow.FlowKt;
import kotlinx.coroutines.future.FutureKt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * ThreadLocal-based context reaches every thread that runs a pipeline's Java code: generator
 * bodies, mapAsync workers, channelFlow producers, buffer producers, lambdas, on the plain caller,
 * inside Coroutines.run, in virtual time and under a Kotlin collector on Dispatchers.Default. Real
 * SLF4J MDC (asserted on what logback recorded) and the real OpenTelemetry Context.
 */
class ContextPropagationTest {
    /** After each test, no coroutine body it started may still be running (the harness's leak check). */
    @RegisterExtension
    static final CoflowExtension COFLOW = CoflowExtension.withLeakGrace(Duration.ZERO);

    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger("coflow.context-test");
    private static final ContextKey<String> REQUEST = ContextKey.named("request");
    private static final ThreadLocal<String> TENANT = new ThreadLocal<>();

    /** Records each line with the MDC "user" of the thread that logged it, read when it was logged. */
    private final List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent e) {
            lines.add(e.getFormattedMessage() + " user=" + e.getMDCPropertyMap().get("user"));
        }
    };

    /** SLF4J's MDC as a coroutine context element, the way the Javadoc of ThreadContexts shows. */
    private static CoroutineContext.Element mdc() {
        MDC.put("user", "ada"); // on the test's thread (JUnit may run @BeforeEach on another)
        return ThreadContexts.capture(MDC::getCopyOfContextMap, (Map<String, String> map) -> {
            Map<String, String> previous = MDC.getCopyOfContextMap();
            if (map == null) {
                MDC.clear();
            } else {
                MDC.setContextMap(map);
            }
            return () -> {
                if (previous == null) {
                    MDC.clear();
                } else {
                    MDC.setContextMap(previous);
                }
            };
        });
    }

    @BeforeEach
    void attach() {
        appender.start();
        ((Logger) LoggerFactory.getLogger("coflow.context-test")).addAppender(appender);
    }

    @AfterEach
    void detach() {
        ((Logger) LoggerFactory.getLogger("coflow.context-test")).detachAppender(appender);
        MDC.clear();
        TENANT.remove();
    }

    /** The "user" MDC value of every logged line, with its message. */
    private List<String> logged() {
        return List.copyOf(lines);
    }

    private static AsyncFlow<Integer> loggingGenerator() {
        return AsyncFlow.generate(out -> {
            for (int i = 1; i <= 2; i++) {
                LOG.info("emit {}", i);
                out.emit(i);
            }
        });
    }

    @Test
    void generatorBodiesLogWithTheCallersMdcOnThePlainCaller() {
        CoroutineContext.Element mdc = mdc();
        MDC.put("user", "changed-after-capture");
        assertEquals(List.of(1, 2), loggingGenerator().flowOn(mdc).toList());
        assertEquals(List.of("emit 1 user=ada", "emit 2 user=ada"), logged());
        assertEquals("changed-after-capture", MDC.get("user"), "the caller's own MDC is left as it was");
    }

    @Test
    void mapAsyncWorkersChannelFlowProducersAndBufferProducers() {
        CoroutineContext.Element mdc = mdc();
        AsyncFlow.range(0, 3)
                .mapAsync(2, v -> {
                    LOG.info("worker {}", v);
                    return v;
                })
                .flowOn(mdc)
                .toList();
        AsyncFlow.<Integer>channelFlow(p -> {
                    LOG.info("producer");
                    p.send(1);
                })
                .flowOn(mdc)
                .toList();
        loggingGenerator().buffer(4).flowOn(mdc).map(v -> v).toList();
        List<String> got = logged();
        assertEquals(6, got.size(), got::toString);
        for (String line : got) {
            assertEquals("user=ada", line.substring(line.lastIndexOf(' ') + 1), line);
        }
    }

    @Test
    void insideCoroutinesRunAndUnderAKotlinCollectorOnDefault() throws Exception {
        CoroutineContext.Element mdc = mdc();
        Coroutines.run(mdc, scope -> loggingGenerator().toList());
        @SuppressWarnings("unchecked")
        List<Integer> onDefault = (List<Integer>) FutureKt.future(
                        CoroutineScopeKt.CoroutineScope(Dispatchers.getDefault().plus(mdc)),
                        EmptyCoroutineContext.INSTANCE,
                        CoroutineStart.DEFAULT,
                        (s, c) -> FlowKt.toList(loggingGenerator(), new ArrayList<Integer>(), c))
                .get(30, TimeUnit.SECONDS);
        assertEquals(List.of(1, 2), onDefault);
        assertEquals(List.of("emit 1 user=ada", "emit 2 user=ada", "emit 1 user=ada", "emit 2 user=ada"), logged());
    }

    @Test
    void inVirtualTimeAcrossWaits() {
        CoroutineContext.Element mdc = mdc();
        VirtualTime.run(scope -> AsyncFlow.generate(out -> {
                    Suspend.delay(Duration.ofHours(1));
                    LOG.info("after an hour");
                    out.emit(1);
                })
                .map(v -> {
                    Suspend.delay(Duration.ofMinutes(1));
                    LOG.info("lambda after a minute");
                    return v;
                })
                .flowOn(mdc)
                .toList());
        assertEquals(List.of("after an hour user=ada", "lambda after a minute user=ada"), logged());
    }

    @Test
    void openTelemetryContextIsCurrentInsideTheBody() {
        try (Scope ignored = Context.current().with(REQUEST, "req-42").makeCurrent()) {
            CoroutineContext.Element otel =
                    ThreadContexts.capture(Context::current, (Function<Context, Scope>) Context::makeCurrent);
            List<String> seen = AsyncFlow.<String>generate(
                            out -> out.emit(String.valueOf(Context.current().get(REQUEST))))
                    .mapAsync(2, v -> v + "/" + Context.current().get(REQUEST))
                    .flowOn(otel)
                    .toList();
            assertEquals(List.of("req-42/req-42"), seen);
        }
        assertNull(Context.current().get(REQUEST), "the caller's scope closed normally");
    }

    @Test
    void aPlainThreadLocalAndRestorationOnTheBodyThread() {
        TENANT.set("acme");
        CoroutineContext.Element tenant = ThreadContexts.capture(TENANT);
        TENANT.set("other");
        List<String> seen = AsyncFlow.<String>generate(out -> {
                    out.emit(TENANT.get());
                    out.emit(TENANT.get());
                })
                .flowOn(tenant)
                .toList();
        assertEquals(List.of("acme", "acme"), seen);
        assertEquals("other", TENANT.get());
        // two elements of the same thread-local replace each other; the later one wins
        TENANT.set("first");
        CoroutineContext.Element first = ThreadContexts.capture(TENANT);
        TENANT.set("second");
        CoroutineContext.Element second = ThreadContexts.capture(TENANT);
        assertEquals(
                List.of("second"),
                AsyncFlow.<String>generate(out -> out.emit(TENANT.get()))
                        .flowOn(first.plus(second))
                        .toList());
    }
}
