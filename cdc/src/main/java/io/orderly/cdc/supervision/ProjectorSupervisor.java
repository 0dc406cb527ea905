package io.orderly.cdc.supervision;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.lettuce.core.RedisClient;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.orderly.cdc.ProjectorSettings;
import io.orderly.cdc.apply.ApplyObserver;
import io.orderly.cdc.apply.Projection;
import io.orderly.cdc.pipeline.ChangeSourceFactory;
import io.orderly.cdc.readmodel.ProjectorStatus.State;
import io.orderly.cdc.readmodel.ReadModelKeys;
import io.orderly.cdc.readmodel.SnapshotProgress;
import io.orderly.cdc.readmodel.Watermark;
import io.orderly.cdc.source.ReplicationSlots;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The projector: keeps the Redis read models in step with PostgreSQL through an {@link Engine}: a
 * change source of the kind it is given, streaming the committed changes of a replication slot.
 *
 * <p>Several projector processes may run; the one holding the {@link ProjectorLease} streams, the
 * others stand by and take over within seconds of its death. Before streaming, a projector checks
 * that the read models and the replication slot still describe the same history
 * ({@link ServedHistory}); when they do not, or when Redis loses its data while it streams, it
 * builds everything in place from a fresh snapshot. An operator's rebuild keeps serving instead
 * and switches generations at the end ({@link GenerationSwitch}).
 */
