package io.orderly.projection;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

import javax.sql.DataSource;

import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.lettuce.core.RedisURI;
import io.orderly.cdc.DebeziumProjector;
import io.orderly.cdc.Projection;
import io.orderly.cdc.ProjectorSettings;
import io.orderly.cdc.customer.CustomerProjection;
import io.orderly.cdc.order.OrderProjection;
import io.orderly.cdc.product.ProductProjection;
import io.orderly.runtime.ConditionalOnRole;
import io.orderly.runtime.OrderlyProperties;
import io.orderly.runtime.Role;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the projector (from {@code cdc}) into processes with the projector role. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(Role.PROJECTOR)
class ProjectorConfiguration {

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
    DebeziumProjector projector(JdbcConnectionDetails database, DataSource dataSource, RedisClient readModelRedisClient,
            RedisURI readModelRedisUri, OrderlyProperties properties, List<Projection> projections, MeterRegistry meters) {
        URI url = URI.create(database.getJdbcUrl().substring("jdbc:".length()));
        OrderlyProperties.Projector projector = properties.projector();
        ProjectorSettings settings = new ProjectorSettings(
                url.getHost(),
                url.getPort() > 0 ? url.getPort() : 5432,
                url.getPath().substring(1),
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
                projector.debezium());
        return new DebeziumProjector(settings, readModelRedisClient, dataSource, projections, Clock.systemUTC(),
                new ProjectorMetrics(meters));
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
