package io.orderly.cdc.source;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.orderly.cdc.ProjectorSettings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class EngineConfigurationTests {

    @Test
    void configuresThePostgresConnectorForOneSlotAndOneRedisDatabase() {
        Properties properties = EngineConfiguration.forSlot(settings(Map.of()), "orderly_b", 1, List.of("customers", "orders"));

        assertThat(properties).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("name", "orderly-projector-orderly_b"),
                Map.entry("connector.class", "io.debezium.connector.postgresql.PostgresConnector"),
                Map.entry("offset.storage", RedisOffsetBackingStore.class.getName()),
                Map.entry("offset.storage.redis.uri", "redis://:secret@redis.example:6380/1"),
                Map.entry("offset.flush.interval.ms", "0"),
                Map.entry("database.hostname", "db.example"),
                Map.entry("database.port", "5433"),
                Map.entry("database.user", "orderly"),
                Map.entry("database.password", "s3cret"),
                Map.entry("database.dbname", "shop"),
                Map.entry("topic.prefix", "orderly_b"),
                Map.entry("plugin.name", "pgoutput"),
                Map.entry("slot.name", "orderly_b"),
                Map.entry("publication.name", "orderly_pub"),
                Map.entry("publication.autocreate.mode", "disabled"),
                Map.entry("table.include.list", "public.orders,public.customers"),
                Map.entry("snapshot.mode", "initial"),
                Map.entry("lsn.flush.mode", "connector"),
                Map.entry("provide.transaction.metadata", "true"),
                Map.entry("poll.interval.ms", "10"),
                Map.entry("heartbeat.interval.ms", "5000"),
                Map.entry("heartbeat.action.query", "INSERT INTO projector_heartbeat (id, beat_at) VALUES (1, now()) "
                        + "ON CONFLICT (id) DO UPDATE SET beat_at = excluded.beat_at"),
                Map.entry("retriable.restart.connector.wait.ms", "2000"),
                Map.entry("decimal.handling.mode", "string"),
                Map.entry("tombstones.on.delete", "false")));
    }

    @Test
    void snapshotsTheLinesThenTheOrdersThenTheProductsAndCustomersAndOtherTablesLastByName() {
        Properties properties = EngineConfiguration.forSlot(settings(Map.of()), "orderly", 0,
                List.of("customers", "zebras", "products", "orders", "audit", "order_lines"));

        assertThat(properties.getProperty("table.include.list"))
                .isEqualTo("public.order_lines,public.orders,public.products,public.customers,public.audit,public.zebras");
    }

    @Test
    void handsPassThroughPropertiesToDebeziumAsTheyAre() {
        Properties properties = EngineConfiguration.forSlot(settings(Map.of("snapshot.fetch.size", "2000",
                "database.sslmode", "require")), "orderly", 0, List.of("customers"));

        assertThat(properties).containsEntry("snapshot.fetch.size", "2000")
                .containsEntry("database.sslmode", "require")
                .containsEntry("slot.name", "orderly");
    }

    @Test
    void refusesAPassThroughPropertyThatTheProjectorSetsItself() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> EngineConfiguration.forSlot(settings(Map.of("provide.transaction.metadata", "false")), "orderly",
                        0, List.of("customers")))
                .withMessageContaining("orderly.projector.debezium.provide.transaction.metadata");
    }

    private static ProjectorSettings settings(Map<String, String> debezium) {
        return new ProjectorSettings("db.example", 5433, "shop", "orderly", "s3cret", "orderly", "orderly_pub",
                Duration.ofMillis(10), Duration.ofSeconds(5), 100_000, Duration.ofSeconds(10), "redis://:secret@redis.example:6380",
                0, 1, debezium);
    }
}
