package io.orderly.cdc.source;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

import io.debezium.config.CommonConnectorConfig;
import io.debezium.config.Configuration;
import io.debezium.connector.postgresql.PostgresConnector;
import io.debezium.connector.postgresql.PostgresConnectorConfig.AutoCreateMode;
import io.debezium.connector.postgresql.PostgresConnectorConfig.LogicalDecoder;
import io.debezium.connector.postgresql.PostgresConnectorConfig.LsnFlushMode;
import io.debezium.connector.postgresql.PostgresConnectorConfig.SnapshotMode;
import io.debezium.connector.postgresql.PostgresConnectorConfig;
import io.debezium.embedded.async.AsyncEngineConfig;
import io.debezium.heartbeat.DatabaseHeartbeatImpl;
import io.debezium.heartbeat.Heartbeat;
import io.debezium.relational.RelationalDatabaseConnectorConfig.DecimalHandlingMode;
import io.orderly.cdc.ProjectorSettings;

/**
 * The configuration of a Debezium engine that reads one replication slot into the read models of
 * one Redis database. What the projector relies on (transaction metadata, offsets confirmed only
 * once applied, decimals as text) is set here; any other Debezium property can be added through
 * {@link ProjectorSettings#debezium()} ({@value #PASS_THROUGH_PREFIX}{@code *}).
 */
public final class EngineConfiguration {

    /** The application properties whose rest is handed to Debezium as it is. */
    static final String PASS_THROUGH_PREFIX = "orderly.projector.debezium.";

    /** Written by the engine's heartbeat so that the stream, and the watermark, move while the tables are idle. */
    public static final String HEARTBEAT_TABLE = "projector_heartbeat";

    /**
     * The order in which a snapshot reads the tables (Debezium follows {@code table.include.list}):
     * the lines, then their orders, then the products and customers the orders count into. Measured
     * on the bench's data set, a rebuild costs the application about a tenth less CPU this way than
     * with customers and products first (BENCHMARKS.md). Tables not listed come after, by name.
     */
    static final List<String> SNAPSHOT_ORDER = List.of("order_lines", "orders", "products", "customers");

    private EngineConfiguration() {
    }

    /**
     * @param tables the unqualified names of the tables to capture, in schema {@code public}, in any order
     * @throws IllegalArgumentException when a pass-through property would override one the projector sets
     */
    public static Properties forSlot(ProjectorSettings settings, String slot, int redisDatabase, Collection<String> tables) {
        Configuration own = Configuration.create()
                .with(AsyncEngineConfig.ENGINE_NAME, "orderly-projector-" + slot)
                .with(AsyncEngineConfig.CONNECTOR_CLASS, PostgresConnector.class)
                .with(AsyncEngineConfig.OFFSET_STORAGE, RedisOffsetBackingStore.class)
                .with(RedisOffsetBackingStore.REDIS_URI, settings.redisUri(redisDatabase))
                .with(AsyncEngineConfig.OFFSET_FLUSH_INTERVAL_MS, 0L)
                .with(PostgresConnectorConfig.HOSTNAME, settings.host())
                .with(PostgresConnectorConfig.PORT, settings.port())
                .with(PostgresConnectorConfig.USER, settings.user())
                .with(PostgresConnectorConfig.PASSWORD, settings.password())
                .with(PostgresConnectorConfig.DATABASE_NAME, settings.database())
                // Also names the engine's JMX metrics, so two engines in one JVM need different slots.
                .with(CommonConnectorConfig.TOPIC_PREFIX, slot)
                .with(PostgresConnectorConfig.PLUGIN_NAME, LogicalDecoder.PGOUTPUT)
                .with(PostgresConnectorConfig.SLOT_NAME, slot)
                .with(PostgresConnectorConfig.PUBLICATION_NAME, settings.publication())
                // The publication is part of the schema (see migrations/); the projector never alters it.
                .with(PostgresConnectorConfig.PUBLICATION_AUTOCREATE_MODE, AutoCreateMode.DISABLED)
                .with(PostgresConnectorConfig.TABLE_INCLUDE_LIST, tables.stream()
                        .sorted(Comparator.comparingInt(EngineConfiguration::snapshotRank).thenComparing(Comparator.naturalOrder()))
                        .map(table -> "public." + table)
                        .collect(Collectors.joining(",")))
                .with(PostgresConnectorConfig.SNAPSHOT_MODE, SnapshotMode.INITIAL)
                // The slot is confirmed only up to offsets the engine committed, never by keepalives.
                .with(PostgresConnectorConfig.LSN_FLUSH_MODE, LsnFlushMode.CONNECTOR)
                .with(CommonConnectorConfig.PROVIDE_TRANSACTION_METADATA, true)
                .with(CommonConnectorConfig.POLL_INTERVAL_MS, settings.pollInterval().toMillis())
                .with(Heartbeat.HEARTBEAT_INTERVAL, settings.heartbeatInterval().toMillis())
                .with(DatabaseHeartbeatImpl.HEARTBEAT_ACTION_QUERY, "INSERT INTO " + HEARTBEAT_TABLE
                        + " (id, beat_at) VALUES (1, now()) ON CONFLICT (id) DO UPDATE SET beat_at = excluded.beat_at")
                // After a lost connection (PostgreSQL restarting, say) the engine retries without limit;
                // it waits 2 s between attempts rather than the default 10 s.
                .with(CommonConnectorConfig.RETRIABLE_RESTART_WAIT, 2_000L)
                .with(PostgresConnectorConfig.DECIMAL_HANDLING_MODE, DecimalHandlingMode.STRING)
                .with(CommonConnectorConfig.TOMBSTONES_ON_DELETE, false)
                .build();
        Properties properties = own.asProperties();
        for (Map.Entry<String, String> extra : settings.debezium().entrySet()) {
            if (properties.containsKey(extra.getKey())) {
                throw new IllegalArgumentException(PASS_THROUGH_PREFIX + extra.getKey()
                        + " cannot be set: the projector sets Debezium's '" + extra.getKey() + "' itself");
            }
            properties.setProperty(extra.getKey(), extra.getValue());
        }
        return properties;
    }

    private static int snapshotRank(String table) {
        int rank = SNAPSHOT_ORDER.indexOf(table);
        return rank < 0 ? SNAPSHOT_ORDER.size() : rank;
    }
}
