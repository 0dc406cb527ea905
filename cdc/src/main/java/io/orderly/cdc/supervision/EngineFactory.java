package io.orderly.cdc.supervision;

import java.time.Clock;
import java.util.List;
import java.util.function.LongSupplier;

import io.lettuce.core.api.StatefulRedisConnection;
import io.orderly.cdc.ProjectorSettings;
import io.orderly.cdc.apply.ApplyObserver;
import io.orderly.cdc.apply.Projection;
import io.orderly.cdc.apply.ReadModelWriter;
import io.orderly.cdc.apply.TransactionApplier;
import io.orderly.cdc.pipeline.ChangeSourceFactory;
import io.orderly.cdc.readmodel.SnapshotProgress;
import org.jspecify.annotations.Nullable;

/**
 * Makes the engines the supervisor runs: one per slot, each a change source of the configured kind
 * delivering to a writer that applies to one Redis database on a connection of its own.
 */
final class EngineFactory {

    private final ProjectorSettings settings;
    private final ChangeSourceFactory sources;
    private final List<Projection> projections;
    private final Clock clock;
    private final RedisConnections connections;
    private final Engine.Listener listener;

    EngineFactory(ProjectorSettings settings, ChangeSourceFactory sources, List<Projection> projections, Clock clock,
            RedisConnections connections, Engine.Listener listener) {
        this.settings = settings;
        this.sources = sources;
        this.projections = projections;
        this.clock = clock;
        this.connections = connections;
        this.listener = listener;
    }

    /**
     * An engine reading {@code slot} into Redis database {@code database}; the served database's
     * engine announces what it applies, a rebuild's does not, and never passes {@code ceiling}.
     * Started by the caller once it is known as serving or rebuilding, which its reports are told
     * apart by.
     */
    Engine create(String slot, int database, ApplyObserver observing, @Nullable SnapshotProgress progress,
            @Nullable LongSupplier ceiling) {
        StatefulRedisConnection<String, String> connection = connections.forEngine(database);
        try {
            TransactionApplier applier = new TransactionApplier(connection, projections, clock, settings.feedRetention(),
                    database == settings.redisDatabase());
            ReadModelWriter writer = new ReadModelWriter(slot, connection, applier, clock, observing, ceiling);
            return new Engine(writer, sources, slot, database, progress, listener);
        }
        catch (RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** Every table the engines read. */
    List<String> capturedTables() {
        return sources.capturedTables();
    }
}