public final class ProjectorSupervisor implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ProjectorSupervisor.class);

    private final ProjectorSettings settings;
    private final RedisClient redisClient;
    private final ReplicationSlots slots;
    private final ChangeSourceFactory sources;
    private final List<Projection> projections;
    private final Clock clock;
    private final ApplyObserver observer;
    private final String owner;
    private final Engine.Listener listener = new EngineListener();

    private volatile boolean running;
    private volatile State state = State.STOPPED;
    private volatile @Nullable String failure;
    /** Set when the read models must be rebuilt in place (Redis lost them under the running engine). */
    private volatile boolean rebuildInPlace;
    /** Whether this process holds the lease and so speaks for the projector in the status hash. */
    private volatile boolean leading;
    /** The engine applying to the served read models. */
    private volatile @Nullable Engine serving;
    private @Nullable ScheduledExecutorService supervisor;
    /** What a start opens, and the stop after it closes. */
    private volatile @Nullable Running started;

    /** What the projector holds from a start to the next stop. */
    private record Running(RedisConnections connections, ProjectorLease lease, StatusPublisher status, EngineFactory engines,
            ServedHistory history, GenerationSwitch rebuild) {
    }

    /**
     * @param dataSource the write store, for what the projector asks about its replication slots
     * @param sources where the engines read changes from
     */
    public ProjectorSupervisor(ProjectorSettings settings, RedisClient redisClient, DataSource dataSource, ChangeSourceFactory sources,
            List<Projection> projections, Clock clock, ApplyObserver observer) {
        this.settings = settings;
        this.slots = new ReplicationSlots(dataSource);
        this.sources = sources;
        this.observer = observer;
        this.redisClient = redisClient;
        this.projections = List.copyOf(projections);
        this.clock = clock;
        this.owner = ProcessHandle.current().pid() + "@" + hostName() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * Starts supervising: this process streams as soon as it holds the lease (at once when no other
     * projector runs), and otherwise stands by, checking every second.
     */
    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        RedisConnections connections = new RedisConnections(settings, redisClient);
        ProjectorLease lease = new ProjectorLease(connections.status(), owner, settings.leaseDuration());
        StatusPublisher status = new StatusPublisher(connections.status(), clock);
        EngineFactory engines = new EngineFactory(settings, sources, projections, clock, connections, listener);
        GenerationSwitch rebuild = new GenerationSwitch(settings, connections, slots, engines, status, lease, clock, new Served());
        started = new Running(connections, lease, status, engines, new ServedHistory(connections, slots, lease), rebuild);
        state = State.STANDBY;
        failure = null;
        running = true;
        supervise();
        supervisor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "orderly-projector-supervisor");
            thread.setDaemon(true);
            return thread;
        });
        supervisor.scheduleWithFixedDelay(this::supervise, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public void stop() {
        ScheduledExecutorService supervising;
        synchronized (this) {
            if (!running) {
                return;
            }
            running = false;
            supervising = supervisor;
        }
        if (supervising != null) {
            supervising.shutdownNow();
            awaitTermination(supervising, "supervisor");
        }
        synchronized (this) {
            Running current = running();
            stopEngines();
            current.lease().release();
            if (state != State.FAILED) {
                state = State.STOPPED;
            }
            writeStatus();
            leading = false;
            current.connections().close();
            log.info("Projector stopped");
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * Once a second: keep the lease and the status while streaming, notice a lost lease or lost
     * read models, drive a rebuild, and take over when the lease is free. A switch of generations
     * waits for the new one to catch up without holding the lock, so that stopping need not wait.
     */
    private void supervise() {
        try {
            GenerationSwitch.Handover handover = superviseOnce();
            if (handover != null) {
                boolean leaseKept = running().rebuild().awaitCatchUp(handover, this::isRunning);
                completeHandover(handover, leaseKept);
            }
        }
        catch (RuntimeException e) {
            log.warn("Projector supervision failed, retrying in a second: {}", e.getMessage());
        }
    }

    private synchronized GenerationSwitch.@Nullable Handover superviseOnce() {
        if (!running) {
            return null;
        }
        Running current = running();
        Engine engine = serving;
        if (engine != null && engine.isRunning()) {
            if (!current.lease().renew()) {
                log.warn("Projector {} lost its lease; stopping the stream", owner);
                standBy();
                return null;
            }
            GenerationSwitch.Handover handover = null;
            if (rebuildInPlace || watermarkVanished(engine)) {
                log.warn("The read models in Redis are gone (watermark missing): rebuilding them from a fresh snapshot");
                stopEngines();
                startServing(true);
            }
            else {
                handover = current.rebuild().supervise(engine);
            }
            writeStatus();
            return handover;
        }
        if (state == State.FAILED) {
            // Loud and final for this process; another projector may take over and try (and
            // clears what a rebuild left).
            stopEngines();
            current.lease().release();
            leading = false;
        }
        else if (current.lease().renew() || current.lease().tryAcquire()) {
            log.info("Projector {} holds the lease and starts streaming", owner);
            current.rebuild().abandon("the serving engine restarts");
            startServing(rebuildInPlace);
        }
        else {
            state = State.STANDBY;
        }
        return null;
    }

    private synchronized void completeHandover(GenerationSwitch.Handover handover, boolean leaseKept) {
        if (running) {
            running().rebuild().complete(handover, leaseKept);
            writeStatus();
        }
    }

    private void startServing(boolean fresh) {
        Engine previous = serving;
        if (previous != null) {
            // Stopped by itself (Redis unavailable, say): release its thread and connection.
            previous.close();
            serving = null;
        }
        Running current = running();
        leading = true;
        rebuildInPlace = false;
        state = State.STARTING;
        failure = null;
        writeStatus();
        RedisCommands<String, String> redis = current.connections().status().sync();
        String slot = Objects.requireNonNullElse(redis.get(ReadModelKeys.SLOT), settings.slotName());
        Watermark watermark = Watermark.fromHash(redis.hgetall(ReadModelKeys.WATERMARK));
        SnapshotProgress progress = null;
        if (fresh || !current.history().matches(watermark, slot)) {
            current.history().clear();
            current.rebuild().clearLeftovers(settings.slotName());
            slots.drop(settings.slotName());
            slot = settings.slotName();
            redis.set(ReadModelKeys.SLOT, slot);
            progress = SnapshotProgress.started(clock.instant(), slots.countRows(current.engines().capturedTables()));
            current.status().snapshotProgress(progress);
            log.info("Snapshot of {} rows started on slot '{}'", progress.rowsTotal(), slot);
        }
        else {
            if (current.rebuild().building() == null) {
                // Whatever an interrupted rebuild left, or the generation a rebuild replaced, goes.
                current.rebuild().clearLeftovers(slot);
            }
            log.info("Resuming the change stream of slot '{}' after position {} (tx {})", slot, watermark.position(),
                    watermark.txId());
        }
        Engine engine = current.engines().create(slot, settings.redisDatabase(), observer, progress, null);
        serving = engine;
        engine.start();
    }

    /** Stops every engine and waits for the lease. */
    private void standBy() {
        stopEngines();
        leading = false;
        state = State.STANDBY;
    }

    private void stopEngines() {
        running().rebuild().stop();
        Engine engine = serving;
        if (engine != null) {
            engine.close();
            serving = null;
        }
    }

    private boolean watermarkVanished(Engine engine) {
        return engine.position() > 0 && running().connections().status().sync().exists(ReadModelKeys.WATERMARK) == 0;
    }

    static void awaitTermination(ExecutorService executor, String what) {
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("The {} did not stop within 30 s", what);
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The name this process holds the lease under: {@code <pid>@<host>/<random>}. */
    public String owner() {
        return owner;
    }

    /** The projector's own view of its state, also published in Redis every second. */
    public State state() {
        State current = state;
        Running resources = started;
        return current == State.STREAMING && resources != null && resources.rebuild().building() != null ? State.REBUILDING : current;
    }

    /**
     * Asks for the read models to be rebuilt from a fresh snapshot while the current ones keep
     * serving. The request is kept in Redis, so any projector process may take it: the one that
     * streams starts the rebuild within a second, and one that takes over from it starts again.
     *
     * @return whether the request was recorded (false when one is already pending or under way)
     */
    public boolean requestRebuild() {
        boolean recorded = "OK".equals(running().connections().status().sync().set(ReadModelKeys.REBUILD_REQUEST,
                clock.instant().toString(), SetArgs.Builder.nx()));
        if (recorded) {
            log.warn("Rebuild of the read models requested by an operator");
        }
        return recorded;
    }

    private void fail(Throwable error) {
        if (!running) {
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
        Running current = started;
        if (!leading || current == null) {
            return;
        }
        State published = state();
        String detail = failure;
        Engine building = current.rebuild().building();
        if (published == State.REBUILDING && building != null) {
            detail = "building the next generation on slot '" + building.slotName() + "': " + building.state();
        }
        current.status().status(published, detail);
    }

    private Running running() {
        Running current = started;
        if (current == null) {
            throw new IllegalStateException("projector not started");
        }
        return current;
    }

    /** What the switch of generations needs of the served one. */
    private final class Served implements GenerationSwitch.Served {

        @Override
        public void resume() {
            startServing(false);
        }

        @Override
        public void standBy() {
            ProjectorSupervisor.this.standBy();
        }

        @Override
        public long position() {
            Engine engine = serving;
            return engine == null ? 0 : engine.position();
        }
    }

    /** What the engines report, on their own threads. */
    private final class EngineListener implements Engine.Listener {

        @Override
        public void stateChanged(Engine engine, State changed) {
            if (engine == serving) {
                state = changed;
                writeStatus();
            }
            else {
                log.info("Rebuild on slot '{}': {}", engine.slotName(), changed);
            }
        }

        @Override
        public void snapshotProgressed(Engine engine, SnapshotProgress progress) {
            Running current = started;
            if (current != null) {
                current.status().snapshotProgress(progress);
            }
        }

        @Override
        public void failed(Engine engine, Throwable error) {
            if (engine == serving) {
                fail(error);
            }
            else {
                running().rebuild().failed(engine, error);
            }
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        }
        catch (UnknownHostException e) {
            return "unknown-host";
        }
    }
}
