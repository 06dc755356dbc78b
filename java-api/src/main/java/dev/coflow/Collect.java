package dev.coflow;

import dev.coflow.bridge.Coroutines;
import dev.coflow.bridge.Suspend;
import dev.coflow.bridge.SuspendCall;
import dev.coflow.bridge.internal.Exceptions;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import kotlinx.coroutines.CoroutineStart;
import kotlinx.coroutines.Dispatchers;
import kotlinx.coroutines.GlobalScope;
import kotlinx.coroutines.future.FutureKt;

/**
 * How terminal operations run: blocking from plain Java (the calling thread drives the
 * collection, kotlinx {@code runBlocking}), suspending the owning coroutine from inside a bridged
 * body, or as a {@link CompletableFuture}.
 */
final class Collect {
    private Collect() {}

    /**
     * Runs a suspend call to completion. Checked exceptions are wrapped (see docs/semantics.md §5);
     * unchecked ones and cancellation pass unchanged; an interrupt of the blocked caller cancels
     * the collection and keeps the interrupt flag set.
     */
    static <R> R block(SuspendCall<R> call) {
        try {
            // Inside a body this suspends the owning coroutine; outside, the calling thread drives
            // the collection and a generator collected directly by it runs inline on this thread.
            return Suspend.call(call);
        } catch (Throwable t) {
            throw blockingFailure(t);
        }
    }

    /**
     * What a blocking terminal throws for a failure {@code t} of its collection: an interrupt
     * becomes a {@link CancellationException} (the interrupt flag set again), anything else as
     * {@link Exceptions#unchecked}.
     */
    static RuntimeException blockingFailure(Throwable t) {
        if (t instanceof InterruptedException e) {
            // e.g. a consumer blocked in plain Java was interrupted: Java convention is to keep
            // the flag, and for a collection an interrupt means cancellation
            return dev.coflow.bridge.internal.Interrupts.restoring("blocking collection", e);
        }
        return Exceptions.unchecked(t);
    }

    /** Starts a suspend call as a future; cancelling the future cancels the collection. */
    static <R> CompletableFuture<R> async(SuspendCall<R> call) {
        // The collection runs as a bridge body: the consumer's lambdas then run on that body's
        // virtual thread (its calls are made directly on Default), so a lambda that waits holds
        // no kotlinx worker.
        return FutureKt.future(
                GlobalScope.INSTANCE,
                Dispatchers.getDefault(),
                CoroutineStart.DEFAULT,
                (scope, c) -> Coroutines.runSuspendingOnVirtualThread(() -> Suspend.call(call), c));
    }

    /**
     * Starts a suspend call as a future and maps its result; cancelling the returned future
     * cancels the collection.
     */
    static <R, U> CompletableFuture<U> async(
            SuspendCall<R> call, java.util.function.Function<? super R, ? extends U> then) {
        CompletableFuture<R> source = async(call);
        CompletableFuture<U> result = new CompletableFuture<>();
        source.whenComplete((v, e) -> {
            if (e != null) {
                // e is what the collection failed with, as it is (kotlinx completes the source with
                // completeExceptionally(cause)): a CompletionException here was thrown by the flow
                // itself (a lambda calling join(), a nested blocking terminal), so it is the original
                result.completeExceptionally(e);
            } else {
                try {
                    result.complete(then.apply(v));
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            }
        });
        result.whenComplete((v, e) -> {
            if (result.isCancelled()) {
                source.cancel(true);
            }
        });
        return result;
    }
}
