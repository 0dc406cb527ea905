package io.orderly.cdc.supervision;

import java.time.Clock;
import java.util.List;
import java.util.function.BooleanSupplier;

import io.lettuce.core.RedisClient;
import io.orderly.cdc.ProjectorSettings;
import io.orderly.cdc.apply.ApplyObserver;
import io.orderly.cdc.apply.Projection;
import io.orderly.cdc.pipeline.ChangeSourceFactory;
import io.orderly.cdc.readmodel.ProjectorStatus.State;
import io.orderly.cdc.readmodel.SnapshotProgress;
import io.orderly.cdc.source.ReplicationSlots;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the projector, from a start to the next stop: the connections, lease and engines it
 * holds, the decision it takes once a second, and what it makes of the engines' reports. The
 * supervisor calls it from its own thread; the engines report on theirs.
 */
final class Supervision {

    private static final Logger log = LoggerFactory.getLogger(Supervision.class);

    private final BooleanSupplier running;
    private final RedisConnections connections;
    private final ProjectorLease lease;
    private final StatusPublisher status;
    private final SpareGeneration spare;
    private final ServingEngine serving;
    private final GenerationSwitch rebuild;

    private volatile State state = State.STANDBY;
    private volatile @Nullable String failure;
    /** Set when the read models must be rebuilt in place (Redis lost them under the running engine). */
    private volatile boolean rebuildInPlace;
    /** Whether this process holds the lease and so speaks for the projector in the status hash. */
    private volatile boolean leading;
    /** Whether Redis took the status that says why the projector failed; it may refuse it for the reason it failed. */
    private volatile boolean failurePublished;

    /**
     * @param running whether the supervisor still runs: once it stops, what the engines report is the stop's own doing
     * @param rebuildInPlace carried over from the run before, which may have stopped before it rebuilt
     */
    Supervision(ProjectorSettings settings, RedisClient redisClient, ReplicationSlots slots, ChangeSourceFactory sources,
            List<Projection> projections, Clock clock, ApplyObserver observer, String owner, BooleanSupplier running,
            boolean rebuildInPlace) {
        this.running = running;
        this.rebuildInPlace = rebuildInPlace;
        this.connections = new RedisConnections(settings, redisClient);
        this.lease = new ProjectorLease(connections.status(), owner, settings.leaseDuration());
        this.status = new StatusPublisher(connections.status(), clock);
        EngineFactory engines = new EngineFactory(settings, sources, projections, clock, connections, new EngineListener());
        boolean ownSlots = sources.ownsReplicationSlots();
        this.spare = new SpareGeneration(settings, connections, slots, ownSlots, lease, clock);
        this.serving = new ServingEngine(settings, connections, slots, ownSlots,
                new ServedHistory(connections, slots, ownSlots, lease), spare, status, engines, observer, clock);
        this.rebuild = new GenerationSwitch(settings, connections, slots, spare, engines, status, lease, clock, new Served());
    }

    /**
     * Keeps the lease and the status while streaming, notices a lost lease or lost read models,
     * drives a rebuild, and takes over when the lease is free. A switch of generations waits for
     * the new one to catch up without holding the lock, so that stopping need not wait.
     */
    void supervise() {
        GenerationSwitch.Handover handover = superviseOnce();
        if (handover != null) {
            boolean leaseKept = rebuild.awaitCatchUp(handover, running);
            completeHandover(handover, leaseKept);
        }
    }

    private synchronized GenerationSwitch.@Nullable Handover superviseOnce() {
        if (!running.getAsBoolean()) {
            return null;
        }
        Engine engine = serving.engine();
        if (engine != null && engine.isRunning()) {
            if (!lease.renew()) {
                log.warn("Projector {} lost its lease; stopping the stream", lease.owner());
                standBy();
                return null;
            }
            GenerationSwitch.Handover handover = null;
            if (rebuildInPlace || serving.watermarkVanished(engine)) {
                log.warn("The read models in Redis are gone (watermark missing): rebuilding them from a fresh snapshot");
                stopEngines();
                startServing(true);
            }
            else {
                handover = rebuild.supervise(engine);
            }
            writeStatus();
            return handover;
        }
        if (state == State.FAILED) {
            // Loud and final for this process; another projector may take over and try (and
            // clears what a rebuild left).
            stopEngines();
            lease.release();
            leading = false;
            if (!failurePublished) {
                // Redis refused the failed status too (out of memory, say): publish it once Redis takes writes again.
                failurePublished = status.status(State.FAILED, failure);
            }
        }
        else if (lease.renew() || lease.tryAcquire()) {
            log.info("Projector {} holds the lease and starts streaming", lease.owner());
            rebuild.abandon("the serving engine restarts");
            startServing(rebuildInPlace);
        }
        else {
            state = State.STANDBY;
        }
        return null;
    }

