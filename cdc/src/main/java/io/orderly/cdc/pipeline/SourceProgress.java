package io.orderly.cdc.pipeline;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.orderly.cdc.assembly.SourceTransaction;
import io.orderly.cdc.readmodel.ProjectorStatus.State;
import io.orderly.cdc.readmodel.SnapshotProgress;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one change source and the progress of its snapshot, as it tells its
 * {@link ChangeSource.Listener}: what every kind of source reports the same way. Changed on the
 * source's own thread, read from any.
 */
public final class SourceProgress {

    private static final Logger log = LoggerFactory.getLogger(SourceProgress.class);

    private final String slotName;
    private final Clock clock;
    private final ChangeSource.Listener listener;
    private volatile State state = State.STARTING;
    private volatile @Nullable SnapshotProgress snapshot;
    private Instant lastProgressLog = Instant.EPOCH;

    /** @param snapshot the progress of the snapshot the source is about to take, or null when it resumes a stream */
    public SourceProgress(String slotName, Clock clock, ChangeSource.Listener listener, @Nullable SnapshotProgress snapshot) {
        this.slotName = slotName;
        this.clock = clock;
        this.listener = listener;
        this.snapshot = snapshot;
    }

    public State state() {
        return state;
    }

    public @Nullable SnapshotProgress snapshot() {
        return snapshot;
    }

    /** Moves to {@code next}; streaming completes a snapshot that delivered no rows. */
    public void enter(State next) {
        if (state != next) {
            state = next;
            listener.stateChanged(next);
        }
        SnapshotProgress progress = snapshot;
        if (next == State.STREAMING && progress != null && progress.completedAt() == null) {
            // A snapshot of empty tables delivers no rows, so nothing else marks it complete.
            progress = progress.complete(clock.instant());
            snapshot = progress;
            listener.snapshotProgressed(progress);
        }
    }

    /** Counts a snapshot chunk the sink has taken, logging the progress every few seconds. */
    public void snapshotAdvanced(SourceTransaction chunk) {
        SnapshotProgress progress = snapshot;
        if (progress == null) {
            progress = SnapshotProgress.started(clock.instant(), 0);
        }
        Instant now = clock.instant();
        progress = progress.advance(chunk.changes().size());
        if (chunk.completesSnapshot()) {
            progress = progress.complete(now);
            log.info("Snapshot on slot '{}' complete at position {}: {} rows in {} s ({} rows/s)", slotName, chunk.position(),
                    progress.rowsDone(), Duration.between(progress.startedAt(), now).toSeconds(),
                    Math.round(progress.rowsPerSecond(now)));
        }
        else if (Duration.between(lastProgressLog, now).toSeconds() >= 5) {
            lastProgressLog = now;
            log.info("Snapshot on slot '{}': {} of {} rows ({} rows/s, about {} s left)", slotName, progress.rowsDone(),
                    progress.rowsTotal(), Math.round(progress.rowsPerSecond(now)), progress.etaSeconds(now));
        }
        snapshot = progress;
        listener.snapshotProgressed(progress);
        if (chunk.completesSnapshot()) {
            enter(State.STREAMING);
        }
    }
}
