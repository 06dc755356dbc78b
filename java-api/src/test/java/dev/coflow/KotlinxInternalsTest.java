package dev.coflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CancellationException;
import kotlinx.coroutines.Dispatchers;
import kotlinx.coroutines.flow.FlowKt;
import org.junit.jupiter.api.Test;

/**
 * Every kotlinx internal or mangled name {@code java-api} relies on still exists in the kotlinx on
 * the class path: after a kotlinx upgrade that moves one, this test fails and names the symbol.
 */
class KotlinxInternalsTest {
    @Test
    void everySymbolResolves() {
        List<String> resolved;
        try {
            resolved = KotlinxInternals.resolveAll();
        } catch (ExceptionInInitializerError | NoClassDefFoundError e) {
            throw new AssertionError("a kotlinx internal is missing: " + e.getMessage(), e);
        } catch (IllegalStateException e) {
            throw new AssertionError(e.getMessage(), e);
        }
        assertEquals(List.of("SendChannel.trySend-JP2dKIU", "ChannelResult.isSuccess-impl",
                "kotlinx.coroutines.flow.internal.FusibleFlow",
                "kotlinx.coroutines.flow.internal.AbortFlowException"), resolved);
        assertNotNull(KotlinxInternals.Channels.TRY_SEND);
        assertNotNull(KotlinxInternals.Channels.IS_SUCCESS);
    }

    @Test
    void theChecksRecogniseWhatTheyAreFor() {
        assertTrue(KotlinxInternals.isFusible(FlowKt.flowOn(FlowKt.flowOf(1), Dispatchers.getDefault())),
                "kotlinx's flowOn is a FusibleFlow");
        assertFalse(KotlinxInternals.isFusible(FlowKt.flowOf(1)));
        assertFalse(KotlinxInternals.isFlowInternal(new CancellationException("plain")));
    }
}
