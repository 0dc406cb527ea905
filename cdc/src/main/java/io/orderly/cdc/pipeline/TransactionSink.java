package io.orderly.cdc.pipeline;

import java.util.List;

import io.orderly.cdc.assembly.SourceTransaction;
import io.orderly.cdc.assembly.TransactionPart;

/**
 * Takes complete source transactions into the read models. A {@link ChangeSource} calls it from
 * one thread, in commit order, and marks what it delivered as consumed only once the call has
 * returned: returning is how the sink says the transactions are applied.
 *
 * <p>A transaction too large to hold may come in parts: a source hands its first changes to
 * {@link #stage} while it reads on, and the rest with the transaction itself to {@link #accept}.
 * Only then is any of it visible or marked; a source that stops half-way sends it again from its
 * beginning, and the sink discards what it staged of it.
 */
@FunctionalInterface
public interface TransactionSink {

    /**
     * Readies the sink; a source calls it once, before it delivers anything, and starts reading
     * only once it returns (so its deliveries, on whichever thread, see what this did).
     *
     * @throws InterruptedException as {@link #accept} does
     * @throws RuntimeException when the sink cannot be readied, which stops the source
     */
    default void open() throws InterruptedException {
    }

    /**
     * Applies consecutive transactions, in commit order. Returns once every one of them is in the
     * read models, applied now or before (a replay is skipped).
     *
     * @throws InterruptedException when the sink takes no more transactions (it was parked, then
     * closed): nothing of these was applied by this call, and the source should stop
     * @throws RuntimeException when they cannot be applied; the source marks none of them
     */
    void accept(List<SourceTransaction> transactions) throws InterruptedException;

    /**
     * Stages consecutive changes of the transaction being read, unseen by readers until the
     * transaction itself is {@linkplain #accept accepted} with {@link SourceTransaction#stagedChanges()}
     * counting them. A source calls it only once every transaction before this one was accepted,
     * and marks nothing of the staged transaction yet.
     *
     * @throws InterruptedException as {@link #accept} does
     */
    default void stage(TransactionPart part) throws InterruptedException {
        throw new UnsupportedOperationException("This sink takes whole transactions only");
    }
}
