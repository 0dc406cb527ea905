package io.orderly.cdc.assembly;

import java.util.List;

/**
 * Consecutive row changes of a transaction that has not ended yet, handed over while it is still
 * being read because the whole of it is too large to hold: the sink stages them where readers
 * cannot see them, and the {@link SourceTransaction} that ends the transaction makes them visible
 * with the rest. Its commit position is not known yet: sources learn it from the transaction's end.
 */
public record TransactionPart(long txId, List<RowChange> changes) {

    public TransactionPart {
        changes = List.copyOf(changes);
    }
}
