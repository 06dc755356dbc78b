package dev.coflow.bridge;

import java.util.ArrayList;
import java.util.List;
import kotlin.coroutines.CoroutineContext;
import kotlinx.coroutines.ThreadContextElement;

/**
 * The {@link ThreadContextElement}s of a coroutine, installed on a body's own thread: kotlinx
 * installs them on its dispatcher threads when it resumes the coroutine, but a Java body runs on a
 * virtual thread kotlinx does not know about. Without elements (the usual case) nothing is
 * allocated.
 */
final class BodyThreadContext {
    private final CoroutineContext context;
    private final List<ThreadContextElement<Object>> elements;
    private final Object[] states;

    private BodyThreadContext(CoroutineContext context, List<ThreadContextElement<Object>> elements) {
        this.context = context;
        this.elements = elements;
        this.states = new Object[elements.size()];
    }

    /** Installs every thread-context element of {@code context} on this thread; null if there is none. */
    @SuppressWarnings("unchecked")
    static BodyThreadContext enter(CoroutineContext context) {
        List<ThreadContextElement<Object>> found =
                context.fold(null, (List<ThreadContextElement<Object>> acc, CoroutineContext.Element e) -> {
                    if (e instanceof ThreadContextElement<?> t) {
                        List<ThreadContextElement<Object>> l = acc != null ? acc : new ArrayList<>(2);
                        l.add((ThreadContextElement<Object>) t);
                        return l;
                    }
                    return acc;
                });
        if (found == null) {
            return null;
        }
        BodyThreadContext c = new BodyThreadContext(context, found);
        for (int i = 0; i < found.size(); i++) {
            c.states[i] = found.get(i).updateThreadContext(context);
        }
        return c;
    }

    /** Restores what {@link #enter} replaced, in reverse order. */
    void exit() {
        for (int i = elements.size() - 1; i >= 0; i--) {
            elements.get(i).restoreThreadContext(context, states[i]);
        }
    }
}
