package io.orderly.cdc.readmodel;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The write store's side of the lag, sampled by processes with the command role (they talk to
 * PostgreSQL; query processes do not) and kept in {@link ReadModelKeys#SOURCE_STATUS}: the current
 * WAL position, and how much WAL the projector's replication slot holds back.
 */
public record SourceStatus(long position, @Nullable Long slotRetainedBytes, boolean slotActive, Instant measuredAt) {

    public Map<String, String> toHash() {
        return Map.of(
                "position", Long.toString(position),
                "slotRetainedBytes", slotRetainedBytes == null ? "" : Long.toString(slotRetainedBytes),
                "slotActive", Boolean.toString(slotActive),
                "measuredAt", measuredAt.toString());
    }

    public static @Nullable SourceStatus fromHash(Map<String, String> hash) {
        if (!hash.containsKey("position")) {
            return null;
        }
        String retained = hash.get("slotRetainedBytes");
        return new SourceStatus(Long.parseLong(hash.get("position")),
                retained == null || retained.isEmpty() ? null : Long.parseLong(retained),
                Boolean.parseBoolean(hash.get("slotActive")), Instant.parse(hash.get("measuredAt")));
    }
}
