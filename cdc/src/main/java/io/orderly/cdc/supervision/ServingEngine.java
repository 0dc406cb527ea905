package io.orderly.cdc.supervision;

import java.time.Clock;
import java.util.Objects;

import io.lettuce.core.api.sync.RedisCommands;
import io.orderly.cdc.ProjectorSettings;
import io.orderly.cdc.apply.ApplyObserver;
import io.orderly.cdc.readmodel.ReadModelKeys;
import io.orderly.cdc.readmodel.SnapshotProgress;
import io.orderly.cdc.readmodel.Watermark;
import io.orderly.cdc.source.ReplicationSlots;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine applying to the served read models: started where they left off when they and their
 * slot still describe the same history, and otherwise, once everything is cleared, from a fresh
 * snapshot on the configured slot.
 */
final class ServingEngine {

    private static final Logger log = LoggerFactory.getLogger(ServingEngine.class);

    private final ProjectorSettings settings;
    private final RedisConnections connections;
    private final ReplicationSlots slots;
    private final boolean ownSlots;
    private final ServedHistory history;
    private final SpareGeneration spare;
    private final StatusPublisher status;
    private final EngineFactory engines;
    private final ApplyObserver observer;
    private final Clock clock;
    private volatile @Nullable Engine engine;

    /** @param ownSlots whether the engines read replication slots of their own, which a fresh start drops */
    ServingEngine(ProjectorSettings settings, RedisConnections connections, ReplicationSlots slots, boolean ownSlots,
            ServedHistory history, SpareGeneration spare, StatusPublisher status, EngineFactory engines, ApplyObserver observer,
            Clock clock) {
        this.settings = settings;
        this.connections = connections;
        this.slots = slots;
        this.ownSlots = ownSlots;
        this.history = history;
        this.spare = spare;
        this.status = status;
        this.engines = engines;
        this.observer = observer;
        this.clock = clock;
    }

    /**
     * Starts a new serving engine, closing the previous one if it stopped by itself.
     *
     * @param fresh whether to rebuild from a fresh snapshot even if the read models could resume
     * @param rebuilding whether a rebuild is under way, whose spare generation must stay
     */
    void start(boolean fresh, boolean rebuilding) {
        Engine previous = engine;
        if (previous != null) {
            // Stopped by itself (Redis unavailable, say): release its thread and connection.
            previous.close();
            engine = null;
        }
        RedisCommands<String, String> redis = connections.status().sync();
        String slot = Objects.requireNonNullElse(redis.get(ReadModelKeys.SLOT), settings.slotName());
        Watermark watermark = Watermark.fromHash(redis.hgetall(ReadModelKeys.WATERMARK));
        SnapshotProgress progress = null;
        if (fresh || !history.matches(watermark, slot)) {
            history.clear();
            spare.clearLeftovers(settings.slotName());
            if (ownSlots) {
                slots.drop(settings.slotName());
            }
            slot = settings.slotName();
            redis.set(ReadModelKeys.SLOT, slot);
            progress = SnapshotProgress.started(clock.instant(), slots.countRows(engines.capturedTables()));
            status.snapshotProgress(progress);
            log.info("Snapshot of {} rows started on slot '{}'", progress.rowsTotal(), slot);
        }
        else {
            if (!rebuilding) {
                // Whatever an interrupted rebuild left, or the generation a rebuild replaced, goes.
                spare.clearLeftovers(slot);
            }
            log.info("Resuming the change stream of slot '{}' after position {} (tx {})", slot, watermark.position(),
                    watermark.txId());
        }
        Engine started = engines.create(slot, settings.redisDatabase(), observer, progress, null);
        engine = started;
        started.start();
    }

    /** Closes the serving engine, if any. */
    void stop() {
        Engine running = engine;
        if (running != null) {
            running.close();
            engine = null;
        }
    }

    /** The serving engine, if one was started and not stopped since. */
    @Nullable Engine engine() {
        return engine;
    }

    /** How far the served read models are: the serving engine's position, 0 without one. */
    long position() {
        Engine running = engine;
        return running == null ? 0 : running.position();
    }

    /** Whether Redis lost the read models under the running engine: it applied something, and the watermark is gone. */
    boolean watermarkVanished(Engine running) {
        return running.position() > 0 && connections.status().sync().exists(ReadModelKeys.WATERMARK) == 0;
    }
}
