package io.orderly.projection;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import javax.sql.DataSource;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.orderly.cdc.ProjectorSettings;
import io.orderly.cdc.apply.Projection;
import io.orderly.cdc.customer.CustomerProjection;
import io.orderly.cdc.kafka.KafkaSourceSettings;
import io.orderly.cdc.kafka.KafkaSources;
import io.orderly.cdc.order.OrderProjection;
import io.orderly.cdc.pipeline.ChangeSourceFactory;
import io.orderly.cdc.product.ProductProjection;
import io.orderly.cdc.source.DebeziumSources;
import io.orderly.cdc.supervision.ProjectorSupervisor;
import io.orderly.runtime.ConditionalOnRole;
import io.orderly.runtime.OrderlyProperties;
import io.orderly.runtime.Role;
import org.postgresql.Driver;
import org.postgresql.PGProperty;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the projector (from {@code cdc}) into processes with the projector role. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(Role.PROJECTOR)
class ProjectorConfiguration {

    /** What the driver reads from a URL that the projector gives Debezium field by field. */
    private static final Set<String> URL_PARTS = Set.of(PGProperty.PG_HOST.getName(), PGProperty.PG_PORT.getName(),
            PGProperty.PG_DBNAME.getName(), PGProperty.USER.getName(), PGProperty.PASSWORD.getName());

    @Bean
    CustomerProjection customerProjection() {
        return new CustomerProjection();
    }

    @Bean
    ProductProjection productProjection() {
        return new ProductProjection();
    }

    @Bean
    OrderProjection orderProjection() {
        return new OrderProjection();
    }

    @Bean
    ProjectorSupervisor projector(JdbcConnectionDetails database, DataSource dataSource, RedisClient readModelRedisClient,
            RedisURI readModelRedisUri, OrderlyProperties properties, List<Projection> projections, MeterRegistry meters) {
        Properties url = parseJdbcUrl(database.getJdbcUrl());
        OrderlyProperties.Projector projector = properties.projector();
        Map<String, String> debezium = new HashMap<>();
        // The URL's own settings (sslmode, say) reach the driver under Debezium's database.* prefix.
        url.stringPropertyNames().stream()
                .filter(name -> !URL_PARTS.contains(name))
                .forEach(name -> debezium.put("database." + name, url.getProperty(name)));
        debezium.putAll(projector.debezium());
        ProjectorSettings settings = new ProjectorSettings(
                PGProperty.PG_HOST.getOrDefault(url),
                Integer.parseInt(PGProperty.PG_PORT.getOrDefault(url)),
                PGProperty.PG_DBNAME.getOrDefault(url),
                database.getUsername(),
                database.getPassword() == null ? "" : database.getPassword(),
                projector.slotName(),
                projector.publication(),
                projector.pollInterval(),
                projector.heartbeatInterval(),
                projector.feedRetention(),
                projector.leaseDuration(),
                serverWithCredentials(readModelRedisUri),
                readModelRedisUri.getDatabase(),
                projector.rebuildDatabase(),
                debezium,
                projector.stagingThreshold());
        Clock clock = Clock.systemUTC();
        List<String> tables = projections.stream().flatMap(projection -> projection.tables().stream()).toList();
        return new ProjectorSupervisor(settings, readModelRedisClient, dataSource,
                sources(projector, settings, tables, clock, meters), projections, clock, new ProjectorMetrics(meters));
    }

    private static ChangeSourceFactory sources(OrderlyProperties.Projector projector, ProjectorSettings settings,
            List<String> tables, Clock clock, MeterRegistry meters) {
        return switch (projector.source()) {
            case EMBEDDED -> new DebeziumSources(settings, tables, clock);
            case KAFKA -> {
                OrderlyProperties.Projector.Kafka kafka = projector.kafka();
                yield new KafkaSources(settings, new KafkaSourceSettings(kafka.bootstrapServers(), kafka.topicPrefix(),
                        kafka.pollTimeout(), kafka.consumer()), tables, clock, consumer -> {
                            // Consumer lag and fetch rates, next to the projector's own lag.
                            KafkaClientMetrics metrics = new KafkaClientMetrics(consumer);
                            metrics.bindTo(meters);
                            return metrics;
                        });
            }
        };
    }

    /** What the driver makes of the URL; one host only, as logical replication reads the primary and Debezium takes one. */
    private static Properties parseJdbcUrl(String jdbcUrl) {
        Properties url = Driver.parseURL(jdbcUrl, null);
        if (url == null) {
            throw new IllegalStateException("The projector needs a PostgreSQL JDBC URL, not " + jdbcUrl);
        }
        String hosts = PGProperty.PG_HOST.getOrDefault(url);
        if (hosts == null || hosts.contains(",")) {
            throw new IllegalStateException("The projector streams from one PostgreSQL server, the primary, but the JDBC URL names "
                    + hosts + "; give the projector's process a URL with the primary only");
        }
        return url;
    }

    /** The Redis server as a URI, credentials included and database left out, for the engine's offset store. */
    private static String serverWithCredentials(RedisURI uri) {
        StringBuilder text = new StringBuilder("redis://");
        if (uri.getPassword() != null && uri.getPassword().length > 0) {
            if (uri.getUsername() != null) {
                text.append(encode(uri.getUsername()));
            }
            text.append(':').append(encode(new String(uri.getPassword()))).append('@');
        }
        return text.append(uri.getHost()).append(':').append(uri.getPort()).toString();
    }

    /** Percent-encoded for the user-info part of a URI (where a space is %20, not +). */
    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
