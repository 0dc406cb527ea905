package io.orderly.cdc.readmodel;

import java.time.Instant;
import java.util.Map;

/**
 * The last transaction the projector applied, written in the same atomic step as the read-model
 * changes of that transaction. {@code position} is its commit position in the WAL; every
 * transaction at or below it is already in the read models.
 */
public record Watermark(long position, long txId, Instant committedAt, Instant appliedAt) {

    public static final Watermark NONE = new Watermark(0, 0, Instant.EPOCH, Instant.EPOCH);

    public Map<String, String> toHash() {
        return Map.of(
                "position", Long.toString(position),
                "txId", Long.toString(txId),
                "committedAt", committedAt.toString(),
                "appliedAt", appliedAt.toString());
    }

    /** The watermark stored in {@code hash}, or {@link #NONE} for an empty hash. */
    public static Watermark fromHash(Map<String, String> hash) {
        if (!hash.containsKey("position")) {
            return NONE;
        }
        return new Watermark(
                Long.parseLong(hash.get("position")),
                Long.parseLong(hash.get("txId")),
                Instant.parse(hash.get("committedAt")),
                Instant.parse(hash.get("appliedAt")));
    }

    public boolean exists() {
        return position > 0;
    }
}
