package io.orderly.cdc.kafka;

import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

import io.orderly.cdc.ProjectorSettings;
import io.orderly.cdc.pipeline.ChangeSource;
import io.orderly.cdc.pipeline.ChangeSourceFactory;
import io.orderly.cdc.pipeline.TransactionSink;
import io.orderly.cdc.readmodel.SnapshotProgress;
import io.orderly.cdc.source.EngineConfiguration;
import org.jspecify.annotations.Nullable;

/**
 * Makes Kafka sources: each reads the topics of one Debezium connector running in Kafka Connect,
 * from the offsets kept in the Redis database it feeds. The connector owns the replication slot;
 * a source's slot is only the name of the stream it keeps, which lets a rebuild read the topics
 * into the spare database from their beginning while the served one goes on.
 */
public final class KafkaSources implements ChangeSourceFactory {

    private final ProjectorSettings settings;
    private final KafkaSourceSettings kafka;
    private final List<String> capturedTables;
    private final Clock clock;
    private final ConsumerMetrics metrics;

    /**
     * @param tables the tables the projections follow; the sources read the heartbeat's too
     * @param metrics where each source's consumer publishes its metrics
     */
    public KafkaSources(ProjectorSettings settings, KafkaSourceSettings kafka, Collection<String> tables, Clock clock,
            ConsumerMetrics metrics) {
        this.settings = settings;
        this.kafka = kafka;
        this.metrics = metrics;
        this.capturedTables = Stream.concat(tables.stream(), Stream.of(EngineConfiguration.HEARTBEAT_TABLE)).distinct().toList();
        this.clock = clock;
    }

    @Override
    public ChangeSource create(String slot, int database, @Nullable SnapshotProgress snapshot, TransactionSink sink,
            ChangeSource.Listener listener) {
        return new KafkaSource(slot, kafka, settings.redisUri(database), capturedTables, sink, clock, listener, snapshot, metrics,
                settings.stagingThreshold());
    }

    @Override
    public List<String> capturedTables() {
        return capturedTables;
    }

    @Override
    public boolean ownsReplicationSlots() {
        return false;
    }
}
