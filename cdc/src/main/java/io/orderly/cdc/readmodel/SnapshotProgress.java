package io.orderly.cdc.readmodel;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * How far the projector is in building the read models from a snapshot, kept in
 * {@link ReadModelKeys#SNAPSHOT_PROGRESS}: rows applied out of the rows the tables held when it
 * started.
 */
public record SnapshotProgress(Instant startedAt, long rowsTotal, long rowsDone, @Nullable Instant completedAt) {

    public static SnapshotProgress started(Instant at, long rowsTotal) {
        return new SnapshotProgress(at, rowsTotal, 0, null);
    }

    public SnapshotProgress advance(long rows) {
        return new SnapshotProgress(startedAt, rowsTotal, rowsDone + rows, completedAt);
    }

    public SnapshotProgress complete(Instant at) {
        return new SnapshotProgress(startedAt, Math.max(rowsTotal, rowsDone), rowsDone, at);
    }

    /** Rows applied per second so far (or over the whole snapshot once complete). */
    public double rowsPerSecond(Instant now) {
        double seconds = Duration.between(startedAt, completedAt != null ? completedAt : now).toMillis() / 1000.0;
        return seconds <= 0 ? 0 : rowsDone / seconds;
    }

    /** Seconds until complete at the current rate; null when unknown or complete. */
    public @Nullable Long etaSeconds(Instant now) {
        double rate = rowsPerSecond(now);
        if (completedAt != null || rate <= 0) {
            return null;
        }
        return Math.round(Math.max(0, rowsTotal - rowsDone) / rate);
    }

    public Map<String, String> toHash() {
        Map<String, String> hash = new HashMap<>();
        hash.put("startedAt", startedAt.toString());
        hash.put("rowsTotal", Long.toString(rowsTotal));
        hash.put("rowsDone", Long.toString(rowsDone));
        hash.put("completedAt", completedAt == null ? "" : completedAt.toString());
        return hash;
    }

    public static @Nullable SnapshotProgress fromHash(Map<String, String> hash) {
        if (!hash.containsKey("startedAt")) {
            return null;
        }
        String completed = hash.get("completedAt");
        return new SnapshotProgress(Instant.parse(hash.get("startedAt")), Long.parseLong(hash.get("rowsTotal")),
                Long.parseLong(hash.get("rowsDone")), completed == null || completed.isEmpty() ? null : Instant.parse(completed));
    }
}
