package io.orderly;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.orderly.cdc.source.EngineConfiguration;
import io.orderly.projection.LargeTransactionIntegrationTests;
import io.orderly.projection.PoisonPill;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.connect.connector.policy.ConnectorClientConfigOverridePolicy;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.runtime.Herder;
import org.apache.kafka.connect.runtime.Worker;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.runtime.isolation.Plugins;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorInfo;
import org.apache.kafka.connect.runtime.standalone.StandaloneConfig;
import org.apache.kafka.connect.runtime.standalone.StandaloneHerder;
import org.apache.kafka.connect.storage.FileOffsetBackingStore;
import org.apache.kafka.connect.util.FutureCallback;
import org.postgresql.Driver;
import org.postgresql.PGProperty;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.graphql.test.tester.HttpGraphQlTester;

/**
 * Orderly in the Kafka shape, all in the test JVM: a single-node KRaft Kafka broker that can be
 * restarted ({@link KafkaBroker}), an Orderly
 * application (embedded PostgreSQL and Redis of its own, every role) whose projector reads Kafka
 * ({@code orderly.projector.source=kafka}), and a Kafka Connect worker (standalone, offsets in a
 * file so that it resumes after a restart) running Debezium's PostgreSQL connector against that
 * PostgreSQL, with a replication slot of its own. Started on first use and shared by every test
 * that needs it, stopped when the test JVM exits.
 *
 * <p>The projector's consumer reads at most {@value #RECORDS_PER_POLL} records per poll, so that a
 * multi-row transaction is read over several polls and a stop lands in the middle of one. As in the
 * shared test context, the projector stages a transaction of more than 500 rows, and runs
 * {@link PoisonPill}.
 */
public final class KafkaShape {

    /**
     * The connector's topic prefix, which also names its JMX metrics: it must differ from the slot
     * of every embedded engine in the same JVM ({@code orderly} in the shared test context), or one
     * of them waits a minute for the other's metrics to go.
     */
    public static final String TOPIC_PREFIX = "kafkashape";

    /** The replication slot of the connector, which the projector never touches. */
    public static final String CONNECTOR_SLOT = "orderly_connect";

    static final int RECORDS_PER_POLL = 5;

    private static final String CONNECTOR = "orderly-postgres";

    private static KafkaBroker broker;
    private static ConfigurableApplicationContext application;
    private static StandaloneHerder herder;
    private static Map<String, String> workerProperties;
    private static final List<String> snapshotted = new ArrayList<>();

    private KafkaShape() {
    }

    public static synchronized ConfigurableApplicationContext application() {
        if (application == null) {
            start(Path.of("target", "it-data", "kafka-shape-" + System.nanoTime()), 0, true, List.of(PoisonPill.class),
                    TestIssuer.withArguments(
                            "--server.port=0",
                            "--orderly.embedded.postgres-port=0",
                            "--orderly.embedded.redis-port=0",
                            "--orderly.limits.rate.requests-per-second=1000000",
                            "--orderly.limits.rate.burst=1000000",
                            "--orderly.subscriptions.max-per-caller=1000000",
                            "--orderly.projector.kafka.consumer.max.poll.records=" + RECORDS_PER_POLL,
                            "--orderly.projector.staging-threshold=" + LargeTransactionIntegrationTests.STAGING_THRESHOLD));
        }
        return application;
    }

    /** Customers registered before the connector first started, which reached the read models through its snapshot. */
    public static List<String> snapshotted() {
        application();
        return snapshotted;
    }

    /**
     * Starts the broker (on {@code kafkaPort}, any free port when 0), the application with these
     * arguments and its data in {@code data}, then the Connect worker; all stop when the JVM exits.
     *
     * @param seedSnapshot whether to register a few customers (as the test issuer's staff) before
     * the connector starts, for the tests of its snapshot
     * @param components further beans of the application, such as {@link PoisonPill}
     */
    static synchronized void start(Path data, int kafkaPort, boolean seedSnapshot, List<Class<?>> components, String... arguments) {
        Path dataDir = data.toAbsolutePath();
        broker = new KafkaBroker(dataDir.resolve("kafka"), kafkaPort);
        broker.start();
        List<String> all = new ArrayList<>(List.of(arguments));
        all.add("--orderly.embedded.data-dir=" + dataDir);
        all.add("--orderly.projector.source=kafka");
        all.add("--orderly.projector.slot-name=kafka_projector");
        all.add("--orderly.projector.kafka.bootstrap-servers=" + broker.bootstrapServers());
        all.add("--orderly.projector.kafka.topic-prefix=" + TOPIC_PREFIX);
        application = new SpringApplicationBuilder(Orderly.class).sources(components.toArray(Class<?>[]::new))
                .run(all.toArray(String[]::new));
        if (seedSnapshot) {
            // Data the connector's snapshot, rather than its stream, brings to the projector.
            HttpGraphQlTester graphQl = IntegrationTest.graphQlOn(port());
            for (int i = 0; i < 3; i++) {
                snapshotted.add(Customers.registerWithoutRead(graphQl, Customers.uniqueEmail(), "Snapshotted " + i).id());
            }
        }
        workerProperties = Map.of(
                "bootstrap.servers", broker.bootstrapServers(),
                "key.converter", "org.apache.kafka.connect.json.JsonConverter",
                "value.converter", "org.apache.kafka.connect.json.JsonConverter",
                "offset.storage.file.filename", dataDir.resolve("connect.offsets").toString(),
                "offset.flush.interval.ms", "1000",
                "plugin.discovery", "service_load");
        startConnect();
        Runtime.getRuntime().addShutdownHook(new Thread(KafkaShape::stopAll, "kafka-shape-stop"));
    }

