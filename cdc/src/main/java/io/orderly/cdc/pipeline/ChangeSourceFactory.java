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
}
