package io.orderly.cdc;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.sql.DataSource;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.FlushMode;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.orderly.cdc.readmodel.ProjectorStatus.State;
import io.orderly.cdc.readmodel.ReadModelKeys;
import io.orderly.cdc.readmodel.Lsn;
import io.orderly.cdc.readmodel.SnapshotProgress;
import io.orderly.cdc.readmodel.Watermark;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The projector: keeps the Redis read models in step with PostgreSQL through a
 * {@link ProjectorEngine} that streams the committed changes of a replication slot.
 *
 * <p>Several projector processes may run; the one holding the {@link ProjectorLease} streams, the
 * others stand by and take over within seconds of its death. Before streaming, a projector checks
 * that the read models and the replication slot still describe the same history. If Redis has no
 * watermark (first start, lost data, interrupted snapshot), the slot is gone, or the slot has
 * confirmed more than Redis recorded (Redis restored from an older backup), there is nothing
 * worth serving: it clears the read models, drops the slot and builds everything in place from a
 * fresh snapshot. It does the same when Redis loses its data while it streams.
 *
 * <p>An operator's rebuild keeps serving instead: a second engine, on a second slot, builds the
 * next generation in a spare Redis database from a snapshot plus the stream, never passing the
 * served generation. Once it has caught up, the serving engine stops, the new one reaches exactly
 * the same transaction, and one MULTI/EXEC swaps the two databases (SWAPDB), keeping the change feed
 * and the other {@link ReadModelKeys#KEPT_ACROSS_GENERATIONS} where they were. Streaming resumes on
 * the new slot and the old generation and slot are dropped.
 */
public final class DebeziumProjector implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DebeziumProjector.class);

    /** How long the new generation may take to reach the stopped serving engine's last transaction. */
    private static final Duration HANDOVER_TIMEOUT = Duration.ofSeconds(30);

    private final ProjectorSettings settings;
    private final RedisClient redisClient;
    private final ReplicationSlots slots;
    private final List<Projection> projections;
    private final Clock clock;
    private final ApplyObserver observer;
    private final String owner;
    private final ProjectorEngine.Listener listener = new EngineListener();

    private volatile boolean running;
    private volatile State state = State.STOPPED;
    private volatile @Nullable String failure;
    /** Set when the read models must be rebuilt in place (Redis lost them under the running engine). */
    private volatile boolean rebuildInPlace;
    /** Why the engine building the next generation stopped, when it did. */
    private volatile @Nullable String rebuildFailure;
    /** Whether this process holds the lease and so speaks for the projector in the status hash. */
    private volatile boolean leading;
    /** The engine applying to the served read models. */
    private volatile @Nullable ProjectorEngine serving;
    /** The engine building the next generation, during an operator's rebuild. */
    private volatile @Nullable ProjectorEngine next;
    private @Nullable ScheduledExecutorService supervisor;
    /**
     * Opens the engines' connections, without automatic reconnection: a reconnected connection
     * would send again, outside MULTI, what was in flight. An engine whose connection drops fails
     * instead, and the supervisor starts a new one, which resumes from the watermark.
     */
    private @Nullable RedisClient engineClient;
    /** The served database: lease, status, progress; shared by the supervisor and the engines, never in MULTI. */
    private @Nullable StatefulRedisConnection<String, String> statusConnection;
    /** The spare database a rebuild builds in; opened on first use, as a Redis with one database has none. */
    private @Nullable StatefulRedisConnection<String, String> spareConnection;
    private @Nullable ProjectorLease lease;
    private @Nullable StatusPublisher status;

    /** @param dataSource the write store, for what the projector asks about its replication slots */
    public DebeziumProjector(ProjectorSettings settings, RedisClient redisClient, DataSource dataSource, List<Projection> projections,
            Clock clock, ApplyObserver observer) {
        this.settings = settings;
        this.slots = new ReplicationSlots(dataSource);
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
        statusConnection = redisClient.connect();
        RedisURI engineUri = RedisURI.create(settings.redisUri(settings.redisDatabase()));
        engineUri.setTimeout(statusConnection.getTimeout());
        engineClient = RedisClient.create(engineUri);
        engineClient.setOptions(ClientOptions.builder().autoReconnect(false).build());
        lease = new ProjectorLease(statusConnection, owner, settings.leaseDuration());
        status = new StatusPublisher(statusConnection, clock);
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
            stopEngines();
            if (lease != null) {
                lease.release();
            }
            if (state != State.FAILED) {
                state = State.STOPPED;
            }
            writeStatus();
            leading = false;
            closeQuietly(spareConnection);
            spareConnection = null;
            closeQuietly(statusConnection);
            if (engineClient != null) {
                engineClient.shutdown();
                engineClient = null;
            }
            log.info("Projector stopped");
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * Once a second: keep the lease and the status while streaming, notice a lost lease or lost
     * read models, drive a rebuild, and take over when the lease is free.
     */
    private synchronized void supervise() {
        if (!running) {
            return;
        }
        try {
            ProjectorLease held = lease();
            ProjectorEngine engine = serving;
            if (engine != null && engine.isRunning()) {
                if (!held.renew()) {
                    log.warn("Projector {} lost its lease; stopping the stream", owner);
                    stopEngines();
                    leading = false;
                    state = State.STANDBY;
                    return;
                }
                if (rebuildInPlace || watermarkVanished(engine)) {
                    log.warn("The read models in Redis are gone (watermark missing): rebuilding them from a fresh snapshot");
                    stopEngines();
                    startServing(true);
                }
                else {
                    superviseRebuild(engine);
                }
                writeStatus();
            }
            else if (state == State.FAILED) {
                // Loud and final for this process; another projector may take over and try (and
                // clears what a rebuild left).
                stopEngines();
                held.release();
                leading = false;
            }
            else if (held.renew() || held.tryAcquire()) {
                log.info("Projector {} holds the lease and starts streaming", owner);
                abandonRebuild("the serving engine restarts");
                startServing(rebuildInPlace);
            }
            else {
                state = State.STANDBY;
            }
        }
        catch (RuntimeException e) {
            log.warn("Projector supervision failed, retrying in a second: {}", e.getMessage());
        }
    }

    private void startServing(boolean fresh) {
        ProjectorEngine previous = serving;
        if (previous != null) {
            // Stopped by itself (Redis unavailable, say): release its thread and connection.
            previous.close();
            serving = null;
        }
        leading = true;
        rebuildInPlace = false;
        state = State.STARTING;
        failure = null;
        writeStatus();
        RedisCommands<String, String> redis = statusConnection().sync();
        String slot = Objects.requireNonNullElse(redis.get(ReadModelKeys.SLOT), settings.slotName());
        Watermark watermark = Watermark.fromHash(redis.hgetall(ReadModelKeys.WATERMARK));
        SnapshotProgress progress = null;
        if (fresh || !watermark.exists() || !slots.isUsable(slot) || behindSlot(watermark, slot)) {
            prepareFreshSnapshot();
            slot = settings.slotName();
            redis.set(ReadModelKeys.SLOT, slot);
            progress = SnapshotProgress.started(clock.instant(), slots.countRows(capturedTables().toList()));
            writeSnapshotProgress(progress);
            log.info("Snapshot of {} rows started on slot '{}'", progress.rowsTotal(), slot);
        }
        else {
            if (next == null) {
                // Whatever an interrupted rebuild left, or the generation a rebuild replaced, goes.
                clearRebuildIfAny(otherSlot(slot));
            }
            log.info("Resuming the change stream of slot '{}' after position {} (tx {})", slot, watermark.position(),
                    watermark.txId());
        }
        ProjectorEngine engine = newEngine(slot, settings.redisDatabase(), observer, progress, null);
        serving = engine;
        engine.start();
    }

    /**
     * Starts a requested rebuild once the served read models stream, notices when it fails, and
     * switches to the new generation once it has caught up.
     */
    private void superviseRebuild(ProjectorEngine engine) {
        ProjectorEngine building = next;
        if (building == null) {
            if (engine.state() == State.STREAMING && statusConnection().sync().exists(ReadModelKeys.REBUILD_REQUEST) > 0) {
                try {
                    startRebuild(engine);
                }
                catch (RuntimeException e) {
                    log.error("Cannot start the requested rebuild; the request is dropped: {}", e.getMessage(), e);
                    statusConnection().sync().del(ReadModelKeys.REBUILD_REQUEST);
                    abandonRebuild("it could not start");
                }
            }
            return;
        }
        String failed = rebuildFailure;
        if (failed != null || !building.isRunning()) {
            abandonRebuild("the engine building it stopped: " + (failed == null ? "unknown error" : failed));
            statusConnection().sync().del(ReadModelKeys.REBUILD_REQUEST);
            return;
        }
        // At or just below the served position: snapshot rows are not held at the ceiling, so the new
        // generation may start ahead, and must not take over until the served one has passed it.
        if (building.snapshotComplete() && building.position() <= engine.position()
                && (building.waitingAtCeiling() || building.position() == engine.position())) {
            handOver(engine, building);
        }
    }

    private void startRebuild(ProjectorEngine engine) {
        String slot = otherSlot(engine.slotName());
        clearRebuild(slot);
        spareConnection().sync().set(ReadModelKeys.SLOT, slot);
        SnapshotProgress progress = SnapshotProgress.started(clock.instant(), slots.countRows(capturedTables().toList()));
        writeSnapshotProgress(progress);
        log.info("Rebuilding the read models beside the served ones: {} rows from a snapshot on slot '{}' into Redis database {}",
                progress.rowsTotal(), slot, settings.rebuildDatabase());
        rebuildFailure = null;
        ProjectorEngine building = newEngine(slot, settings.rebuildDatabase(), ApplyObserver.NONE, progress, this::servingPosition);
        next = building;
        building.start();
    }

    /**
     * An engine reading {@code slot} into Redis database {@code database}, on a connection of its
     * own; the served database's engine announces what it applies, a rebuild's does not. Started by
     * the caller once it is known as serving or rebuilding, which its reports are told apart by.
     */
    private ProjectorEngine newEngine(String slot, int database, ApplyObserver observing, @Nullable SnapshotProgress progress,
            @Nullable LongSupplier ceiling) {
        StatefulRedisConnection<String, String> connection = engineConnection(database);
        try {
            TransactionApplier applier = new TransactionApplier(connection, projections, clock, settings.feedRetention(),
                    database == settings.redisDatabase());
            return new ProjectorEngine(slot, EngineConfiguration.forSlot(settings, slot, database, capturedTables().toList()),
                    connection, applier, clock, observing, listener, progress, ceiling);
        }
        catch (RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** How far the new generation may go: as far as the served one, and no further. */
    private long servingPosition() {
        ProjectorEngine engine = serving;
        return engine == null ? 0 : engine.position();
    }

    /**
     * Stops the serving engine, lets the new generation reach exactly its last transaction, and
     * swaps the generations. If the new one does not get there, streaming resumes on the served
     * generation and the rebuild goes on.
     */
    private void handOver(ProjectorEngine engine, ProjectorEngine building) {
        log.info("The new read models caught up with the served ones at position {}; switching", engine.position());
        Instant started = clock.instant();
        engine.park();
        long position = engine.position();
        if (Watermark.fromHash(statusConnection().sync().hgetall(ReadModelKeys.WATERMARK)).position() != position) {
            // Its last apply failed after all or in part (a timeout, say): let the supervisor sort that out first.
            log.warn("The served read models are not where their engine stopped; streaming resumes and the switch waits");
            engine.close();
            startServing(false);
            return;
        }
        Instant deadline = clock.instant().plus(HANDOVER_TIMEOUT);
        Instant renewed = clock.instant();
        while (building.position() < position && building.isRunning() && clock.instant().isBefore(deadline)) {
            if (Duration.between(renewed, clock.instant()).toMillis() >= 1000) {
                if (!renewLease()) {
                    return;
                }
                renewed = clock.instant();
            }
            sleep(Duration.ofMillis(5));
        }
        if (building.position() != position) {
            log.warn("The new read models are at position {}, not {}; streaming resumes on the served ones and the rebuild goes on",
                    building.position(), position);
            engine.close();
            startServing(false);
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
            swapGenerations();
        }
        catch (RuntimeException e) {
            if (!renewLease()) {
                return;
            }
            log.error("Cannot switch to the rebuilt read models; the request is dropped and the served ones stay: {}",
                    e.getMessage(), e);
            statusConnection().sync().del(ReadModelKeys.REBUILD_REQUEST);
            startServing(false);
            return;
        }
        SnapshotProgress progress = building.snapshot();
        startServing(false);
        log.info("Switched to the rebuilt read models at position {} in {} ms{}", position,
                Duration.between(started, clock.instant()).toMillis(),
                progress == null ? "" : " (" + progress.rowsDone() + " rows snapshotted)");
    }

    /** Renews the lease during a switch; when it is lost, stops everything and stands by. */
    private boolean renewLease() {
        if (lease().renew()) {
            return true;
        }
        log.warn("Projector {} lost its lease while switching to the rebuilt read models; standing by", owner);
        stopEngines();
        leading = false;
        state = State.STANDBY;
        return false;
    }

    /**
     * One MULTI/EXEC, fenced by the lease: the keys of the running system move into the rebuilt
     * database, which then becomes the served one. Every reader sees the old generation before and
     * the new one after, nothing in between.
     */
    private void swapGenerations() {
        // A connection of its own: the stopped engine's may have been interrupted mid-command.
        try (StatefulRedisConnection<String, String> connection = redisClient.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            RedisCommands<String, String> spare = spareConnection().sync();
            String[] kept = ReadModelKeys.KEPT_ACROSS_GENERATIONS.toArray(String[]::new);
            if (spare.exists(kept) > 0) {
                // MOVE would leave such a key behind, with the old generation.
                throw new IllegalStateException("The spare database " + settings.rebuildDatabase() + " holds keys of the running system");
            }
            redis.watch(ReadModelKeys.PROJECTOR_LEASE);
            if (!owner.equals(redis.get(ReadModelKeys.PROJECTOR_LEASE))) {
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

    /** Stops building the next generation, if one is being built, and removes what it built. */
    private void abandonRebuild(String reason) {
        ProjectorEngine building = next;
        if (building == null) {
            return;
        }
        log.warn("Rebuild abandoned ({}); the served read models stay as they are", reason);
        building.close();
        next = null;
        clearRebuild(building.slotName());
    }

    /** Empties the spare database and drops the rebuild's slot. */
    private void clearRebuild(String slot) {
        spareConnection().sync().flushdb(FlushMode.ASYNC);
        slots.drop(slot);
    }

    /** Clears what a rebuild left, if it got as far as creating its slot. */
    private void clearRebuildIfAny(String slot) {
        if (slots.isPresent(slot)) {
            clearRebuild(slot);
        }
    }

    /** The slot a rebuild uses: the configured one and one with a {@code _b} suffix take turns. */
    private String otherSlot(String slot) {
        return slot.equals(settings.slotName()) ? settings.slotName() + "_b" : settings.slotName();
    }

    private void stopEngines() {
        ProjectorEngine building = next;
        if (building != null) {
            building.close();
            next = null;
        }
        ProjectorEngine engine = serving;
        if (engine != null) {
            engine.close();
            serving = null;
        }
    }

    private boolean watermarkVanished(ProjectorEngine engine) {
        return engine.position() > 0 && statusConnection().sync().exists(ReadModelKeys.WATERMARK) == 0;
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

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    /** The name this process holds the lease under: {@code <pid>@<host>/<random>}. */
    public String owner() {
        return owner;
    }

    /** The projector's own view of its state, also published in Redis every second. */
    public State state() {
        State current = state;
        return current == State.STREAMING && next != null ? State.REBUILDING : current;
    }

    /**
     * Asks for the read models to be rebuilt from a fresh snapshot while the current ones keep
     * serving. The request is kept in Redis, so any projector process may take it: the one that
     * streams starts the rebuild within a second, and one that takes over from it starts again.
     *
     * @return whether the request was recorded (false when one is already pending or under way)
     */
    public boolean requestRebuild() {
        boolean recorded = "OK".equals(statusConnection().sync().set(ReadModelKeys.REBUILD_REQUEST, clock.instant().toString(),
                SetArgs.Builder.nx()));
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

    /** What the engines report, on their own threads. */
    private final class EngineListener implements ProjectorEngine.Listener {

        @Override
        public void stateChanged(ProjectorEngine engine, State changed) {
            if (engine == serving) {
                state = changed;
                writeStatus();
            }
            else {
                log.info("Rebuild on slot '{}': {}", engine.slotName(), changed);
            }
        }

        @Override
        public void snapshotProgressed(ProjectorEngine engine, SnapshotProgress progress) {
            writeSnapshotProgress(progress);
        }

        @Override
        public void failed(ProjectorEngine engine, Throwable error) {
            if (engine == serving) {
                fail(error);
            }
            else {
                log.error("The rebuild on slot '{}' failed: {}", engine.slotName(), error.getMessage(), error);
                rebuildFailure = String.valueOf(error.getMessage());
            }
        }
    }

    private void writeSnapshotProgress(SnapshotProgress progress) {
        StatusPublisher publisher = status;
        if (publisher != null) {
            publisher.snapshotProgress(progress);
        }
    }

    /** Publishes the state, when this process speaks for the projector. */
    private void writeStatus() {
        StatusPublisher publisher = status;
        if (!leading || publisher == null) {
            return;
        }
        State published = state();
        String detail = failure;
        ProjectorEngine building = next;
        if (published == State.REBUILDING && building != null) {
            detail = "building the next generation on slot '" + building.slotName() + "': " + building.state();
        }
        publisher.status(published, detail);
    }

    /** Clears the served database's read models and drops every slot the projector uses. */
    private void prepareFreshSnapshot() {
        log.info("No consistent read models in Redis: rebuilding them in place from a fresh snapshot");
        RedisCommands<String, String> redis = statusConnection().sync();
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
            if (!lease().renew()) {
                throw new IllegalStateException("Lost the projector lease while clearing the read models");
            }
            cursor = page;
        } while (!cursor.isFinished());
        clearRebuildIfAny(otherSlot(settings.slotName()));
        slots.drop(settings.slotName());
    }

    private ProjectorLease lease() {
        if (lease == null) {
            throw new IllegalStateException("projector not started");
        }
        return lease;
    }

    private StatefulRedisConnection<String, String> statusConnection() {
        if (statusConnection == null) {
            throw new IllegalStateException("projector not started");
        }
        return statusConnection;
    }

    private StatefulRedisConnection<String, String> engineConnection(int database) {
        if (engineClient == null) {
            throw new IllegalStateException("projector not started");
        }
        StatefulRedisConnection<String, String> connection = engineClient.connect();
        return database == settings.redisDatabase() ? connection : inSpareDatabase(connection);
    }

    private StatefulRedisConnection<String, String> spareConnection() {
        if (spareConnection == null) {
            spareConnection = inSpareDatabase(redisClient.connect());
        }
        return spareConnection;
    }

    /** Selects the spare database on the connection, or closes it and says why a rebuild cannot run. */
    private StatefulRedisConnection<String, String> inSpareDatabase(StatefulRedisConnection<String, String> connection) {
        try {
            connection.sync().select(settings.rebuildDatabase());
            return connection;
        }
        catch (RuntimeException e) {
            connection.close();
            throw new IllegalStateException("Redis refuses database " + settings.rebuildDatabase()
                    + " (orderly.projector.rebuild-database), which a rebuild needs: " + e.getMessage(), e);
        }
    }

    /**
     * Whether the slot has confirmed more of the stream than Redis recorded having applied: Redis lost
     * what it had applied since (restored from an older backup, say), and PostgreSQL no longer has
     * those changes to send again.
     */
    private boolean behindSlot(Watermark watermark, String slot) {
        // The watermark is written with the read models; the offsets a little later, and their last
        // write may fail while the engine stops, after Debezium confirmed it to the slot anyway.
        long stored = Math.max(watermark.position(), RedisOffsetBackingStore.furthestPosition(statusConnection().sync()));
        long confirmed = slots.confirmedPosition(slot);
        if (stored < confirmed) {
            log.warn("The read models in Redis stop at position {} but slot '{}' has confirmed up to {}: Redis lost changes "
                    + "(restored from an older backup?)", Lsn.format(stored), slot, Lsn.format(confirmed));
            return true;
        }
        return false;
    }

    /** Every table the engine reads: those the projections follow, and the heartbeat's. */
    private Stream<String> capturedTables() {
        return Stream.concat(projections.stream().flatMap(projection -> projection.tables().stream()),
                Stream.of(EngineConfiguration.HEARTBEAT_TABLE)).distinct();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        }
        catch (UnknownHostException e) {
            return "unknown-host";
        }
    }

    private static void closeQuietly(@Nullable StatefulRedisConnection<String, String> connection) {
        if (connection != null && connection.isOpen()) {
            connection.close();
        }
    }
}
