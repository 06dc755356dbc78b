package dev.coflow.bridge;

import dev.coflow.bridge.internal.BodySlot;
import dev.coflow.bridge.internal.Interrupts;
import dev.coflow.bridge.internal.KotlinxInternals;
import dev.coflow.bridge.internal.Spin;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import kotlin.coroutines.Continuation;
import kotlin.coroutines.ContinuationInterceptor;

/**
 * A Java body running on its own virtual thread, paired with a {@link FiberDriver} coroutine
 * that performs every suspend-like call on the body's behalf.
 *
 * <p>Two parties exchange messages one at a time: the body posts a {@link Request} (or its final
 * {@link Done}) into {@link #mail}; the driver runs the request in the coroutine and puts the
 * outcome into {@link #reply}. Each side spins briefly before it parks (body) or suspends
 * (driver), because the other side usually answers within a few hundred nanoseconds.
 *
 * <p>Why the driver waits as it does: while the body runs plain Java code the coroutine is,
 * logically, busy. Under a kotlinx test dispatcher the driver therefore blocks its thread (the
 * test thread) so the virtual clock cannot jump ahead of a body that is still computing; on any
 * other dispatcher it suspends after the spin so that blocking work in the body never holds a
 * dispatcher thread.
 */
final class Fiber extends BodyContext {
    private static final Object WAITING = new Object();
    private static final Object NULL_REPLY = new Object();
    private static final Object BORROWED = new Object();
    private static final boolean DIRECT_ENABLED = !Boolean.getBoolean("coflow.noDirectCalls");
    private static final Class<?> TEST_DISPATCHER = KotlinxInternals.TestScheduler.DISPATCHER;

    private final boolean blockingWait;
    /** Whether the body thread may itself run calls on the driver's behalf; see {@link #perform}. */
    private final boolean directCalls;

    private final FiberDriver driver;
    private volatile Thread thread;

    /**
     * null | a message (Request/Done) | WAITING (driver suspended) | a Thread (driver parked) |
     * BORROWED (the body is running a call itself with the suspended driver as continuation).
     */
    private final AtomicReference<Object> mail = new AtomicReference<>();

    private volatile Object reply;
    private volatile boolean bodyParked;
    /** Reused: at most one request is in flight. */
    private final Request request = new Request();

    Fiber(Continuation<Object> completion) {
        super(completion.getContext());
        Object interceptor = context.get(ContinuationInterceptor.Key);
        this.blockingWait = TEST_DISPATCHER != null && TEST_DISPATCHER.isInstance(interceptor);
        this.directCalls = DIRECT_ENABLED && FreeThreading.allows(context, interceptor);
        this.driver = new FiberDriver(completion, this);
    }

    /** Starts the body thread and runs the driver until it first suspends or completes. */
    Object start(SuspendBody<?> body) {
        bodyStarted();
        Thread t = Thread.ofVirtual().name("coflow-body").unstarted(() -> runBody(body));
        thread = t;
        if (directCalls) {
            // The driver waits first, so that the body's first call finds it waiting and makes
            // that call itself (otherwise the first emit of a generator would often be handed to
            // the driver, and its downstream run on a kotlinx worker).
            Object r = driver.startDriving();
            try {
                t.start();
            } catch (Throwable e) {
                bodyFinished();
                post(new Done(null, e));
            }
            return r;
        }
        try {
            t.start();
        } catch (Throwable e) {
            bodyFinished();
            throw e;
        }
        return driver.startDriving();
    }

    private void runBody(SuspendBody<?> body) {
        BodySlot slot = BodySlot.get();
        slot.current = this;
        Object value = null;
        Throwable error = null;
        BodyThreadContext threadContext = null;
        try {
            threadContext = BodyThreadContext.enter(context); // MDC and the like, on this thread too
            value = body.run();
        } catch (Throwable e) {
            error = e;
        } finally {
            if (threadContext != null) {
                try {
                    threadContext.exit();
                } catch (Throwable e) {
                    if (error == null) {
                        error = e;
                    } else {
                        error.addSuppressed(e);
                    }
                }
            }
            slot.current = null;
            bodyFinished();
        }
        // An interrupt still pending here was never seen by a suspend-like call (the body
        // restored the flag, or was interrupted after its last call): it still means "cancel".
        if (Thread.interrupted() && error == null) {
            cancelOwner(Interrupts.cancellation("coroutine body", null));
        }
        post(new Done(value, error));
    }

    // ---- body side -------------------------------------------------------------------------

