package io.orderly.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Orderly's own settings ({@code orderly.*}); connections to PostgreSQL and Redis use the standard
 * {@code spring.datasource.*} and {@code spring.data.redis.*} settings.
 */
@ConfigurationProperties("orderly")
public record OrderlyProperties(
        @DefaultValue({"command", "query", "projector"}) Set<Role> roles,
        @DefaultValue("EUR") String currency,
        @DefaultValue Consistency consistency,
        @DefaultValue Embedded embedded,
        @DefaultValue Projector projector,
        @DefaultValue Limits limits,
        @DefaultValue Subscriptions subscriptions,
        @DefaultValue Query query) {

    /** How long a read waits for a consistency token before it gives up. */
    public record Consistency(@DefaultValue("2s") Duration timeout) {
    }

    /**
     * The embedded servers started when no external PostgreSQL or Redis is configured. A port of 0
     * picks a free one.
     */
    public record Embedded(
            @DefaultValue("data") Path dataDir,
            @DefaultValue("15432") int postgresPort,
            @DefaultValue("16379") int redisPort) {
    }

    /**
     * Where queries, subscriptions and consistency waits read the read models: a Redis replica
     * ({@code redis://host:port/db}) kept by the primary the projector writes, or the primary
     * itself when not set; and how many decoded documents a query process keeps for reuse.
     */
    public record Query(@Nullable String redisUrl, @DefaultValue("10000") int decodedDocuments) {
    }

    /** How many change events a subscription may fall behind before it is ended. */
    public record Subscriptions(@DefaultValue("1000") int buffer) {
    }

    /**
     * Limits of the public GraphQL endpoint. A request by GET carries its query in the URL, which
     * Tomcat bounds with {@code server.max-http-request-header-size} (8 KB) together with the
     * headers; {@code maxQueryStringBytes} stays below that so that the refusal is a GraphQL one.
     */
    public record Limits(
            @DefaultValue("15") int maxDepth,
            @DefaultValue("100000") int maxComplexity,
            @DefaultValue("262144") long maxRequestBytes,
            @DefaultValue("4096") int maxQueryStringBytes) {
    }

    /** The change stream the projector follows. */
    public record Projector(
            @DefaultValue("orderly") String slotName,
            @DefaultValue("orderly") String publication,
            @DefaultValue("10ms") Duration pollInterval,
            @DefaultValue("5s") Duration heartbeatInterval,
            @DefaultValue("100000") long feedRetention,
            @DefaultValue("10s") Duration leaseDuration,
            @DefaultValue("1") int rebuildDatabase) {
    }
}
