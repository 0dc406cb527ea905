package io.orderly.cdc.supervision;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

import io.orderly.cdc.ProjectorSettings;
import io.orderly.cdc.apply.ApplyObserver;
import io.orderly.cdc.readmodel.ProjectorStatus.State;
import io.orderly.cdc.readmodel.ReadModelKeys;
import io.orderly.cdc.readmodel.SnapshotProgress;
import io.orderly.cdc.readmodel.Watermark;
import io.orderly.cdc.source.ReplicationSlots;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An operator's rebuild: a second engine, on a second slot, builds the next generation of the read
 * models in the spare Redis database from a snapshot plus the stream, never passing the served
 * generation. Once it has caught up, the serving engine stops, the new one reaches exactly the
 * same transaction, and one MULTI/EXEC swaps the two databases (SWAPDB), keeping the change feed
 * and the other {@link ReadModelKeys#KEPT_ACROSS_GENERATIONS} where they were.
 *
 * <p>Driven by the supervisor, under its lock, except {@link #awaitCatchUp}, which waits without
 * it so that stopping the projector need not wait behind a switch.
 */
final class GenerationSwitch {

    private static final Logger log = LoggerFactory.getLogger(GenerationSwitch.class);

    /** How long the new generation may take to reach the stopped serving engine's last transaction. */
    private static final Duration HANDOVER_TIMEOUT = Duration.ofSeconds(30);

    /** What the switch needs of the supervisor whose served generation it replaces. */
    interface Served {

        /** Streams the served read models again, resuming on their slot. */
        void resume();

        /** The lease is lost: stops every engine and stands by. */
        void standBy();

        /** How far the new generation may go: as far as the served one, and no further. */
        long position();
    }

    /** A switch under way: the serving engine is parked at {@code position}. */
    record Handover(Engine serving, Engine building, long position, Instant started) {
    }

    private final ProjectorSettings settings;
    private final RedisConnections connections;
    private final ReplicationSlots slots;
    private final SpareGeneration spare;
    private final EngineFactory engines;
    private final StatusPublisher status;
    private final ProjectorLease lease;
    private final Clock clock;
    private final Served served;
    /** The engine building the next generation. */
    private volatile @Nullable Engine next;
    /** Why the engine building the next generation stopped, when it did. */
    private volatile @Nullable String failure;

    GenerationSwitch(ProjectorSettings settings, RedisConnections connections, ReplicationSlots slots, SpareGeneration spare,
            EngineFactory engines, StatusPublisher status, ProjectorLease lease, Clock clock, Served served) {
        this.settings = settings;
        this.connections = connections;
        this.slots = slots;
        this.spare = spare;
        this.engines = engines;
        this.status = status;
        this.lease = lease;
        this.clock = clock;
        this.served = served;
    }

    /** The engine building the next generation, if a rebuild is under way. */
    @Nullable Engine building() {
        return next;
    }

    /** Reported by the engine building the next generation when it stops on an error. */
    void failed(Engine engine, Throwable error) {
        log.error("The rebuild on slot '{}' failed: {}", engine.slotName(), error.getMessage(), error);
        failure = String.valueOf(error.getMessage());
    }

    /**
     * Starts a requested rebuild once the served read models stream, notices when it fails, and
     * parks the serving engine once the new generation has caught up.
     *
     * @return the switch to {@linkplain #awaitCatchUp await} and {@linkplain #complete complete}, if one began
     */
    @Nullable Handover supervise(Engine engine) {
        Engine building = next;
        if (building == null) {
            if (engine.state() == State.STREAMING && spare.requested()) {
                try {
                    start(engine);
                }
                catch (RuntimeException e) {
                    log.error("Cannot start the requested rebuild; the request is dropped: {}", e.getMessage(), e);
                    spare.dropRequest();
                    abandon("it could not start");
                }
            }
            return null;
        }
        String failed = failure;
        if (failed != null || !building.isRunning()) {
            abandon("the engine building it stopped: " + (failed == null ? "unknown error" : failed));
            spare.dropRequest();
            return null;
        }
        // At or just below the served position: snapshot rows are not held at the ceiling, so the new
        // generation may start ahead, and must not take over until the served one has passed it.
        if (building.snapshotComplete() && building.position() <= engine.position()
                && (building.waitingAtCeiling() || building.position() == engine.position())) {
            return begin(engine, building);
        }
        return null;
    }

    private void start(Engine engine) {
        String slot = spare.prepareBeside(engine.slotName());
        SnapshotProgress progress = SnapshotProgress.started(clock.instant(), slots.countRows(engines.capturedTables()));
        status.snapshotProgress(progress);
        log.info("Rebuilding the read models beside the served ones: {} rows from a snapshot on slot '{}' into Redis database {}",
                progress.rowsTotal(), slot, settings.rebuildDatabase());
        failure = null;
        LongSupplier ceiling = served::position;
        Engine building = engines.create(slot, settings.rebuildDatabase(), ApplyObserver.NONE, progress, ceiling);
        next = building;
        building.start();
    }

    /** Parks the serving engine, unless the served read models are not where it stopped. */
    private @Nullable Handover begin(Engine engine, Engine building) {
        log.info("The new read models caught up with the served ones at position {}; switching", engine.position());
        Instant started = clock.instant();
        engine.park();
        long position = engine.position();
        if (Watermark.fromHash(connections.status().sync().hgetall(ReadModelKeys.WATERMARK)).position() != position) {
            // Its last apply failed after all or in part (a timeout, say): let the supervisor sort that out first.
            log.warn("The served read models are not where their engine stopped; streaming resumes and the switch waits");
            engine.close();
            served.resume();
            return null;
        }
        return new Handover(engine, building, position, started);
    }

    /**
     * Waits, renewing the lease every second, for the new generation to reach the parked serving
     * engine's last transaction; gives up after 30 s, when the
     * engine stops, or when {@code running} turns false.
     *
     * @return false when the lease was lost meanwhile
     */
    boolean awaitCatchUp(Handover handover, BooleanSupplier running) {
        Instant deadline = clock.instant().plus(HANDOVER_TIMEOUT);
        Instant renewed = clock.instant();
        Engine building = handover.building();
        while (building.position() < handover.position() && building.isRunning() && running.getAsBoolean()
                && clock.instant().isBefore(deadline)) {
            if (Duration.between(renewed, clock.instant()).toMillis() >= 1000) {
                if (!lease.renew()) {
                    return false;
                }
                renewed = clock.instant();
            }
            sleep(Duration.ofMillis(5));
        }
        return true;
    }

    /**
     * Swaps the generations if the new one reached the served one's position; otherwise streaming
     * resumes on the served generation and the rebuild goes on.
     */
    void complete(Handover handover, boolean leaseKept) {
        if (!leaseKept) {
            lostLease();
            return;
        }
        Engine engine = handover.serving();
        Engine building = handover.building();
        long position = handover.position();
        if (building.position() != position) {
            log.warn("The new read models are at position {}, not {}; streaming resumes on the served ones and the rebuild goes on",
                    building.position(), position);
            engine.close();
            served.resume();
            return;
        }
        building.park();
        engine.close();
        if (!renewLease()) {
            return;
        }
        building.close();
        next = null;
        if (!renewLease()) {
            return;
        }
        try {
            spare.swapWithServed();
        }
        catch (RuntimeException e) {
            if (!renewLease()) {
                return;
            }
            log.error("Cannot switch to the rebuilt read models; the request is dropped and the served ones stay: {}",
                    e.getMessage(), e);
            spare.dropRequest();
            served.resume();
            return;
        }
        SnapshotProgress progress = building.snapshot();
        served.resume();
        log.info("Switched to the rebuilt read models at position {} in {} ms{}", position,
                Duration.between(handover.started(), clock.instant()).toMillis(),
                progress == null ? "" : " (" + progress.rowsDone() + " rows snapshotted)");
    }

    /** Renews the lease during a switch; when it is lost, stops everything and stands by. */
    private boolean renewLease() {
        if (lease.renew()) {
            return true;
        }
        lostLease();
        return false;
    }

    private void lostLease() {
        log.warn("Projector {} lost its lease while switching to the rebuilt read models; standing by", lease.owner());
        served.standBy();
    }

    /** Stops building the next generation, if one is being built, and removes what it built. */
    void abandon(String reason) {
        Engine building = next;
        if (building == null) {
            return;
        }
        log.warn("Rebuild abandoned ({}); the served read models stay as they are", reason);
        building.close();
        next = null;
        spare.clear(building.slotName());
    }

    /** Stops the engine building the next generation, if any, leaving what it built for a later start to clear. */
    void stop() {
        Engine building = next;
        if (building != null) {
            building.close();
            next = null;
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }
}
