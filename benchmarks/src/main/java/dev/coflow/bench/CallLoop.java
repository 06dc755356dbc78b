package dev.coflow.bench;

import kotlin.ResultKt;
import kotlin.Unit;
import kotlin.coroutines.Continuation;
import kotlin.coroutines.intrinsics.IntrinsicsKt;
import kotlin.coroutines.jvm.internal.ContinuationImpl;
import kotlin.jvm.functions.Function1;

/**
 * What {@code kotlinc} emits for {@code suspend fun loop() = repeat(times) { call() }}: a
 * {@link ContinuationImpl} state machine that makes one suspend call per step, runs on while
 * calls return a value, and returns {@code COROUTINE_SUSPENDED} when one suspends (kotlinx then
 * resumes it through its dispatcher, like any compiled suspend function).
 */
final class CallLoop extends ContinuationImpl {
    private static final Object SUSPENDED = IntrinsicsKt.getCOROUTINE_SUSPENDED();

    private final Function1<Continuation<Object>, Object> call;
    private final int times;
    private int made;
    private long checksum;

    private CallLoop(Continuation<? super Long> completion, int times, Function1<Continuation<Object>, Object> call) {
        super(Kx.erased(completion));
        this.times = times;
        this.call = call;
    }

    /**
     * Makes {@code call} {@code times} times as one suspend function; returns the number of
     * non-null results (so no call's result is dead code) or {@code COROUTINE_SUSPENDED}.
     */
    static Object run(int times, Function1<Continuation<Object>, Object> call, Continuation<? super Long> completion) {
        return new CallLoop(completion, times, call).invokeSuspend(Unit.INSTANCE);
    }

    @Override
    protected Object invokeSuspend(Object result) {
        if (made > 0) {
            // Resumed after a call suspended: result is that call's outcome.
            ResultKt.throwOnFailure(result);
            checksum += result != null ? 1 : 0;
        }
        while (made < times) {
            made++;
            Object r = call.invoke(this);
            if (r == SUSPENDED) {
                return SUSPENDED;
            }
            checksum += r != null ? 1 : 0;
        }
        return checksum;
    }
}
