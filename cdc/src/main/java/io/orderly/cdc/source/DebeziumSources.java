package io.orderly.cdc.source;

import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

import io.orderly.cdc.ProjectorSettings;
import io.orderly.cdc.pipeline.ChangeSource;
import io.orderly.cdc.pipeline.ChangeSourceFactory;
import io.orderly.cdc.pipeline.TransactionSink;
import io.orderly.cdc.readmodel.SnapshotProgress;
import org.jspecify.annotations.Nullable;

/** Makes embedded Debezium engines, one per replication slot, each keeping its offsets in a Redis database. */
public final class DebeziumSources implements ChangeSourceFactory {

    private final ProjectorSettings settings;
    private final List<String> capturedTables;
    private final Clock clock;

    /** @param tables the tables the projections follow; the engines read the heartbeat's too */
    public DebeziumSources(ProjectorSettings settings, Collection<String> tables, Clock clock) {
        this.settings = settings;
        this.capturedTables = Stream.concat(tables.stream(), Stream.of(EngineConfiguration.HEARTBEAT_TABLE)).distinct().toList();
        this.clock = clock;
    }

    @Override
    public ChangeSource create(String slot, int database, @Nullable SnapshotProgress snapshot, TransactionSink sink,
            ChangeSource.Listener listener) {
        return new DebeziumSource(slot, EngineConfiguration.forSlot(settings, slot, database, capturedTables), sink, clock,
                listener, snapshot, settings.stagingThreshold());
    }

    @Override
    public List<String> capturedTables() {
        return capturedTables;
    }
}
