package io.orderly.cdc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.debezium.embedded.Connect;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.orderly.cdc.readmodel.ProjectorStatus;
import io.orderly.cdc.readmodel.ProjectorStatus.State;
import io.orderly.cdc.readmodel.ReadModelKeys;
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
 * <p>On start it checks that the read models and the replication slot still describe the same
 * history. If Redis has no watermark (first start, lost data, interrupted snapshot) or the slot
 * is gone, it clears the read models, drops the slot and builds everything from a fresh snapshot.
 */
public final class DebeziumProjector implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DebeziumProjector.class);

    private final ProjectorSettings settings;
    private final RedisClient redisClient;
    private final List<Projection> projections;
    private final Clock clock;

    private volatile boolean running;
    private volatile State state = State.STOPPED;
    private volatile @Nullable String failure;
    private @Nullable DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private @Nullable ExecutorService engineThread;
    private @Nullable ScheduledExecutorService heartbeatThread;
    private @Nullable StatefulRedisConnection<String, String> applyConnection;
    private @Nullable StatefulRedisConnection<String, String> statusConnection;
    private @Nullable TransactionApplier applier;
    private final TransactionAssembler assembler = new TransactionAssembler();
    private final List<RecordChangeEvent<SourceRecord>> unmarked = new ArrayList<>();

    public DebeziumProjector(ProjectorSettings settings, RedisClient redisClient, List<Projection> projections, Clock clock) {
        this.settings = settings;
        this.redisClient = redisClient;
        this.projections = List.copyOf(projections);
        this.clock = clock;
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        statusConnection = redisClient.connect();
        applyConnection = redisClient.connect();
        state = State.STARTING;
        failure = null;
        writeStatus();
        applier = new TransactionApplier(applyConnection, projections, clock, settings.feedRetention());
        if (!applier.watermark().exists() || !slotExists()) {
            prepareFreshSnapshot();
            applier = new TransactionApplier(applyConnection, projections, clock, settings.feedRetention());
        }
        else {
            log.info("Resuming the change stream after position {} (tx {})",
                    applier.watermark().position(), applier.watermark().txId());
        }
        engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(engineProperties())
                .notifying(this::handleBatch)
                .using(this::engineStopped)
                .build();
        engineThread = Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "orderly-projector"));
        engineThread.execute(engine);
        heartbeatThread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "orderly-projector-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        heartbeatThread.scheduleWithFixedDelay(this::writeStatus, 1, 1, TimeUnit.SECONDS);
        running = true;
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        try {
            if (engine != null) {
                engine.close();
            }
            if (engineThread != null) {
                engineThread.shutdown();
                if (!engineThread.awaitTermination(30, TimeUnit.SECONDS)) {
                    log.warn("The Debezium engine did not stop within 30 s");
                }
            }
        }
        catch (Exception e) {
            log.warn("Error while stopping the Debezium engine", e);
        }
        if (heartbeatThread != null) {
            heartbeatThread.shutdownNow();
        }
        if (state != State.FAILED) {
            state = State.STOPPED;
        }
        writeStatus();
        closeQuietly(applyConnection);
        closeQuietly(statusConnection);
        unmarked.clear();
        log.info("Projector stopped");
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** The projector's own view of its state, also published in Redis every second. */
    public State state() {
        return state;
    }

    private void handleBatch(List<RecordChangeEvent<SourceRecord>> events,
            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
        try {
            for (RecordChangeEvent<SourceRecord> event : events) {
                unmarked.add(event);
                var completed = assembler.accept(event.record());
                if (completed.isPresent()) {
                    enter(State.STREAMING);
                    apply(completed.get());
                    markAll(committer);
                }
                else if (!assembler.inTransaction() && !assembler.hasSnapshotRows()) {
                    // Heartbeats and other records outside transactions carry offsets only.
                    if (state == State.STARTING) {
                        enter(State.STREAMING);
                    }
                    markAll(committer);
                }
            }
            if (assembler.hasSnapshotRows()) {
                enter(State.SNAPSHOTTING);
                SourceTransaction chunk = assembler.drainSnapshotChunk().orElseThrow();
                apply(chunk);
                markAll(committer);
                if (chunk.completesSnapshot()) {
                    log.info("Snapshot complete at position {}", chunk.position());
                    enter(State.STREAMING);
                }
            }
            committer.markBatchFinished();
        }
        catch (RuntimeException e) {
            fail(e);
            throw e;
        }
    }

    private void enter(State next) {
        if (state != next) {
            state = next;
            writeStatus();
        }
    }

    private void apply(SourceTransaction transaction) {
        try {
            applier().apply(transaction);
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

    private void engineStopped(boolean success, String message, @Nullable Throwable error) {
        if (!success && running) {
            fail(error != null ? error : new IllegalStateException(message));
        }
    }

    private void fail(Throwable error) {
        state = State.FAILED;
        failure = error.getMessage();
        log.error("Projector failed: {}", failure, error);
        writeStatus();
    }

    private TransactionApplier applier() {
        if (applier == null) {
            throw new IllegalStateException("projector not started");
        }
        return applier;
    }

    private void writeStatus() {
        StatefulRedisConnection<String, String> connection = statusConnection;
        if (connection == null || !connection.isOpen()) {
            return;
        }
        try {
            RedisCommands<String, String> redis = connection.sync();
            redis.multi();
            redis.del(ReadModelKeys.PROJECTOR_STATUS);
            redis.hset(ReadModelKeys.PROJECTOR_STATUS, new ProjectorStatus(state, clock.instant(), failure).toHash());
            redis.exec();
        }
        catch (RuntimeException e) {
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
                    .filter(key -> !key.equals(ReadModelKeys.PROJECTOR_STATUS))
                    .collect(Collectors.toList());
            if (!keys.isEmpty()) {
                redis.del(keys.toArray(String[]::new));
            }
            cursor = page;
        } while (!cursor.isFinished());
        dropSlot();
    }

    private StatefulRedisConnection<String, String> applyConnection() {
        if (applyConnection == null) {
            throw new IllegalStateException("projector not started");
        }
        return applyConnection;
    }

    private boolean slotExists() {
        return replicationQuery("SELECT 1 FROM pg_replication_slots WHERE slot_name = ?");
    }

    private void dropSlot() {
        if (replicationQuery("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ?")) {
            log.info("Dropped replication slot '{}'", settings.slotName());
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
        String tables = projections.stream()
                .flatMap(projection -> projection.tables().stream())
                .distinct()
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
        properties.setProperty("decimal.handling.mode", "string");
        properties.setProperty("tombstones.on.delete", "false");
        return properties;
    }

    private static void closeQuietly(@Nullable StatefulRedisConnection<String, String> connection) {
        if (connection != null && connection.isOpen()) {
            connection.close();
        }
    }
}
