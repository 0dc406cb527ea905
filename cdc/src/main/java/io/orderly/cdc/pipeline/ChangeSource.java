package io.orderly.cdc.pipeline;

import io.orderly.cdc.readmodel.ProjectorStatus.State;
import io.orderly.cdc.readmodel.SnapshotProgress;
import org.jspecify.annotations.Nullable;

/**
 * Where the projector's source transactions come from: a source reads the committed changes of one
 * slot, assembles them into complete {@linkplain io.orderly.cdc.assembly.SourceTransaction source
 * transactions} and hands them, in commit order, to its {@link TransactionSink}. It marks its own
 * position only for what the sink has taken, so that a crash replays rather than loses; the sink's
 * watermark makes the replay harmless.
 */
public interface ChangeSource {

    /** What a source tells the projector that runs it, on the source's own thread. */
    interface Listener {

        void stateChanged(State state);

        void snapshotProgressed(SnapshotProgress progress);

        /** The source stopped on an error, or its sink refused what it delivered; not called once {@link #close()} began. */
        void failed(Throwable error);
    }

    /** Starts reading, on a thread of its own. */
    void start();

    /**
     * Stops reading and waits until it has. What the sink did not take stays unmarked, for the next
     * source on the same slot.
     */
    void close();

    boolean isRunning();

    /** The slot this source reads, which its position is kept under. */
    String slotName();

    /** Starting, taking a snapshot, or streaming. */
    State state();

    /** The progress of the snapshot this source takes or took, or null when it resumed a stream. */
    @Nullable SnapshotProgress snapshot();

    /** Whether the source streams, the snapshot it took (if any) complete. */
    default boolean snapshotComplete() {
        SnapshotProgress progress = snapshot();
        return state() == State.STREAMING && (progress == null || progress.completedAt() != null);
    }
}
