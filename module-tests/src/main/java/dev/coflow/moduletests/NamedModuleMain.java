package dev.coflow.moduletests;

import dev.coflow.AsyncFlow;
import dev.coflow.bridge.Suspend;
import dev.coflow.test.VirtualTime;
import java.time.Duration;
import java.util.List;

/**
 * coflow from a named module: each line it prints is one fact {@code NamedModuleTest} checks.
 *
 * <ul>
 *   <li>{@code named}: coflow's classes and this one are in named modules (the module path is in use);
 *   <li>{@code generator}: a generator collected by a blocking terminal, {@code Suspend.delay} in a
 *       {@code map} lambda, on the harness's virtual clock (the test scheduler's steps are reached
 *       reflectively, through kotlinx internals);
 *   <li>{@code channel}: {@code channelFlow} with {@code trySend} (a mangled kotlinx method, by method
 *       handle) behind a {@code buffer} (kotlinx's internal {@code FusibleFlow} check) and {@code take};
 *   <li>{@code internal}: whether this module can reach {@code dev.coflow.bridge.internal} by
 *       reflection (only when the JVM was started with an {@code --add-exports} for it).
 * </ul>
 */
public final class NamedModuleMain {
    private NamedModuleMain() {}

    /**
     * Runs the checks and prints one line per fact.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        System.out.println("named " + AsyncFlow.class.getModule().getName() + " "
                + Suspend.class.getModule().getName() + " "
                + NamedModuleMain.class.getModule().getName());

        String generator = VirtualTime.call(scope -> {
            List<Integer> squares = AsyncFlow.<Integer>generate(e -> {
                        for (int i = 1; i <= 3; i++) {
                            e.emit(i);
                        }
                    })
                    .map(i -> {
                        Suspend.delay(Duration.ofSeconds(10));
                        return i * i;
                    })
                    .toList();
            return squares + " at " + scope.currentTime() + " ms";
        });
        System.out.println("generator " + generator);

        List<Integer> channel = AsyncFlow.<Integer>channelFlow(p -> {
                    for (int i = 0; i < 5; i++) {
                        if (!p.trySend(i)) {
                            throw new IllegalStateException("trySend refused " + i);
                        }
                    }
                })
                .buffer()
                .take(3)
                .toList();
        System.out.println("channel " + channel);

        System.out.println("internal " + internals());
    }

    /** What reflection into the bridge's internal package gives this module. */
    private static String internals() {
        try {
            Class<?> scheduler = Class.forName("dev.coflow.bridge.internal.KotlinxInternals$TestScheduler");
            Class<?> channels = Class.forName("dev.coflow.bridge.internal.KotlinxInternals$Channels");
            boolean tryRunNext = scheduler.getField("TRY_RUN_NEXT").get(null) != null;
            boolean isIdle = scheduler.getField("IS_IDLE").get(null) != null;
            boolean trySend = channels.getField("TRY_SEND").get(null) != null;
            return "readable tryRunNext=" + tryRunNext + " isIdle=" + isIdle + " trySend=" + trySend;
        } catch (IllegalAccessException e) {
            return "blocked";
        } catch (ReflectiveOperationException e) {
            return "missing " + e;
        }
    }
}
