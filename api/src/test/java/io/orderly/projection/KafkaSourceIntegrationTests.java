package io.orderly.projection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import io.lettuce.core.Range;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.orderly.Customers;
import io.orderly.Customers.Registered;
import io.orderly.IntegrationTest;
import io.orderly.KafkaRecords;
import io.orderly.KafkaShape;
import io.orderly.OrderlyProcess;
import io.orderly.Orders;
import io.orderly.Products;
import io.orderly.TestIssuer;
import io.orderly.Workload;
import io.orderly.cdc.readmodel.ProjectorStatus;
import io.orderly.cdc.readmodel.ReadModelKeys;
import io.orderly.cdc.supervision.ProjectorSupervisor;
import io.orderly.feed.FeedReader;
import io.orderly.identity.UserRole;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.Disposable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Kafka shape end to end ({@link KafkaShape}): mutation, PostgreSQL, Debezium in Kafka Connect,
 * Kafka, the projector's Kafka source, Redis, then queries and subscriptions; the read models equal
 * PostgreSQL after concurrent writers, and after the projector, Connect or the broker stopped while writes went on.
 */
class KafkaSourceIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static final String STAFF = TestIssuer.token("staff-" + UUID.randomUUID(), UserRole.STAFF, UserRole.ADMIN);

    private HttpGraphQlTester graphQl;
    private JdbcClient jdbc;
    private ProjectorSupervisor projector;
    private ReadModelCheck check;

    @BeforeEach
    void kafkaShape() {
        graphQl = IntegrationTest.graphQlOn(KafkaShape.port());
        jdbc = KafkaShape.application().getBean(JdbcClient.class);
        projector = KafkaShape.application().getBean(ProjectorSupervisor.class);
        check = KafkaShape.application().getBean(ReadModelCheck.class);
    }

    @AfterEach
    void projectorRunsAgain() {
        if (!projector.isRunning()) {
            projector.start();
        }
    }

    @Test
    void aMutationReachesQueriesAndSubscriptionsThroughKafkaAndTheConsumerLagIsPublished() {
        Registered customer = Customers.registerWithoutRead(graphQl, Customers.uniqueEmail(), "Through Kafka");
        consistentRead(customer.token());
        graphQl.documentName("customer").variable("id", customer.id()).execute()
                .path("customer.email").entity(String.class).isEqualTo(customer.email());
        String productId = Products.create(graphQl, "4.00", 10);
        String orderId = Orders.place(graphQl, customer.id(), List.of(Orders.line(productId, 2))).acceptedId();
        ConcurrentLinkedQueue<Map<String, Object>> events = new ConcurrentLinkedQueue<>();
        Disposable subscription = IntegrationTest.socketOn(KafkaShape.port(), STAFF).documentName("orderChanged")
                .variable("id", orderId).executeSubscription().toFlux("orderChanged", Map.class)
                .subscribe(event -> events.add(event));
        try {
            await().atMost(WAIT).until(() -> KafkaShape.application().getBean(FeedReader.class).subscriptions() > 0);
            String token = Orders.Transition.PAY.apply(graphQl, orderId).consistencyToken();

            await().atMost(WAIT).until(() -> events.stream().anyMatch(event -> token.equals(event.get("consistencyToken"))));
            assertThat(events).anySatisfy(event -> assertThat(event).containsEntry("operation", "UPDATED"));
            assertThat(WebTestClient.bindToServer().baseUrl("http://localhost:" + KafkaShape.port())
                    .defaultHeader("Authorization", "Bearer " + STAFF).build()
                    .get().uri("/actuator/prometheus").exchange()
                    .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody())
                    .as("the consumer's lag is published").contains("kafka_consumer_fetch_manager_records_lag_max");
        }
        finally {
            subscription.dispose();
        }
    }

    @Test
    void rowsWrittenBeforeTheConnectorStartedArriveThroughItsSnapshot() {
        consistentRead(Customers.registerWithoutRead(graphQl, Customers.uniqueEmail(), "After The Snapshot").token());

        for (String id : KafkaShape.snapshotted()) {
            graphQl.documentName("customer").variable("id", id).execute()
                    .path("customer.name").entity(String.class).satisfies(name -> assertThat(name).startsWith("Snapshotted"));
        }
        graphQl.documentName("projection").execute().path("projection.state").entity(String.class).isEqualTo("STREAMING");
    }

    @Test
    void readModelsEqualTheWriteStoreAfterConcurrentWriters() {
        List<CompletableFuture<Workload>> writers = new ArrayList<>();
        for (long seed = 1; seed <= 3; seed++) {
            long writer = seed;
            writers.add(CompletableFuture.supplyAsync(
                    () -> new Workload(IntegrationTest.graphQlOn(KafkaShape.port()), jdbc, 20261201L + writer).run(40)));
        }
        List<Workload> workloads = writers.stream().map(CompletableFuture::join).toList();

        workloads.forEach(workload -> consistentRead(workload.lastToken()));
        assertThat(check.differences()).isEmpty();
        assertThat(feedDuplicates()).isEmpty();
    }

    @Test
    void projectorStoppedWhileMultiRowTransactionsStreamLosesDoublesAndHalvesNothing() {
        try (Writes writes = new Writes()) {
            for (int restart = 0; restart < 2; restart++) {
                writes.awaitMore(5);
                projector.stop();
                writes.awaitMore(3);
                projector.start();
            }
            writes.awaitMore(3);
            writes.stop();

            consistentRead(writes.lastToken());
            assertThat(writes.halfSeen()).isEmpty();
        }
        assertThat(check.differences()).isEmpty();
        assertThat(feedDuplicates()).isEmpty();
    }

    @Test
    void connectRestartedWhileWritesGoOnLosesAndDoublesNothing() {
        try (Writes writes = new Writes()) {
            writes.awaitMore(5);
            KafkaShape.stopConnect();
            writes.awaitMore(5);
            KafkaShape.startConnect();
            writes.awaitMore(5);
            writes.stop();

            consistentRead(writes.lastToken());
            assertThat(writes.halfSeen()).isEmpty();
        }
        assertThat(check.differences()).isEmpty();
        assertThat(feedDuplicates()).isEmpty();
        assertThat(KafkaRecords.rowsNamingAnotherCommitThanTheEndBeforeTheirs()).as("also after the connector's restart").isEmpty();
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void brokerRestartedWhileWritesGoOnLosesDoublesAndHalvesNothingAndTheProjectorResumesByItself(CapturedOutput output) {
        try (Writes writes = new Writes()) {
            // Down under the streaming consumer, which reconnects by itself.
            writes.awaitMore(5);
            KafkaShape.stopBroker();
            writes.awaitMore(5);
            KafkaShape.startBroker();
            writes.awaitMore(5);

            // Down while a source starts: its lookup of the topics times out, the supervisor takes
            // that for an unavailable source and starts another, until the broker answers again.
            int logged = output.getOut().length();
            KafkaShape.stopBroker();
            projector.stop();
            projector.start();
            writes.awaitMore(5);
            await().atMost(WAIT).until(() -> output.getOut().substring(logged).contains("The change source's servers do not answer"));
            KafkaShape.startBroker();
            writes.awaitMore(5);
            writes.stop();

            consistentRead(writes.lastToken());
            assertThat(writes.halfSeen()).isEmpty();
        }
        assertThat(projector.state()).isEqualTo(ProjectorStatus.State.STREAMING);
        assertThat(check.differences()).isEmpty();
        assertThat(feedDuplicates()).isEmpty();
    }

    @Test
    void standbyTakesOverFromAKilledProjectorProcessAndResumesFromItsKafkaOffsets() {
        JdbcConnectionDetails database = KafkaShape.application().getBean(JdbcConnectionDetails.class);
        RedisURI redisUri = KafkaShape.application().getBean(RedisURI.class);
        projector.stop();
        try (OrderlyProcess other = OrderlyProcess.start("kafka-projector", List.of(
                "--server.port=0",
                "--orderly.roles=projector",
                "--orderly.projector.lease-duration=3s",
                "--orderly.projector.source=kafka",
                "--orderly.projector.slot-name=kafka_projector",
                "--orderly.projector.kafka.bootstrap-servers=" + KafkaShape.brokers(),
                "--orderly.projector.kafka.topic-prefix=" + KafkaShape.TOPIC_PREFIX,
                "--spring.datasource.url=" + database.getJdbcUrl(),
                "--spring.datasource.username=" + database.getUsername(),
                "--spring.datasource.password=" + database.getPassword(),
                "--spring.data.redis.host=" + redisUri.getHost(),
                "--spring.data.redis.port=" + redisUri.getPort()));
                Writes writes = new Writes()) {
            await().atMost(WAIT).until(() -> leaseOwner().startsWith(other.pid() + "@")
                    && "STREAMING".equals(readModels().hget(ReadModelKeys.PROJECTOR_STATUS, "state")));
            projector.start();
            assertThat(projector.state()).as("this process stands by").isEqualTo(ProjectorStatus.State.STANDBY);
            writes.awaitMore(5);

            other.kill();
            await().atMost(WAIT).until(() -> leaseOwner().equals(projector.owner())
                    && projector.state() == ProjectorStatus.State.STREAMING);
            writes.awaitMore(3);
            writes.stop();

            consistentRead(writes.lastToken());
            assertThat(writes.halfSeen()).isEmpty();
        }
        assertThat(check.differences()).isEmpty();
        assertThat(feedDuplicates()).isEmpty();
    }

    private String leaseOwner() {
        String owner = readModels().get(ReadModelKeys.PROJECTOR_LEASE);
        return owner == null ? "" : owner;
    }

    @Test
    void rebuildsTheNextGenerationFromTheTopicsWhileTheServedOneGoesOn() {
        Registered before = Customers.register(graphQl, Customers.uniqueEmail(), "Before Kafka Rebuild");
        String servedSlot = readModels().get(ReadModelKeys.SLOT);

        assertThat(projector.requestRebuild()).isTrue();
        await().atMost(Duration.ofSeconds(120)).until(() -> !servedSlot.equals(readModels().get(ReadModelKeys.SLOT)));

        graphQl.documentName("customer").variable("id", before.id()).execute()
                .path("customer.name").entity(String.class).isEqualTo("Before Kafka Rebuild");
        Registered after = Customers.registerWithoutRead(graphQl, Customers.uniqueEmail(), "After Kafka Rebuild");
        consistentRead(after.token());
        assertThat(check.differences()).isEmpty();
    }

    private RedisCommands<String, String> readModels() {
        @SuppressWarnings("unchecked")
        StatefulRedisConnection<String, String> redis = KafkaShape.application().getBean("readModelConnection",
                StatefulRedisConnection.class);
        return redis.sync();
    }

    /** Feed entries that say the same change of the same document twice. */
    private List<String> feedDuplicates() {
        Set<String> seen = new HashSet<>();
        List<String> duplicates = new ArrayList<>();
        for (StreamMessage<String, String> entry : readModels().xrange(ReadModelKeys.FEED, Range.create("-", "+"))) {
            String change = entry.getBody().get("type") + " " + entry.getBody().get("id") + " " + entry.getBody().get("token");
            if (!seen.add(change)) {
                duplicates.add(change);
            }
        }
        return duplicates;
    }

    /**
     * Orders of three lines placed one after another on a thread of their own (each a transaction
     * of seven rows: the order, its lines and the stock of three products), while a second thread
     * reads the orders placed so far and notes any it sees with fewer lines than placed.
     */
    private final class Writes implements AutoCloseable {

        private final AtomicBoolean running = new AtomicBoolean(true);
        private final ConcurrentLinkedQueue<String> placed = new ConcurrentLinkedQueue<>();
        private final ConcurrentLinkedQueue<String> halfSeen = new ConcurrentLinkedQueue<>();
        private final List<String> products = new ArrayList<>();
        private final String customerId;
        private final CompletableFuture<String> writer;
        private final CompletableFuture<Void> reader;

        Writes() {
            customerId = Orders.customer(graphQl);
            for (int i = 0; i < 3; i++) {
                products.add(Products.create(graphQl, "2.50", 1_000_000));
            }
            writer = CompletableFuture.supplyAsync(this::write);
            reader = CompletableFuture.runAsync(this::read);
        }

        private String write() {
            GraphQlTester client = IntegrationTest.graphQlOn(KafkaShape.port());
            String token = null;
            while (running.get()) {
                var payload = Orders.place(client, customerId, products.stream().map(product -> Orders.line(product, 1)).toList());
                placed.add(payload.acceptedId());
                token = payload.consistencyToken();
            }
            return token;
        }

        private void read() {
            GraphQlTester client = IntegrationTest.graphQlOn(KafkaShape.port());
            while (running.get()) {
                List<String> recent = List.copyOf(placed);
                for (String orderId : recent.subList(Math.max(0, recent.size() - 5), recent.size())) {
                    Map<String, Object> data = client.documentName("order").variable("id", orderId).execute()
                            .returnResponse().getData();
                    if (data != null && data.get("order") instanceof Map<?, ?> order
                            && order.get("lines") instanceof List<?> lines && lines.size() != products.size()) {
                        halfSeen.add(orderId + " with " + lines.size() + " lines");
                    }
                }
            }
        }

        void awaitMore(int orders) {
            int target = placed.size() + orders;
            await().atMost(WAIT).until(() -> placed.size() >= target);
        }

        void stop() {
            running.set(false);
            writer.join();
            reader.join();
        }

        String lastToken() {
            return writer.join();
        }

        List<String> halfSeen() {
            return List.copyOf(halfSeen);
        }

        @Override
        public void close() {
            running.set(false);
        }
    }

    private void consistentRead(String token) {
        await().atMost(WAIT).until(() -> graphQl.documentName("projectionConsistentWith").variable("token", token).execute(),
                response -> response.returnResponse().getErrors().isEmpty());
    }
}
