package dev.coflow;

/**
 * Added as a suppressed exception to a failure that passed through
 * {@link AsyncFlow#checkpoint(String)}: its message names the stage, so a stack trace of an
 * asynchronous pipeline says which stage of which pipeline the failure came from. Carries no
 * stack trace of its own. kotlinx counterpart: none (stack-trace recovery in debug mode); Reactor
 * {@code checkpoint(description)}'s suppressed {@code OnAssemblyException}.
 *
 * {@snippet :
 * catch (RuntimeException e) {
 *     for (Throwable s : e.getSuppressed()) {
 *         if (s instanceof AsyncFlowCheckpoint cp) log.warn("failed upstream of {}", cp.getMessage());
 *     }
 * }
 * }
 */
public final class AsyncFlowCheckpoint extends RuntimeException {
    private static final long serialVersionUID = 1L;

    AsyncFlowCheckpoint(String description) {
        super("checkpoint: " + description, null, false, false);
    }
}
