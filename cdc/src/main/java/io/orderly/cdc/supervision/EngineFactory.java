package io.orderly.cdc.supervision;

import java.time.Clock;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

import io.lettuce.core.api.StatefulRedisConnection;
import io.orderly.cdc.ProjectorSettings;
import io.orderly.cdc.apply.ApplyObserver;
import io.orderly.cdc.apply.Projection;
import io.orderly.cdc.apply.TransactionApplier;
import io.orderly.cdc.readmodel.SnapshotProgress;
import io.orderly.cdc.source.DebeziumSource;
import io.orderly.cdc.source.EngineConfiguration;
import org.jspecify.annotations.Nullable;

/** Makes the engines the supervisor runs: one per slot, each applying to one Redis database on a connection of its own. */
final class EngineFactory {

    private final ProjectorSettings settings;
    private final List<Projection> projections;
    private final Clock clock;
    private final RedisConnections connections;
    private final DebeziumSource.Listener listener;

    EngineFactory(ProjectorSettings settings, List<Projection> projections, Clock clock, RedisConnections connections,
            DebeziumSource.Listener listener) {
        this.settings = settings;
        this.projections = projections;
        this.clock = clock;
        this.connections = connections;
        this.listener = listener;
    }

    /**
     * An engine reading {@code slot} into Redis database {@code database}; the served database's
     * engine announces what it applies, a rebuild's does not. Started by the caller once it is
     * known as serving or rebuilding, which its reports are told apart by.
     */
    DebeziumSource create(String slot, int database, ApplyObserver observing, @Nullable SnapshotProgress progress,
            @Nullable LongSupplier ceiling) {
        StatefulRedisConnection<String, String> connection = connections.forEngine(database);
        try {
            TransactionApplier applier = new TransactionApplier(connection, projections, clock, settings.feedRetention(),
                    database == settings.redisDatabase());
            return new DebeziumSource(slot, EngineConfiguration.forSlot(settings, slot, database, capturedTables()),
                    connection, applier, clock, observing, listener, progress, ceiling);
        }
        catch (RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** Every table the engine reads: those the projections follow, and the heartbeat's. */
    List<String> capturedTables() {
        return Stream.concat(projections.stream().flatMap(projection -> projection.tables().stream()),
                Stream.of(EngineConfiguration.HEARTBEAT_TABLE)).distinct().toList();
    }
}
