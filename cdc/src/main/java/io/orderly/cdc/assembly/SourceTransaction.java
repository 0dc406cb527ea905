package io.orderly.cdc.assembly;

import java.time.Instant;
import java.util.List;

/**
 * The row changes of one PostgreSQL transaction, in the order they were made, with the position
 * of its commit in the WAL. The projector applies a source transaction all at once or not at all.
 *
 * <p>A chunk of the initial snapshot is also delivered as a source transaction: {@code snapshot}
 * is then true, {@code position} is the snapshot's position, and {@code completesSnapshot} marks the
 * last chunk.
 *
 * <p>A transaction too large to hold arrives in parts: the first ones as {@link TransactionPart}s,
 * staged by the sink as they come, and the last one here, with {@code stagedChanges} saying how
 * many changes came before it; {@code changes} then holds only the rest.
 */
public record SourceTransaction(
        long txId,
        long position,
        Instant committedAt,
        List<RowChange> changes,
        boolean snapshot,
        boolean completesSnapshot,
        long stagedChanges) {

    /** A transaction or snapshot chunk delivered whole. */
    public SourceTransaction(long txId, long position, Instant committedAt, List<RowChange> changes, boolean snapshot,
            boolean completesSnapshot) {
        this(txId, position, committedAt, changes, snapshot, completesSnapshot, 0);
    }

    public static SourceTransaction committed(long txId, long position, Instant committedAt, List<RowChange> changes) {
        return new SourceTransaction(txId, position, committedAt, List.copyOf(changes), false, false);
    }

    /** The end of a transaction whose first {@code stagedChanges} changes were delivered as parts. */
    public static SourceTransaction endOfStaged(long txId, long position, Instant committedAt, List<RowChange> changes,
            long stagedChanges) {
        return new SourceTransaction(txId, position, committedAt, List.copyOf(changes), false, false, stagedChanges);
    }

    /** Whether parts of this transaction were delivered before it. */
    public boolean staged() {
        return stagedChanges > 0;
    }

    /** How many row changes the transaction has in all. */
    public long size() {
        return stagedChanges + changes.size();
    }
}
