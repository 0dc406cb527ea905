package io.orderly.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.io.Resource;

/**
 * Orderly's own settings ({@code orderly.*}); connections to PostgreSQL and Redis use the standard
 * {@code spring.datasource.*} and {@code spring.data.redis.*} settings.
 *
 * <p>The defaults are the {@code @DefaultValue}s here, and nowhere else.
 *
 * @param roles which parts this process runs: {@code command} serves mutations and migrates the
 * schema, {@code query} serves queries and subscriptions, {@code projector} runs the Debezium engine;
 * an operation a process does not serve is refused with {@code ROLE_NOT_SERVED}
 * @param currency the currency of all amounts (Orderly is single-currency)
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
        @DefaultValue Security security,
        @DefaultValue Graphiql graphiql,
        @DefaultValue Graphql graphql) {

    /**
     * Identity: whether the development token issuer runs ({@code dev-issuer.enabled}). Unset, it
     * runs only in the zero-setup shape (embedded PostgreSQL, no issuer configured).
     */
    public record Security(@DefaultValue DevIssuer devIssuer) {

        /**
         * The development token issuer at {@code /dev-issuer}: never enable it in production.
         *
         * @param enabled {@code true} forces the issuer on, {@code false} off; unset, it runs only in
         * the zero-setup shape (embedded PostgreSQL, no issuer configured)
         */
        public record DevIssuer(@Nullable Boolean enabled) {
        }
    }

    /**
     * The GraphQL endpoint's documents.
     *
     * @param trustedDocuments a manifest of the only documents that may run (Apollo's persisted query
     * manifest JSON: {@code {"operations": [{"id": "<sha256>", "body": "…"}, …]}}), e.g.
     * {@code classpath:trusted-documents.json}; clients send them by hash or with their text. Unset,
     * any document runs and clients may register their own as automatic persisted queries.
     */
    public record Graphql(@Nullable Resource trustedDocuments) {
    }

    /**
     * The GraphiQL playground at {@code /graphiql}: switch it off in production.
     *
     * @param enabled whether the playground and its files are served
     */
    public record Graphiql(@DefaultValue("true") boolean enabled) {
    }

    /**
     * How long a read waits for a consistency token before it gives up, and for how long an
     * authenticated caller's reads wait for its latest write without being given its token.
     *
     * @param timeout how long a read waits for a consistency token
     * @param ownWriteExpiry how long after a signed-in caller's last mutation its reads wait for that
     * write without a token
     */
    public record Consistency(@DefaultValue("2s") Duration timeout, @DefaultValue("30s") Duration ownWriteExpiry) {
    }

    /**
     * The embedded servers started when no external PostgreSQL or Redis is configured. A port of 0
     * picks a free one.
     *
     * @param dataDir where the embedded PostgreSQL and Redis keep their files
     * @param postgresPort the embedded PostgreSQL's port
     * @param redisPort the embedded Redis's port
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
     *
     * @param redisUrl the Redis queries, subscriptions and consistency waits read (a replica, e.g.
     * {@code redis://replica:6379/0}); the projector keeps writing the primary ({@code spring.data.redis.*})
     * @param decodedDocuments how many decoded read-model documents a query process keeps, by key, to
     * reuse while Redis returns the same JSON
     * @param warmUp how long a query process runs typical reads on itself before it reports ready, so
     * that its first clients are not served by code the JIT has not compiled yet ({@code 0s}: none)
     */
    public record Query(@Nullable String redisUrl, @DefaultValue("10000") int decodedDocuments,
            @DefaultValue("10s") Duration warmUp) {
    }

    /**
     * How many subscriptions may be active, and how far each may fall behind.
     *
     * @param buffer how many change events a subscription may fall behind before it is ended
     * ({@code SUBSCRIBER_TOO_SLOW})
     * @param maxPerConnection active subscriptions per graphql-ws connection ({@code TOO_MANY_SUBSCRIPTIONS})
     * @param maxPerCaller active subscriptions per caller across its connections to this process: per
     * subject, or per address when anonymous ({@code TOO_MANY_SUBSCRIPTIONS})
     * @param sendTimeout how long sending one message to a graphql-ws client may block: a client
     * that stops reading is closed past it, with 1008 and reason {@code SUBSCRIBER_TOO_SLOW}
     */
    public record Subscriptions(
            @DefaultValue("1000") int buffer,
            @DefaultValue("20") int maxPerConnection,
            @DefaultValue("100") int maxPerCaller,
            @DefaultValue("10s") Duration sendTimeout) {
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
     * @param requestTimeout how long a query may run, consistency wait included: past it, it is
     * cancelled (fields being fetched too) and answered with {@code REQUEST_TIMEOUT}, {@code data: null}
     * @param rate how many operations each caller may send ({@code RATE_LIMITED}, HTTP 429)
     * @param expensive how many expensive queries run at once ({@code SERVER_BUSY}, HTTP 503)
     * @param maxResultNodes how many values (fields and list elements) a response to a query or
     * mutation may hold: a bound on what execution produced, where the cost limit bounds what it may
     * produce by estimate ({@code RESPONSE_TOO_LARGE})
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
            @DefaultValue("4096") int maxQueryStringBytes,
            @DefaultValue Rate rate,
            @DefaultValue Expensive expensive,
            @DefaultValue("200000") int maxResultNodes) {

        /**
         * Bounded concurrency for expensive queries: one whose cost is above {@code cost} runs only
         * while one of {@code concurrency} permits is free, waited for at most {@code maxWait}, and is
         * otherwise refused with {@code SERVER_BUSY}, so that heavy queries cannot hold every request
         * thread.
         *
         * @param cost the cost above which a query is expensive (a page of 20 orders with their lines
         * weighs about 6 000)
         * @param concurrency how many expensive queries may run at once in this process
         * @param maxWait how long an expensive query waits for a permit before it is refused
         */
        public record Expensive(
                @DefaultValue("10000") long cost,
                @DefaultValue("4") int concurrency,
                @DefaultValue("100ms") Duration maxWait) {
        }

        /**
         * A token bucket per caller: per subject for a signed-in caller, per remote address for an
         * anonymous one. Every operation (an HTTP request, or a graphql-ws subscribe) takes one token,
         * a mutation {@code mutationWeight}, and a query one more for every {@code costPerToken} of its
         * cost, so that a heavy query costs its caller as much as the work it asks for; a caller whose
         * bucket is empty is refused with {@code RATE_LIMITED} (HTTP 429 and {@code Retry-After}) until
         * it refills.
         *
         * @param requestsPerSecond tokens added to every bucket each second: the sustained rate
         * @param burst how many tokens a bucket holds: what a caller may send at once after a pause
         * @param mutationWeight tokens a mutation takes, as it writes and waits for its projection
         * @param costPerToken how much query cost one more token pays for (the heaviest allowed query,
         * 100 000, takes all but one token of a full bucket)
         * @param exemptStaff whether STAFF and ADMIN callers skip the limit: the back office is
         * signed in by the identity provider, and runs bulk work (and the tests and benchmarks) as staff
         * @param maxCallers how many callers' buckets are kept, the least recently seen going first, so
         * that requests from many addresses cannot make memory grow
         */
        public record Rate(
                @DefaultValue("50") int requestsPerSecond,
                @DefaultValue("100") int burst,
                @DefaultValue("5") int mutationWeight,
                @DefaultValue("1000") int costPerToken,
                @DefaultValue("true") boolean exemptStaff,
                @DefaultValue("100000") int maxCallers) {
        }
    }

    /**
     * The change stream the projector follows.
     *
     * @param source where the changes come from: the embedded Debezium engine, or the Kafka topics
     * of a Debezium connector running in Kafka Connect ({@link Kafka})
     * @param kafka where the Kafka source reads, when {@code source} is {@code kafka}
     * @param slotName the replication slot; also names the engine
     * @param publication the publication created by the migrations
     * @param pollInterval how often the engine polls for changes (Debezium's default of 500 ms would
     * add half a second to every read-your-writes wait; below 5 ms its queue waits in a busy loop,
     * which cost up to half a core of an idle process)
     * @param heartbeatInterval Debezium heartbeats, which keep offsets moving while the captured
     * tables are idle
     * @param feedRetention about how many entries the change feed keeps
     * @param leaseDuration how long a projector's lease lasts without renewal: a standby takes over
     * this long after the streaming projector dies
     * @param rebuildDatabase a spare Redis database, used by nothing else, where a rebuild builds the
     * next generation of read models before swapping it with the served one
     * @param debezium further Debezium engine properties ({@code orderly.projector.debezium.*}),
     * handed to the engine as they are
     * @param stagingThreshold how many row changes of one transaction the projector holds in
     * memory; a larger transaction is staged in Redis and made visible in one step at its end, and
     * a snapshot is applied in chunks of this many rows. The Kafka source also holds up to this
     * many rows read ahead of the part it waits for, then pauses the partitions that ran ahead
     */
    public record Projector(
            @DefaultValue("embedded") Source source,
            @DefaultValue Kafka kafka,
            @DefaultValue("orderly") String slotName,
            @DefaultValue("orderly") String publication,
            @DefaultValue("5ms") Duration pollInterval,
            @DefaultValue("5s") Duration heartbeatInterval,
            @DefaultValue("100000") long feedRetention,
            @DefaultValue("10s") Duration leaseDuration,
            @DefaultValue("1") int rebuildDatabase,
            @DefaultValue Map<String, String> debezium,
            @DefaultValue("10000") int stagingThreshold) {

        public enum Source { EMBEDDED, KAFKA }

        /**
         * Where a projector with {@code source=kafka} reads: see docs/kafka.md.
         *
         * @param bootstrapServers the Kafka brokers to start from
         * @param topicPrefix the connector's {@code topic.prefix}
         * @param pollTimeout how long one poll of the topics waits for records
         * @param consumer further Kafka consumer properties ({@code orderly.projector.kafka.consumer.*})
         */
        public record Kafka(
                @DefaultValue("localhost:9092") String bootstrapServers,
                @DefaultValue("orderly") String topicPrefix,
                @DefaultValue("100ms") Duration pollTimeout,
                @DefaultValue Map<String, String> consumer) {
        }
    }
}
