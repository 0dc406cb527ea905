package io.orderly.projection;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.orderly.Customers;
import io.orderly.Customers.Registered;
import io.orderly.IntegrationTest;
import io.orderly.TestIssuer;
import io.orderly.Workload;
import io.orderly.cdc.readmodel.ReadModelKeys;
import io.orderly.feed.FeedReader;
import io.orderly.identity.UserRole;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.graphql.test.tester.WebSocketGraphQlTester;
import org.springframework.web.reactive.socket.client.StandardWebSocketClient;
import reactor.core.Disposable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An operator rebuilds the read models on demand while they keep serving: the next generation is
 * built beside them, reads and subscriptions go on throughout, and the switch is atomic.
 */
class RebuildIntegrationTests extends IntegrationTest {

    private static final Duration REBUILT = Duration.ofSeconds(120);

    @Autowired
    private ReadModelCheck check;

    @Autowired
    private FeedReader feed;

    @Autowired
    private RedisClient readModelRedisClient;

    private StatefulRedisConnection<String, String> spareDatabase;

    @BeforeEach
    void connectToTheSpareDatabase() {
        spareDatabase = readModelRedisClient.connect();
        spareDatabase.sync().select(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> feed.subscriptions() == 0);
    }

    @AfterEach
    void disconnect() {
        spareDatabase.close();
    }

    @Test
    void rebuildsBesideTheServedReadModelsWhileQueriesAndSubscriptionsGoOn() throws Exception {
        String token = new Workload(graphQl, jdbc, 31L).run(30).lastToken();
        graphQl.documentName("projectionConsistentWith").variable("token", token).execute().path("projection.state").hasValue();
        Registered known = Customers.register(graphQl, Customers.uniqueEmail(), "Known Before");
        String servedSlot = redis().get(ReadModelKeys.SLOT);
        String epoch = redis().get(ReadModelKeys.FEED_EPOCH);

        List<Map<String, Object>> events = Collections.synchronizedList(new ArrayList<>());
        List<String> subscriptionErrors = Collections.synchronizedList(new ArrayList<>());
        Disposable subscription = socket().documentName("customerChanges").executeSubscription()
                .toFlux("changes", Map.class)
                .subscribe(event -> events.add(event), error -> subscriptionErrors.add(String.valueOf(error.getMessage())));
        await().atMost(Duration.ofSeconds(10)).until(() -> feed.subscriptions() == 1);

        AtomicBoolean rebuilding = new AtomicBoolean(true);
        List<String> wrongReads = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger reads = new AtomicInteger();
        // Not the writer's subject: its reads would wait for the writes the rebuild has yet to apply.
        GraphQlTester readingStaff = graphQlAs(TestIssuer.token(TestIssuer.newSubject(), UserRole.STAFF));
        Thread reader = new Thread(() -> {
            while (rebuilding.get()) {
                String name = readingStaff.documentName("customer").variable("id", known.id()).execute()
                        .path("customer.name").entity(String.class).get();
                if (!"Known Before".equals(name)) {
                    wrongReads.add(String.valueOf(name));
                }
                reads.incrementAndGet();
            }
        });
        List<String> registeredDuringRebuild = Collections.synchronizedList(new ArrayList<>());
        Thread writer = new Thread(() -> {
            while (rebuilding.get()) {
                registeredDuringRebuild.add(Customers.registerWithoutRead(graphQl, Customers.uniqueEmail(), "During Rebuild").id());
            }
        });
        Set<String> statesSeen = ConcurrentHashMap.newKeySet();
        Instant requested = Instant.now();

        assertThat(projector.requestRebuild()).isTrue();
        reader.start();
        writer.start();
        await().atMost(REBUILT).pollInterval(Duration.ofMillis(100)).until(() -> {
            statesSeen.add(graphQl.documentName("projection").execute().path("projection.state").entity(String.class).get());
            return !servedSlot.equals(redis().get(ReadModelKeys.SLOT)) && projector.state().name().equals("STREAMING");
        });
        rebuilding.set(false);
        reader.join();
        writer.join();
        Registered last = Customers.register(graphQl, Customers.uniqueEmail(), "After Rebuild");
        registeredDuringRebuild.add(last.id());

        assertThat(statesSeen).contains("REBUILDING");
        assertThat(wrongReads).isEmpty();
        assertThat(reads.get()).isPositive();
        assertThat(registeredDuringRebuild).hasSizeGreaterThan(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> events.stream().anyMatch(event -> last.id().equals(event.get("id"))));
        subscription.dispose();
        assertThat(subscriptionErrors).isEmpty();
        List<Object> delivered = events.stream().map(event -> event.get("id")).filter(registeredDuringRebuild::contains).toList();
        assertThat(delivered).as("every customer registered during the rebuild, once, in order")
                .containsExactlyElementsOf(registeredDuringRebuild);
        assertThat(redis().get(ReadModelKeys.FEED_EPOCH)).as("the feed goes on, no resync").isEqualTo(epoch);

        GraphQlTester.Response status = graphQl.documentName("projection").execute();
        status.path("projection.snapshot.completedAt").entity(String.class)
                .satisfies(completedAt -> assertThat(Instant.parse(completedAt)).isAfter(requested));
        long total = status.path("projection.snapshot.rowsTotal").entity(Double.class).get().longValue();
        long done = status.path("projection.snapshot.rowsDone").entity(Double.class).get().longValue();
        assertThat(total).isPositive();
        assertThat(done).isGreaterThanOrEqualTo(total);
        assertThat(check.differences()).isEmpty();
        assertThat(redis().exists(ReadModelKeys.REBUILD_REQUEST)).isZero();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(spareDatabase.sync().dbsize()).as("the old generation is removed").isZero();
            assertThat(slots()).as("the old slot is dropped").containsExactly(redis().get(ReadModelKeys.SLOT));
        });
    }

    @Test
    void aRebuildInterruptedByARestartStartsAgainAndCompletes() {
        String servedSlot = redis().get(ReadModelKeys.SLOT);
        assertThat(projector.requestRebuild()).isTrue();
        assertThat(projector.requestRebuild()).as("one rebuild at a time").isFalse();
        await().atMost(REBUILT).until(() -> projector.state().name().equals("REBUILDING"));

        projector.stop();
        projector.start();

        await().atMost(REBUILT).until(() -> !servedSlot.equals(redis().get(ReadModelKeys.SLOT))
                && projector.state().name().equals("STREAMING"));
        Registered after = Customers.register(graphQl);
        graphQl.documentName("customerConsistentWith").variable("id", after.id()).variable("token", after.token()).execute()
                .path("customer.id").entity(String.class).isEqualTo(after.id());
        assertThat(check.differences()).isEmpty();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(spareDatabase.sync().dbsize()).isZero();
            assertThat(slots()).containsExactly(redis().get(ReadModelKeys.SLOT));
        });
    }

    private List<String> slots() {
        return jdbc.sql("SELECT slot_name FROM pg_replication_slots WHERE slot_name LIKE 'orderly%' ORDER BY slot_name")
                .query(String.class).list();
    }

}
