package io.orderly.cdc.supervision;

import java.time.Clock;

import io.lettuce.core.FlushMode;
import io.lettuce.core.SetArgs;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.orderly.cdc.ProjectorSettings;
import io.orderly.cdc.readmodel.ReadModelKeys;
import io.orderly.cdc.source.ReplicationSlots;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a rebuild builds the next generation of the read models: the spare Redis database and a
 * slot of its own, taking turns with the served ones; the operator's request that starts a
 * rebuild; and the swap that makes the rebuilt generation the served one.
 */
final class SpareGeneration {

    private static final Logger log = LoggerFactory.getLogger(SpareGeneration.class);

    private final ProjectorSettings settings;
    private final RedisConnections connections;
    private final ReplicationSlots slots;
    /** Whether a rebuild reads a replication slot of its own; when not, only its Redis database holds what it left. */
    private final boolean ownSlots;
    private final ProjectorLease lease;
    private final Clock clock;

    SpareGeneration(ProjectorSettings settings, RedisConnections connections, ReplicationSlots slots, boolean ownSlots,
            ProjectorLease lease, Clock clock) {
        this.settings = settings;
        this.connections = connections;
        this.slots = slots;
        this.ownSlots = ownSlots;
        this.lease = lease;
        this.clock = clock;
    }

    /**
     * Records an operator's request for a rebuild, kept in Redis so that any projector process may
     * take it.
     *
     * @return whether the request was recorded (false when one is already pending or under way)
     */
    boolean request() {
        boolean recorded = "OK".equals(connections.status().sync().set(ReadModelKeys.REBUILD_REQUEST,
                clock.instant().toString(), SetArgs.Builder.nx()));
        if (recorded) {
            log.warn("Rebuild of the read models requested by an operator");
        }
        return recorded;
    }

    boolean requested() {
        return connections.status().sync().exists(ReadModelKeys.REBUILD_REQUEST) > 0;
    }

    void dropRequest() {
        connections.status().sync().del(ReadModelKeys.REBUILD_REQUEST);
    }

    /** Empties the spare database for a generation beside the one served from {@code servedSlot}, and returns its slot. */
    String prepareBeside(String servedSlot) {
        String slot = otherSlot(servedSlot);
        clear(slot);
        connections.spare().sync().set(ReadModelKeys.SLOT, slot);
        return slot;
    }

    /** Clears what a rebuild beside the generation served from {@code servedSlot} left, if it got as far as creating its slot. */
    void clearLeftovers(String servedSlot) {
        String slot = otherSlot(servedSlot);
        if (!ownSlots || slots.isPresent(slot)) {
            clear(slot);
        }
    }

    /** Empties the spare database and drops the rebuild's slot. */
    void clear(String slot) {
        connections.spare().sync().flushdb(FlushMode.ASYNC);
        if (ownSlots) {
            slots.drop(slot);
        }
    }

    /**
     * One MULTI/EXEC, fenced by the lease: the keys of the running system move into the rebuilt
     * database, which then becomes the served one. Every reader sees the old generation before and
     * the new one after, nothing in between.
     */
    void swapWithServed() {
        // A connection of its own: the stopped engine's may have been interrupted mid-command.
        try (StatefulRedisConnection<String, String> connection = connections.served()) {
            RedisCommands<String, String> redis = connection.sync();
            RedisCommands<String, String> spare = connections.spare().sync();
            String[] kept = ReadModelKeys.KEPT_ACROSS_GENERATIONS.toArray(String[]::new);
            if (spare.exists(kept) > 0) {
                // MOVE would leave such a key behind, with the old generation.
                throw new IllegalStateException("The spare database " + settings.rebuildDatabase() + " holds keys of the running system");
            }
            redis.watch(ReadModelKeys.PROJECTOR_LEASE);
            if (!lease.owner().equals(redis.get(ReadModelKeys.PROJECTOR_LEASE))) {
                redis.unwatch();
                throw new IllegalStateException("Lost the projector lease before switching to the rebuilt read models");
            }
            redis.multi();
            redis.del(ReadModelKeys.REBUILD_REQUEST);
            for (String key : ReadModelKeys.KEPT_ACROSS_GENERATIONS) {
                redis.move(key, settings.rebuildDatabase());
            }
            redis.swapdb(settings.redisDatabase(), settings.rebuildDatabase());
            TransactionResult result = redis.exec();
            if (result.wasDiscarded()) {
                throw new IllegalStateException("Lost the projector lease while switching to the rebuilt read models");
            }
        }
    }

    /** The slot a rebuild uses: the configured one and one with a {@code _b} suffix take turns. */
    private String otherSlot(String slot) {
        return slot.equals(settings.slotName()) ? settings.slotName() + "_b" : settings.slotName();
    }
}
