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
        @DefaultValue Query query,
        @DefaultValue Security security) {

    /**
     * Identity: whether the development token issuer runs ({@code dev-issuer.enabled}). Unset, it
     * runs only in the zero-setup shape (embedded PostgreSQL, no issuer configured).
     */
    public record Security(@DefaultValue DevIssuer devIssuer) {

        /** The development token issuer at {@code /dev-issuer}: never enable it in production. */
        public record DevIssuer(@Nullable Boolean enabled) {
        }
    }

    /**
     * How long a read waits for a consistency token before it gives up, and for how long an
     * authenticated caller's reads wait for its latest write without being given its token.
     */
    public record Consistency(@DefaultValue("2s") Duration timeout, @DefaultValue("30s") Duration ownWriteExpiry) {
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
     * Limits of the public GraphQL endpoint. Each refusal carries its own {@code extensions.code};
     * the shape limits are checked once per distinct document, before validation, and the cost with
     * each request's variables, before execution.
     *
     * @param maxDepth how deeply fields may nest ({@code QUERY_TOO_DEEP})
     * @param maxComplexity the highest cost an operation may have: every field counts once,
     * multiplied along lists by their page size ({@code QUERY_TOO_COMPLEX})
     * @param maxRequestBytes the largest request body accepted (HTTP 413, {@code REQUEST_TOO_LARGE})
     * @param maxQueryStringBytes the longest query string of a GET request (HTTP 414, {@code REQUEST_TOO_LARGE}); it stays
     * below Tomcat's bound on the request line and headers ({@code server.max-http-request-header-size}, 8 KB), so
     * that the refusal is a GraphQL one
     * @param maxAliases aliased fields per document, fragments expanded ({@code TOO_MANY_ALIASES})
     * @param maxRootFields root fields per operation ({@code TOO_MANY_ROOT_FIELDS})
     * @param maxMutations mutations per request: root fields of a mutation operation, each its own
     * transaction ({@code TOO_MANY_MUTATIONS})
     * @param maxNodes fields, inline fragments and fragment spreads per document once its fragments
     * are expanded ({@code TOO_MANY_NODES})
     * @param maxFragments fragment definitions per document ({@code TOO_MANY_FRAGMENTS})
     * @param maxFragmentDepth how deeply fragment spreads may nest inside one another
     * ({@code FRAGMENTS_TOO_DEEP})
     * @param maxTokens grammar tokens graphql-java's parser reads before it gives up on a document,
     * answered as a syntax error
     * @param requestTimeout how long a query may run: past it, its remaining fields are not fetched
     * and it is answered with {@code REQUEST_TIMEOUT}
     */
    public record Limits(
            @DefaultValue("15") int maxDepth,
            @DefaultValue("100000") int maxComplexity,
            @DefaultValue("262144") long maxRequestBytes,
            @DefaultValue("30") int maxAliases,
            @DefaultValue("20") int maxRootFields,
            @DefaultValue("10") int maxMutations,
            @DefaultValue("1000") int maxNodes,
            @DefaultValue("100") int maxFragments,
            @DefaultValue("32") int maxFragmentDepth,
            @DefaultValue("15000") int maxTokens,
            @DefaultValue("10s") Duration requestTimeout,
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
