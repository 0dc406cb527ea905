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
 */
public record SourceTransaction(
        long txId,
        long position,
        Instant committedAt,
        List<RowChange> changes,
        boolean snapshot,
        boolean completesSnapshot) {

    public static SourceTransaction committed(long txId, long position, Instant committedAt, List<RowChange> changes) {
        return new SourceTransaction(txId, position, committedAt, List.copyOf(changes), false, false);
    }
}