    private synchronized void completeHandover(GenerationSwitch.Handover handover, boolean leaseKept) {
        if (running.getAsBoolean()) {
            rebuild.complete(handover, leaseKept);
            writeStatus();
        }
    }

    /** Stops every engine, gives the lease up, publishes the final state and closes the connections. */
    synchronized void stop() {
        stopEngines();
        lease.release();
        if (state != State.FAILED) {
            state = State.STOPPED;
        }
        writeStatus();
        leading = false;
        connections.close();
    }

    /** The projector's own view of its state. */
    State state() {
        State current = state;
        return current == State.STREAMING && rebuild.building() != null ? State.REBUILDING : current;
    }

    boolean rebuildInPlace() {
        return rebuildInPlace;
    }

    /** Records an operator's request for a rebuild: see {@link SpareGeneration#request()}. */
    boolean requestRebuild() {
        return spare.request();
    }

    private void startServing(boolean fresh) {
        leading = true;
        rebuildInPlace = false;
        state = State.STARTING;
        failure = null;
        writeStatus();
        serving.start(fresh, rebuild.building() != null);
    }

    /** Stops every engine and waits for the lease. */
    private void standBy() {
        stopEngines();
        leading = false;
        state = State.STANDBY;
    }

    private void stopEngines() {
        rebuild.stop();
        serving.stop();
    }

    private void fail(Throwable error) {
        if (!running.getAsBoolean()) {
            // Stopping interrupts the engine mid-batch; the interrupted batch is replayed next time.
            log.debug("Engine stopped while applying: {}", error.getMessage());
            return;
        }
        if (rebuildInPlace) {
            return;
        }
        switch (EngineFailure.of(error)) {
            // Redis lost its data under the running engine: the supervisor rebuilds.
            case READ_MODELS_LOST -> rebuildInPlace = true;
            // Nothing is wrong with the data: the supervisor restarts the engine, which resumes
            // from the stored offsets once Redis answers again.
            case REDIS_UNAVAILABLE -> log.warn("Redis is unavailable ({}); the projector restarts when it answers again",
                    error.getMessage());
            case SOURCE_UNAVAILABLE -> log.warn("The change source's servers do not answer ({}); the projector restarts when they do",
                    error.getMessage());
            case FATAL -> {
                state = State.FAILED;
                failure = error.getMessage();
                log.error("Projector failed: {}", failure, error);
                writeStatus();
            }
        }
    }

    /** Publishes the state, when this process speaks for the projector. */
    private void writeStatus() {
        if (!leading) {
            return;
        }
        State published = state();
        String detail = failure;
        Engine building = rebuild.building();
        if (published == State.REBUILDING && building != null) {
            detail = "building the next generation on slot '" + building.slotName() + "': " + building.state();
        }
        boolean written = status.status(published, detail);
        if (published == State.FAILED) {
            failurePublished = written;
        }
    }

    /** What the switch of generations needs of the served one. */
    private final class Served implements GenerationSwitch.Served {

        @Override
        public void resume() {
            startServing(false);
        }

        @Override
        public void standBy() {
            Supervision.this.standBy();
        }

        @Override
        public long position() {
            return serving.position();
        }
    }

    /** What the engines report, on their own threads. */
    private final class EngineListener implements Engine.Listener {

        @Override
        public void stateChanged(Engine engine, State changed) {
            if (engine == serving.engine()) {
                state = changed;
                writeStatus();
            }
            else {
                log.info("Rebuild on slot '{}': {}", engine.slotName(), changed);
            }
        }

        @Override
        public void snapshotProgressed(Engine engine, SnapshotProgress progress) {
            status.snapshotProgress(progress);
        }

        @Override
        public void failed(Engine engine, Throwable error) {
            if (engine == serving.engine()) {
                fail(error);
            }
            else {
                rebuild.failed(engine, error);
            }
        }
    }
}