    /**
     * Called on the body thread: has the driver run {@code op} in the coroutine and returns its
     * result, or throws its exception.
     */
    @Override
    Object performCall(SuspendCall<?> op) {
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("a suspend-like call was made for a coroutine body from thread "
                    + Thread.currentThread().getName()
                    + ", which is not the body's thread; call it from the body itself");
        }
        if (Thread.interrupted()) {
            // A pending interrupt means "cancel": like an interruptible JDK method, the call
            // throws at once (a reply arriving during the spin would otherwise lose it). Inside
            // nonCancellable cleanup the call still runs; the coroutine is cancelled afterwards.
            CancellationException ce = Interrupts.cancellation("coroutine body", null);
            cancelOwner(ce);
            if (nonCancellableDepth == 0) {
                throw ce;
            }
        }
        if (directCalls && nonCancellableDepth == 0 && mail.compareAndSet(WAITING, BORROWED)) {
            return performDirectly(op);
        }
        Request r = request;
        r.op = op;
        r.nonCancellable = nonCancellableDepth > 0;
        post(r);
        Object outcome = awaitReply();
        r.op = null;
        return outcome == NULL_REPLY ? null : Results.valueOrThrow(outcome);
    }

    /**
     * The driver is suspended waiting for a message and its dispatcher is free-threaded
     * ({@code Dispatchers.Default}/{@code IO}, no thread-context elements): the body borrows the
     * driver's continuation and makes the call on its own thread, exactly as the driver would.
     * If the call completes at once (the usual {@code emit}) there is no handoff at all; if it
     * suspends, its resumption runs the driver on its dispatcher, which hands the result back.
     */
    @SuppressWarnings("unchecked")
    private Object performDirectly(SuspendCall<?> op) {
        driver.beginBorrowedCall();
        Object r;
        try {
            r = ((SuspendCall<Object>) op).invoke(driver);
        } catch (Throwable t) {
            r = Results.failure(t);
        }
        if (r != FiberDriver.SUSPENDED) {
            driver.endBorrowedCall();
            mail.set(WAITING);
            return Results.valueOrThrow(r);
        }
        Object outcome = awaitReply();
        return outcome == NULL_REPLY ? null : Results.valueOrThrow(outcome);
    }

    /** Called by the driver when a borrowed call resumed it: the mailbox is the driver's again. */
    void releaseBorrowed() {
        mail.compareAndSet(BORROWED, null);
    }

    private void post(Object message) {
        for (; ; ) {
            Object cur = mail.get();
            if (cur == null) {
                if (mail.compareAndSet(null, message)) {
                    return;
                }
            } else if (cur == WAITING) {
                mail.set(message);
                driver.resumeFromBody();
                return;
            } else if (cur instanceof Thread parked) {
                if (mail.compareAndSet(cur, message)) {
                    LockSupport.unpark(parked);
                    return;
                }
            } else {
                throw new IllegalStateException("coflow fiber protocol error: two messages in flight");
            }
        }
    }

    private Object awaitReply() {
        Object r;
        long deadline = Spin.NOT_STARTED;
        for (int i = 0; deadline != Spin.DONE; i++) {
            if ((r = reply) != null) {
                reply = null;
                return r;
            }
            deadline = Spin.step(i, deadline);
        }
        bodyParked = true;
        try {
            while ((r = reply) == null) {
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    // Interrupting a body thread means: cancel this coroutine.
                    cancelOwner(Interrupts.cancellation("coroutine body", null));
                }
            }
        } finally {
            bodyParked = false;
        }
        reply = null;
        return r;
    }

    // ---- driver side -----------------------------------------------------------------------

    /** Called by the driver: hands a raw result (value or Result.Failure) back to the body. */
    void deliverReply(Object outcome) {
        reply = outcome == null ? NULL_REPLY : outcome;
        if (bodyParked) {
            LockSupport.unpark(thread);
        }
    }

    /**
     * Called by the driver: returns the next message, or {@link FiberDriver#SUSPENDED} after
     * arranging to be resumed by {@link #post}.
     */
    Object awaitMessage() {
        Object m;
        // With direct calls the driver suspends at once: a spinning driver would catch every
        // request as a handoff and the body would never get to make its calls itself.
        long deadline = directCalls ? Spin.DONE : Spin.NOT_STARTED;
        for (int i = 0; deadline != Spin.DONE; i++) {
            m = mail.get();
            if (m != null) {
                mail.set(null);
                return m;
            }
            deadline = Spin.step(i, deadline);
        }
        Thread me = Thread.currentThread();
        if (blockingWait && me != thread) {
            if (mail.compareAndSet(null, me)) {
                while ((m = mail.get()) == me) {
                    LockSupport.park(this);
                }
            }
            m = mail.getAndSet(null);
            return m;
        }
        if (mail.compareAndSet(null, WAITING)) {
            return FiberDriver.SUSPENDED;
        }
        return mail.getAndSet(null);
    }

    /** A suspend-like call to perform in the coroutine. */
    static final class Request {
        SuspendCall<?> op;
        boolean nonCancellable;
    }

    /** The body finished, with a value or an exception. */
    record Done(Object value, Throwable error) {}
}
