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
 *
 * <p><b>Lending</b> (ADR 0003): on dispatchers that promise exclusion but no thread identity (a
 * {@code limitedParallelism} view of the shared pools, a standard test dispatcher) the waiting
 * driver keeps its thread, and with it the dispatcher's permit, and the body makes its calls itself
 * on its own thread meanwhile, as on {@code Dispatchers.Default}: the coroutine still runs one step at
 * a time, and an {@code emit} that does not suspend costs no handoff. A call that suspends gives the
 * permit back (the driver returns); on a view of the shared pools, so does a body that makes no call
 * for {@link #LEND_NANOS} (plain blocking work never holds the permit for long).
 */
final class Fiber extends BodyContext {
    private static final Object WAITING = new Object();
    private static final Object NULL_REPLY = new Object();
    private static final Object BORROWED = new Object();
    /** The body is running a call itself while the driver blocks its thread (lending). */
    private static final Object BORROWED_LENT = new Object();
    /** How long a lending driver on a pool view waits for a body that makes no call; {@code coflow.lendNanos}. */
    static final long LEND_NANOS = Long.getLong("coflow.lendNanos", 1_000_000L);

    private static final boolean LENDING_ENABLED = !Boolean.getBoolean("coflow.noLending");
    private static final boolean DIRECT_ENABLED = !Boolean.getBoolean("coflow.noDirectCalls");
    private static final Class<?> TEST_DISPATCHER = KotlinxInternals.TestScheduler.DISPATCHER;

    private final boolean blockingWait;
    /** Whether the body thread may itself run calls on the driver's behalf; see {@link #perform}. */
    private final boolean directCalls;
    /** Whether the waiting driver keeps its thread and lets the body make its calls (see the class doc). */
    private final boolean lending;
    /** Whether a lending driver takes its thread back from a body that makes no call for a while. */
    private final boolean revocable;
    /** Calls the body made while the driver lent it the thread; read by the driver to see progress. */
    private int lentCalls;
    /** True while a lending driver is blocked inside {@link #awaitMessage}. */
    private volatile boolean driverLending;

    private final FiberDriver driver;
    private volatile Thread thread;
    /** The body thread's slot, set when the body starts. */
    private BodySlot bodySlot;

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
        boolean test = TEST_DISPATCHER != null && TEST_DISPATCHER.isInstance(interceptor);
        this.directCalls = DIRECT_ENABLED && FreeThreading.allows(context, interceptor);
        this.revocable = !directCalls && KotlinxInternals.isLimitedViewOfSharedPools(interceptor);
        this.lending = LENDING_ENABLED
                && !directCalls
                && (revocable
                        || test
                                && interceptor instanceof kotlinx.coroutines.CoroutineDispatcher d
                                && d.isDispatchNeeded(context));
        this.blockingWait = test && !lending;
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
        bodySlot = slot;
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
        if (lending && nonCancellableDepth == 0) {
            Object cur = mail.get();
            if (cur instanceof Thread lender && mail.compareAndSet(cur, BORROWED_LENT)) {
                return performLent(op, lender);
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

    /**
     * The driver blocks its thread (lending): the body makes the call itself, as
     * {@link #performDirectly} does, while the dispatcher's permit stays taken. A call that
     * suspends gives the thread back to the dispatcher; its resumption hands the outcome back.
     */
    @SuppressWarnings("unchecked")
    private Object performLent(SuspendCall<?> op, Thread lender) {
        driver.beginBorrowedCall();
        BodySlot slot = bodySlot;
        slot.inLentCall = true;
        Object r;
        try {
            r = ((SuspendCall<Object>) op).invoke(driver);
        } catch (Throwable t) {
            r = Results.failure(t);
        } finally {
            slot.inLentCall = false;
        }
        if (r != FiberDriver.SUSPENDED) {
            driver.endBorrowedCall();
            lentCalls++;
            mail.set(lender);
            return Results.valueOrThrow(r);
        }
        mail.set(BORROWED);
        LockSupport.unpark(lender);
        Object outcome = awaitReply();
        return outcome == NULL_REPLY ? null : Results.valueOrThrow(outcome);
    }

    /**
     * Called by a resumed driver before it touches its state: a lending driver that the body just
     * released may still be on its way out of {@link #awaitMessage} on another thread of the pool.
     */
    void awaitLenderExit() {
        while (driverLending) {
            Thread.onSpinWait();
        }
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
        if (lending && Thread.currentThread() != thread) {
            // Lend before the body sees its reply, so that its next call finds the thread lent
            // instead of racing the driver into a handoff.
            driverLending = true;
            mail.compareAndSet(null, Thread.currentThread());
        }
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
        long deadline = directCalls || lending ? Spin.DONE : Spin.NOT_STARTED;
        for (int i = 0; deadline != Spin.DONE; i++) {
            m = mail.get();
            if (m != null) {
                mail.set(null);
                return m;
            }
            deadline = Spin.step(i, deadline);
        }
        Thread me = Thread.currentThread();
        if (lending && me != thread) {
            return lend(me);
        }
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

    /**
     * The lending wait: the driver parks its thread (keeping the dispatcher's permit) with the
     * mailbox holding that thread, so the body can make its calls itself. Returns the next message,
     * or {@link FiberDriver#SUSPENDED} once a call of the body suspended (mailbox
     * {@code BORROWED}) or a revocable lease ran out without a call (mailbox {@code WAITING}).
     */
    private Object lend(Thread me) {
        driverLending = true;
        Object m = mail.get();
        if (m != me && m != BORROWED_LENT && m != BORROWED && (m != null || !mail.compareAndSet(null, me))) {
            driverLending = false;
            return mail.getAndSet(null);
        }
        boolean interrupted = false;
        try {
            int seen = lentCalls;
            for (; ; ) {
                m = mail.get();
                if (m == me || m == BORROWED_LENT) {
                    if (revocable) {
                        LockSupport.parkNanos(this, LEND_NANOS);
                    } else {
                        LockSupport.park(this);
                    }
                    if (Thread.interrupted()) {
                        interrupted = true; // given back below: the thread is not ours
                    }
                    if (revocable) {
                        int now = lentCalls;
                        if ((now == seen || interrupted) && mail.compareAndSet(me, WAITING)) {
                            return FiberDriver.SUSPENDED;
                        }
                        seen = now;
                    }
                    continue;
                }
                if (m == BORROWED) {
                    return FiberDriver.SUSPENDED;
                }
                mail.set(null);
                return m;
            }
        } finally {
            driverLending = false;
            if (interrupted) {
                me.interrupt();
            }
        }
    }

    /** A suspend-like call to perform in the coroutine. */
    static final class Request {
        SuspendCall<?> op;
        boolean nonCancellable;
    }

    /** The body finished, with a value or an exception. */
    record Done(Object value, Throwable error) {}
}
