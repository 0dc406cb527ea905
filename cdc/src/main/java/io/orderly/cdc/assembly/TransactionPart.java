package io.orderly.cdc.assembly;

import java.util.List;

/**
 * Consecutive row changes of a transaction that has not ended yet, handed over while it is still
 * being read because the whole of it is too large to hold: the sink stages them where readers
 * cannot see them, and the {@link SourceTransaction} that ends the transaction makes them visible
 * with the rest. Its commit position is not known yet: sources learn it from the transaction's end.
 *
 * @param first whether these are the transaction's first changes: whatever the sink staged before,
 * of this transaction or another, is then discarded, as a source that reads a transaction again
 * sends it from its beginning
 */
public record TransactionPart(long txId, List<RowChange> changes, boolean first) {

    public TransactionPart {
        changes = List.copyOf(changes);
    }

    /** A part that follows others of the same transaction (or, to a sink staging nothing, begins it). */
    public TransactionPart(long txId, List<RowChange> changes) {
        this(txId, changes, false);
    }
}