    /** The broker's address. */
    public static String brokers() {
        return broker.bootstrapServers();
    }

    /** Stops the broker; the projector's consumer and Connect's clients keep trying its address. */
    public static synchronized void stopBroker() {
        broker.stop();
    }

    /** Starts the broker again, on the same port and over the same log, and returns once it takes clients. */
    public static synchronized void startBroker() {
        broker.start();
    }

    public static int port() {
        return Integer.parseInt(application().getEnvironment().getProperty("local.server.port"));
    }

    /**
     * Starts the Connect worker and its connector, which resumes from the offsets the last worker
     * committed. Built as {@code connect-standalone} builds it, less the REST server, which nothing
     * here calls.
     */
    public static synchronized void startConnect() {
        ClassLoader original = Thread.currentThread().getContextClassLoader();
        try {
            Files.createDirectories(Path.of(workerProperties.get("offset.storage.file.filename")).getParent());
            Plugins plugins = new Plugins(workerProperties);
            plugins.compareAndSwapWithDelegatingLoader();
            StandaloneConfig config = new StandaloneConfig(workerProperties);
            FileOffsetBackingStore offsets = new FileOffsetBackingStore(
                    plugins.newInternalConverter(true, JsonConverter.class.getName(), Map.of("schemas.enable", "false")));
            offsets.configure(config);
            ConnectorClientConfigOverridePolicy policy = plugins.newPlugin(
                    config.getString(WorkerConfig.CONNECTOR_CLIENT_POLICY_CLASS_CONFIG), config, ConnectorClientConfigOverridePolicy.class);
            Worker worker = new Worker("orderly-connect", Time.SYSTEM, plugins, config, offsets, policy);
            herder = new StandaloneHerder(worker, config.kafkaClusterId(), policy);
            herder.start();
            Map<String, String> connector = connectorConfiguration();
            FutureCallback<ConfigInfos> validated = new FutureCallback<>();
            herder.validateConnectorConfig(connector, validated);
            List<String> errors = validated.get(30, TimeUnit.SECONDS).values().stream()
                    .filter(info -> info.configValue() != null && !info.configValue().errors().isEmpty())
                    .map(info -> info.configValue().name() + ": " + info.configValue().errors())
                    .toList();
            if (!errors.isEmpty()) {
                throw new IllegalStateException("The connector configuration is refused: " + errors);
            }
            FutureCallback<Herder.Created<ConnectorInfo>> created = new FutureCallback<>();
            herder.putConnectorConfig(CONNECTOR, connector, true, created);
            created.get(30, TimeUnit.SECONDS);
        }
        catch (Exception e) {
            throw new IllegalStateException("Kafka Connect did not start", e);
        }
        finally {
            Thread.currentThread().setContextClassLoader(original);
        }
    }

    /** Stops the Connect worker gracefully: its connector commits its offsets, and the slot keeps the rest. */
    public static synchronized void stopConnect() {
        herder.stop();
    }

    /** The connector as docs/kafka.md describes it, against the application's PostgreSQL. */
    private static Map<String, String> connectorConfiguration() {
        JdbcConnectionDetails database = application.getBean(JdbcConnectionDetails.class);
        Properties url = Driver.parseURL(database.getJdbcUrl(), null);
        Map<String, String> config = new HashMap<>();
        config.put("name", CONNECTOR);
        config.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        config.put("tasks.max", "1");
        config.put("database.hostname", PGProperty.PG_HOST.getOrDefault(url));
        config.put("database.port", PGProperty.PG_PORT.getOrDefault(url));
        config.put("database.dbname", PGProperty.PG_DBNAME.getOrDefault(url));
        config.put("database.user", database.getUsername());
        config.put("database.password", database.getPassword() == null ? "" : database.getPassword());
        config.put("topic.prefix", TOPIC_PREFIX);
        config.put("plugin.name", "pgoutput");
        config.put("slot.name", CONNECTOR_SLOT);
        config.put("publication.name", "orderly");
        config.put("publication.autocreate.mode", "disabled");
        config.put("table.include.list", "public.customers,public.products,public.orders,public.order_lines,public."
                + EngineConfiguration.HEARTBEAT_TABLE);
        config.put("provide.transaction.metadata", "true");
        config.put("decimal.handling.mode", "string");
        config.put("tombstones.on.delete", "false");
        config.put("poll.interval.ms", "20");
        config.put("heartbeat.interval.ms", "1000");
        config.put("heartbeat.action.query", "INSERT INTO " + EngineConfiguration.HEARTBEAT_TABLE
                + " (id, beat_at) VALUES (1, now()) ON CONFLICT (id) DO UPDATE SET beat_at = excluded.beat_at");
        // Table topics with three partitions, so that one transaction's rows spread over several;
        // the transaction topic with one, which keeps the ENDs in commit order.
        config.put("topic.creation.default.replication.factor", "1");
        config.put("topic.creation.default.partitions", "3");
        config.put("topic.creation.groups", "transactions");
        config.put("topic.creation.transactions.include", TOPIC_PREFIX + "\\.transaction");
        config.put("topic.creation.transactions.replication.factor", "1");
        config.put("topic.creation.transactions.partitions", "1");
        return config;
    }

    private static void stopAll() {
        try {
            herder.stop();
        }
        finally {
            application.close();
            broker.stop();
        }
    }
}
