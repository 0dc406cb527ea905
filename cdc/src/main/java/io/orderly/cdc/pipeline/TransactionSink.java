package io.orderly.cdc.pipeline;

import java.util.List;

import io.orderly.cdc.assembly.SourceTransaction;

/**
 * Takes complete source transactions into the read models. A {@link ChangeSource} calls it from
 * one thread, in commit order, and marks what it delivered as consumed only once the call has
 * returned: returning is how the sink says the transactions are applied.
 */
@FunctionalInterface
public interface TransactionSink {

    /**
     * Applies consecutive transactions, in commit order. Returns once every one of them is in the
     * read models, applied now or before (a replay is skipped).
     *
     * @throws InterruptedException when the sink takes no more transactions (it was parked, then
     * closed): nothing of these was applied by this call, and the source should stop
     * @throws RuntimeException when they cannot be applied; the source marks none of them
     */
    void accept(List<SourceTransaction> transactions) throws InterruptedException;
}
