package io.orderly.cdc.supervision;

import java.util.List;
import java.util.stream.Collectors;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.sync.RedisCommands;
import io.orderly.cdc.readmodel.Lsn;
import io.orderly.cdc.readmodel.ReadModelKeys;
import io.orderly.cdc.readmodel.Watermark;
import io.orderly.cdc.source.RedisOffsetBackingStore;
import io.orderly.cdc.source.ReplicationSlots;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the served read models and their replication slot still describe the same history, and
 * the clearing of the read models when they do not. If Redis has no watermark (first start, lost
 * data, interrupted snapshot), the slot is gone, or the slot has confirmed more than Redis recorded
 * (Redis restored from an older backup), there is nothing worth serving.
 */
final class ServedHistory {

    private static final Logger log = LoggerFactory.getLogger(ServedHistory.class);

    private final RedisConnections connections;
    private final ReplicationSlots slots;
    /** Whether the slots are the projector's own; when not, the source keeps its position in Redis only. */
    private final boolean ownSlots;
    private final ProjectorLease lease;

    ServedHistory(RedisConnections connections, ReplicationSlots slots, boolean ownSlots, ProjectorLease lease) {
        this.connections = connections;
        this.slots = slots;
        this.ownSlots = ownSlots;
        this.lease = lease;
    }

    /** Whether streaming may resume on {@code slot} from {@code watermark}. */
    boolean matches(Watermark watermark, String slot) {
        if (!ownSlots) {
            // The source's position is kept next to the watermark, and lost with it.
            return watermark.exists();
        }
        return watermark.exists() && slots.isUsable(slot) && !behindSlot(watermark, slot);
    }

    /** Deletes the served database's read models, keeping the projector's status and lease. */
    void clear() {
        log.info("No consistent read models in Redis: rebuilding them in place from a fresh snapshot");
        RedisCommands<String, String> redis = connections.status().sync();
        ScanCursor cursor = ScanCursor.INITIAL;
        ScanArgs matchOrderly = ScanArgs.Builder.matches(ReadModelKeys.PREFIX + "*").limit(1000);
        do {
            KeyScanCursor<String> page = redis.scan(cursor, matchOrderly);
            List<String> keys = page.getKeys().stream()
                    .filter(key -> !key.equals(ReadModelKeys.PROJECTOR_STATUS) && !key.equals(ReadModelKeys.PROJECTOR_LEASE))
                    .collect(Collectors.toList());
            if (!keys.isEmpty()) {
                redis.del(keys.toArray(String[]::new));
            }
            if (!lease.renew()) {
                throw new IllegalStateException("Lost the projector lease while clearing the read models");
            }
            cursor = page;
        } while (!cursor.isFinished());
    }

    /**
     * Whether the slot has confirmed more of the stream than Redis recorded having applied: Redis lost
     * what it had applied since (restored from an older backup, say), and PostgreSQL no longer has
     * those changes to send again.
     */
    private boolean behindSlot(Watermark watermark, String slot) {
        // The watermark is written with the read models; the offsets a little later, and their last
        // write may fail while the engine stops, after Debezium confirmed it to the slot anyway.
        long stored = Math.max(watermark.position(), RedisOffsetBackingStore.furthestPosition(connections.status().sync()));
        long confirmed = slots.confirmedPosition(slot);
        if (stored < confirmed) {
            log.warn("The read models in Redis stop at position {} but slot '{}' has confirmed up to {}: Redis lost changes "
                    + "(restored from an older backup?)", Lsn.format(stored), slot, Lsn.format(confirmed));
            return true;
        }
        return false;
    }
}
