package io.orderly.cdc;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.orderly.cdc.readmodel.ProjectorStatus;
import io.orderly.cdc.readmodel.ProjectorStatus.State;
import io.orderly.cdc.readmodel.ReadModelKeys;
import io.orderly.cdc.readmodel.SnapshotProgress;
import org.apache.kafka.connect.source.SourceRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The projector: runs the Debezium embedded engine on one thread, groups its records into source
 * transactions and applies each to the Redis read models. Offsets are marked only after the
 * transaction they belong to is in Redis, so a crash replays rather than loses; the watermark
 * makes the replay harmless.
 *
 * <p>Several projector processes may run; the one holding the {@link ProjectorLease} streams, the
 * others stand by and take over within seconds of its death. Before streaming, a projector checks
 * that the read models and the replication slot still describe the same history. If Redis has no
 * watermark (first start, lost data, interrupted snapshot) or the slot is gone, it clears the read
 * models, drops the slot and builds everything from a fresh snapshot; it does the same when Redis
 * loses its data while it streams.
 */
public final class DebeziumProjector implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DebeziumProjector.class);

    /** The most transactions applied in one MULTI/EXEC. */
    static final int MAX_GROUP = 200;

    /** Written by the engine's heartbeat so that the stream, and the watermark, move while the tables are idle. */
    static final String HEARTBEAT_TABLE = "projector_heartbeat";

    private final ProjectorSettings settings;
    private final RedisClient redisClient;
    private final List<Projection> projections;
    private final Clock clock;

    private final ApplyObserver observer;
    private final String owner;
    private volatile boolean running;
    private volatile State state = State.STOPPED;
    private volatile @Nullable String failure;
    private volatile boolean rebuildRequested;
    private volatile int engineGeneration;
    private volatile @Nullable SnapshotProgress snapshot;
    private Instant lastProgressLog = Instant.EPOCH;
    /** Whether this process holds the lease and so speaks for the projector in the status hash. */
    private volatile boolean leading;
    private @Nullable DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private @Nullable ExecutorService engineThread;
    private @Nullable Future<?> engineRun;
    private @Nullable ScheduledExecutorService supervisor;
    private @Nullable StatefulRedisConnection<String, String> applyConnection;
    private @Nullable StatefulRedisConnection<String, String> statusConnection;
    private @Nullable ProjectorLease lease;
    private @Nullable TransactionApplier applier;
    private TransactionAssembler assembler = new TransactionAssembler();
    /** Records of the transaction being assembled. */
    private final List<RecordChangeEvent<SourceRecord>> unmarked = new ArrayList<>();
    /** Transactions complete but not yet applied, and the records up to their ends. */
    private final List<SourceTransaction> completedTransactions = new ArrayList<>();
    private final List<RecordChangeEvent<SourceRecord>> completedRecords = new ArrayList<>();

    public DebeziumProjector(ProjectorSettings settings, RedisClient redisClient, List<Projection> projections, Clock clock,
            ApplyObserver observer) {
        this.settings = settings;
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
        applyConnection = redisClient.connect();
        lease = new ProjectorLease(statusConnection, owner, settings.leaseDuration());
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
            stopEngine();
            if (lease != null) {
                lease.release();
            }
            if (state != State.FAILED) {
                state = State.STOPPED;
            }
            writeStatus();
            leading = false;
            closeQuietly(applyConnection);
            closeQuietly(statusConnection);
            log.info("Projector stopped");
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * Once a second: keep the lease and the status while streaming, notice a lost lease or lost
     * read models, and take over when the lease is free.
     */
    private synchronized void supervise() {
        if (!running) {
            return;
        }
        try {
            ProjectorLease held = lease();
            if (engineRunning()) {
                if (!held.renew()) {
                    log.warn("Projector {} lost its lease; stopping the stream", owner);
                    stopEngine();
                    leading = false;
                    state = State.STANDBY;
                    return;
                }
                if (rebuildRequested || watermarkVanished()) {
                    log.warn("The read models in Redis are gone (watermark missing): rebuilding them from a fresh snapshot");
                    rebuildRequested = false;
                    stopEngine();
                    startEngine(true);
                }
                writeStatus();
            }
            else if (state == State.FAILED) {
                // Loud and final for this process; another projector may take over and try.
                held.release();
                leading = false;
            }
            else if (held.renew() || held.tryAcquire()) {
                log.info("Projector {} holds the lease and starts streaming", owner);
                startEngine(rebuildRequested);
            }
            else {
                state = State.STANDBY;
            }
        }
        catch (RuntimeException e) {
            log.warn("Projector supervision failed, retrying in a second: {}", e.getMessage());
        }
    }

    private void startEngine(boolean rebuild) {
        int generation = ++engineGeneration;
        leading = true;
        rebuildRequested = false;
        state = State.STARTING;
        failure = null;
        writeStatus();
        applier = new TransactionApplier(applyConnection(), projections, clock, settings.feedRetention());
        if (rebuild || !applier.watermark().exists() || !slotExists()) {
            prepareFreshSnapshot();
            applier = new TransactionApplier(applyConnection(), projections, clock, settings.feedRetention());
            snapshot = SnapshotProgress.started(clock.instant(), countRows());
            writeSnapshotProgress();
            log.info("Snapshot of {} rows started", snapshot.rowsTotal());
        }
        else {
            log.info("Resuming the change stream after position {} (tx {})",
                    applier.watermark().position(), applier.watermark().txId());
        }
        assembler = new TransactionAssembler();
        unmarked.clear();
        completedTransactions.clear();
        completedRecords.clear();
        engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(engineProperties())
                .notifying(this::handleBatch)
                .using((success, message, error) -> engineStopped(generation, success, message, error))
                .build();
        engineThread = Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "orderly-projector"));
        engineRun = engineThread.submit(engine);
    }

    private void stopEngine() {
        try {
            if (engine != null) {
                engine.close();
            }
        }
        catch (Exception e) {
            log.warn("Error while stopping the Debezium engine", e);
        }
        if (engineThread != null) {
            engineThread.shutdown();
            awaitTermination(engineThread, "Debezium engine");
        }
        engine = null;
        engineThread = null;
        engineRun = null;
    }

    private boolean engineRunning() {
        return engineRun != null && !engineRun.isDone();
    }

    private boolean watermarkVanished() {
        return applier != null && applier.watermark().exists()
                && statusConnection().sync().exists(ReadModelKeys.WATERMARK) == 0;
    }

    private static void awaitTermination(ExecutorService executor, String what) {
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
        return state;
    }

    /**
     * Applies the transactions a batch of records completes, grouped (at most
     * {@value #MAX_GROUP} to one MULTI/EXEC), and marks their records processed once they are in
     * Redis. Records of a transaction that the batch does not finish stay unmarked until a later
     * batch completes it.
     */
    private void handleBatch(List<RecordChangeEvent<SourceRecord>> events,
            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
        try {
            for (RecordChangeEvent<SourceRecord> event : events) {
                if (assembler.hasSnapshotRows() && !TransactionAssembler.isSnapshotRow(event.record())) {
                    // The snapshot ends here: its rows go in before anything streamed after them.
                    applySnapshotChunk(committer);
                }
                unmarked.add(event);
                var completed = assembler.accept(event.record());
                if (completed.isPresent()) {
                    enter(State.STREAMING);
                    completedTransactions.add(completed.get());
                    completedRecords.addAll(unmarked);
                    unmarked.clear();
                    if (completedTransactions.size() >= MAX_GROUP) {
                        applyCompleted(committer);
                    }
                }
                else if (!assembler.inTransaction() && !assembler.hasSnapshotRows()) {
                    // Heartbeats and other records outside transactions carry offsets only.
                    if (state == State.STARTING) {
                        enter(State.STREAMING);
                    }
                    completedRecords.addAll(unmarked);
                    unmarked.clear();
                }
            }
            if (assembler.hasSnapshotRows()) {
                applySnapshotChunk(committer);
            }
            applyCompleted(committer);
            committer.markBatchFinished();
        }
        catch (RuntimeException e) {
            fail(e);
            throw e;
        }
    }

    private void applyCompleted(DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
            throws InterruptedException {
        if (!completedTransactions.isEmpty()) {
            List<SourceTransaction> group = List.copyOf(completedTransactions);
            try {
                long started = System.nanoTime();
                List<SourceTransaction> applied = applier().applyAll(group);
                long nanos = System.nanoTime() - started;
                Instant appliedAt = clock.instant();
                applied.forEach(transaction -> observer.applied(transaction, nanos / applied.size(), appliedAt));
            }
            catch (RuntimeException e) {
                SourceTransaction first = group.get(0);
                log.error("Cannot apply transactions {} to {} (positions {} to {}); the projector stops here. {}",
                        first.txId(), group.get(group.size() - 1).txId(), first.position(),
                        group.get(group.size() - 1).position(), e.getMessage(), e);
                throw e;
            }
            completedTransactions.clear();
        }
        for (RecordChangeEvent<SourceRecord> record : completedRecords) {
            committer.markProcessed(record);
        }
        completedRecords.clear();
    }

    private void applySnapshotChunk(DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
            throws InterruptedException {
        enter(State.SNAPSHOTTING);
        SourceTransaction chunk = assembler.drainSnapshotChunk().orElseThrow();
        apply(chunk);
        markAll(committer);
        snapshotAdvanced(chunk);
    }

    private void enter(State next) {
        if (state != next) {
            state = next;
            writeStatus();
        }
        SnapshotProgress progress = snapshot;
        if (next == State.STREAMING && progress != null && progress.completedAt() == null) {
            // A snapshot of empty tables delivers no rows, so nothing else marks it complete.
            snapshot = progress.complete(clock.instant());
            writeSnapshotProgress();
        }
    }

    private void snapshotAdvanced(SourceTransaction chunk) {
        SnapshotProgress progress = snapshot;
        if (progress == null) {
            progress = SnapshotProgress.started(clock.instant(), 0);
        }
        Instant now = clock.instant();
        progress = progress.advance(chunk.changes().size());
        if (chunk.completesSnapshot()) {
            progress = progress.complete(now);
            log.info("Snapshot complete at position {}: {} rows in {} s ({} rows/s)", chunk.position(), progress.rowsDone(),
                    Duration.between(progress.startedAt(), now).toSeconds(), Math.round(progress.rowsPerSecond(now)));
        }
        else if (Duration.between(lastProgressLog, now).toSeconds() >= 5) {
            lastProgressLog = now;
            log.info("Snapshot: {} of {} rows ({} rows/s, about {} s left)", progress.rowsDone(), progress.rowsTotal(),
                    Math.round(progress.rowsPerSecond(now)), progress.etaSeconds(now));
        }
        snapshot = progress;
        writeSnapshotProgress();
        if (chunk.completesSnapshot()) {
            enter(State.STREAMING);
        }
    }

    private void writeSnapshotProgress() {
        SnapshotProgress progress = snapshot;
        StatefulRedisConnection<String, String> connection = statusConnection;
        if (progress == null || connection == null || !connection.isOpen()) {
            return;
        }
        try {
            connection.async().hset(ReadModelKeys.SNAPSHOT_PROGRESS, progress.toHash()).get(1, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        catch (ExecutionException | TimeoutException e) {
            log.warn("Cannot write the snapshot progress: {}", e.getMessage());
        }
    }

    /**
     * Asks for the read models to be rebuilt from a fresh snapshot; the supervisor does it within a
     * second if this process streams. Queries see partial read models until the snapshot completes.
     *
     * @return whether this process streams and will rebuild
     */
    public boolean requestRebuild() {
        if (!leading) {
            return false;
        }
        log.warn("Rebuild of the read models requested by an operator");
        rebuildRequested = true;
        return true;
    }

    private void apply(SourceTransaction transaction) {
        try {
            long started = System.nanoTime();
            if (applier().apply(transaction)) {
                observer.applied(transaction, System.nanoTime() - started, clock.instant());
            }
        }
        catch (RuntimeException e) {
            log.error("Cannot apply transaction {} at position {} ({} changes); the projector stops here. {}",
                    transaction.txId(), transaction.position(), transaction.changes().size(), e.getMessage(), e);
            throw e;
        }
    }

    private void markAll(DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
            throws InterruptedException {
        for (RecordChangeEvent<SourceRecord> event : unmarked) {
            committer.markProcessed(event);
        }
        unmarked.clear();
    }

    /** Reports of an engine this projector has since replaced are ignored. */
    private void engineStopped(int generation, boolean success, String message, @Nullable Throwable error) {
        if (!success && running && generation == engineGeneration) {
            fail(error != null ? error : new IllegalStateException(message));
        }
    }

    private void fail(Throwable error) {
        if (!running) {
            // Stopping interrupts the engine mid-batch; the interrupted batch is replayed next time.
            log.debug("Engine stopped while applying: {}", error.getMessage());
            return;
        }
        if (rebuildRequested || watermarkVanished(error)) {
            // Redis lost its data under the running engine: the supervisor rebuilds.
            rebuildRequested = true;
            return;
        }
        if (redisUnavailable(error)) {
            // Nothing is wrong with the data: the supervisor restarts the engine, which resumes
            // from the stored offsets once Redis answers again.
            log.warn("Redis is unavailable ({}); the projector restarts when it answers again", error.getMessage());
            return;
        }
        state = State.FAILED;
        failure = error.getMessage();
        log.error("Projector failed: {}", failure, error);
        writeStatus();
    }

    private static boolean redisUnavailable(@Nullable Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof RedisConnectionException || cause instanceof RedisCommandTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static boolean watermarkVanished(@Nullable Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof ProjectorFencedException fenced && fenced.watermarkVanished()) {
                return true;
            }
        }
        return false;
    }

    private TransactionApplier applier() {
        if (applier == null) {
            throw new IllegalStateException("projector not started");
        }
        return applier;
    }

    /**
     * One HSET, so the supervisor and the engine thread may both write it without a transaction;
     * waits a second at most, as Redis may be going away together with this process.
     */
    private void writeStatus() {
        StatefulRedisConnection<String, String> connection = statusConnection;
        if (!leading || connection == null || !connection.isOpen()) {
            return;
        }
        try {
            connection.async().hset(ReadModelKeys.PROJECTOR_STATUS, new ProjectorStatus(state, clock.instant(), failure).toHash())
                    .get(1, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        catch (ExecutionException | TimeoutException e) {
            log.warn("Cannot write the projector status: {}", e.getMessage());
        }
    }

    private void prepareFreshSnapshot() {
        log.info("No consistent read models in Redis for slot '{}': rebuilding them from a fresh snapshot",
                settings.slotName());
        RedisCommands<String, String> redis = applyConnection().sync();
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
        dropSlot();
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

    private StatefulRedisConnection<String, String> applyConnection() {
        if (applyConnection == null) {
            throw new IllegalStateException("projector not started");
        }
        return applyConnection;
    }

    private boolean slotExists() {
        // A slot PostgreSQL invalidated (max_slot_wal_keep_size exceeded) lost changes: treat it as gone.
        return replicationQuery("SELECT 1 FROM pg_replication_slots WHERE slot_name = ? AND wal_status IS DISTINCT FROM 'lost'");
    }

    private void dropSlot() {
        if (replicationQuery("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ?")) {
            log.info("Dropped replication slot '{}'", settings.slotName());
        }
    }

    /** Every table the engine reads: those the projections follow, and the heartbeat's. */
    private Stream<String> capturedTables() {
        return Stream.concat(projections.stream().flatMap(projection -> projection.tables().stream()), Stream.of(HEARTBEAT_TABLE))
                .distinct();
    }

    /** The rows of the captured tables now: the size of the snapshot to come, for its progress. */
    private long countRows() {
        String sql = capturedTables()
                .map(table -> "(SELECT count(*) FROM public." + table + ")")
                .collect(Collectors.joining(" + ", "SELECT ", ""));
        try (Connection connection = DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password());
                PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet rows = statement.executeQuery()) {
            return rows.next() ? rows.getLong(1) : 0;
        }
        catch (SQLException e) {
            log.warn("Cannot count the rows to snapshot: {}", e.getMessage());
            return 0;
        }
    }

    private boolean replicationQuery(String sql) {
        try (Connection connection = DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password());
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, settings.slotName());
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
        catch (SQLException e) {
            throw new IllegalStateException("Cannot inspect replication slot '" + settings.slotName() + "'", e);
        }
    }

    Properties engineProperties() {
        String tables = capturedTables()
                .map(table -> "public." + table)
                .collect(Collectors.joining(","));
        Properties properties = new Properties();
        properties.setProperty("name", "orderly-projector-" + settings.slotName());
        properties.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        properties.setProperty("offset.storage", RedisOffsetBackingStore.class.getName());
        properties.setProperty(RedisOffsetBackingStore.REDIS_URI, settings.redisUri());
        properties.setProperty("offset.flush.interval.ms", "0");
        // Bounds how long stopping the engine may wait for its task (the default is minutes).
        properties.setProperty("task.management.timeout.ms", "10000");
        properties.setProperty("database.hostname", settings.host());
        properties.setProperty("database.port", Integer.toString(settings.port()));
        properties.setProperty("database.user", settings.user());
        properties.setProperty("database.password", settings.password());
        properties.setProperty("database.dbname", settings.database());
        // Also names the engine's JMX metrics, so two projectors in one JVM need different slots.
        properties.setProperty("topic.prefix", settings.slotName());
        properties.setProperty("plugin.name", "pgoutput");
        properties.setProperty("slot.name", settings.slotName());
        properties.setProperty("publication.name", settings.publication());
        // The publication is part of the schema (see migrations/); the projector never alters it.
        properties.setProperty("publication.autocreate.mode", "disabled");
        properties.setProperty("table.include.list", tables);
        properties.setProperty("snapshot.mode", "initial");
        properties.setProperty("provide.transaction.metadata", "true");
        properties.setProperty("poll.interval.ms", Long.toString(settings.pollInterval().toMillis()));
        properties.setProperty("heartbeat.interval.ms", Long.toString(settings.heartbeatInterval().toMillis()));
        properties.setProperty("heartbeat.action.query", "INSERT INTO " + HEARTBEAT_TABLE + " (id, beat_at) VALUES (1, now()) "
                + "ON CONFLICT (id) DO UPDATE SET beat_at = excluded.beat_at");
        // After a lost connection (PostgreSQL restarting, say) the engine retries without limit;
        // it waits 2 s between attempts rather than the default 10 s.
        properties.setProperty("retriable.restart.connector.wait.ms", "2000");
        properties.setProperty("decimal.handling.mode", "string");
        properties.setProperty("tombstones.on.delete", "false");
        return properties;
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
