package io.orderly.cdc.pipeline;

import java.util.List;

import io.orderly.cdc.readmodel.SnapshotProgress;
import org.jspecify.annotations.Nullable;

/**
 * Makes the change sources of one kind, such as the embedded Debezium engine, one per slot: the
 * projector's supervisor runs whichever kind it is given.
 */
public interface ChangeSourceFactory {

    /**
     * A source reading {@code slot}, not yet started, that keeps its position in Redis database
     * {@code database} and delivers to {@code sink}.
     *
     * @param snapshot the progress of the snapshot the source is about to take, or null when it
     * resumes a stream
     */
    ChangeSource create(String slot, int database, @Nullable SnapshotProgress snapshot, TransactionSink sink,
            ChangeSource.Listener listener);

    /** Every table the sources read, which is what a snapshot delivers the rows of. */
    List<String> capturedTables();

    /**
     * Whether each source reads a PostgreSQL replication slot of its own, named by its slot, which
     * the projector then checks against the read models and drops when it starts over. A source
     * that reads a log someone else fills (Kafka topics written by Kafka Connect, whose connector
     * owns the slot) answers false: its slot is only a name, and its position lives in Redis alone.
     */
    default boolean ownsReplicationSlots() {
        return true;
    }
}
