package io.orderly.projection;

import java.net.ServerSocket;
import java.time.Duration;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.orderly.Customers;
import io.orderly.Customers.Registered;
import io.orderly.IntegrationTest;
import io.orderly.Orderly;
import io.orderly.TestIssuer;
import io.orderly.cdc.readmodel.ReadModelKeys;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.test.web.reactive.server.WebTestClient;
import redis.embedded.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A query process reads from a real Redis replica while the projector writes the primary, and
 * read-your-writes tokens still hold: the wait uses the watermark as the replica sees it. A rebuild
 * reaches the replica too: the switch (SWAPDB) is replicated, and the replica keeps answering.
 */
class ReadReplicaIntegrationTests extends IntegrationTest {

    @Autowired
    private JdbcConnectionDetails database;

    @Autowired
    private RedisURI redisUri;

    @Test
    void queryProcessReadsItsWritesFromAReplicaAlsoAcrossARebuild() throws Exception {
        int replicaPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            replicaPort = socket.getLocalPort();
        }
        RedisServer replica = RedisServer.newRedisServer().port(replicaPort).bind("127.0.0.1")
                .slaveOf("127.0.0.1", redisUri.getPort()).setting("save \"\"").build();
        replica.start();
        RedisClient replicaClient = RedisClient.create(RedisURI.create("127.0.0.1", replicaPort));
        try (StatefulRedisConnection<String, String> replicaConnection = replicaClient.connect()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> replicaConnection.sync().info("replication").contains("master_link_status:up"));
            try (ConfigurableApplicationContext queries = new SpringApplicationBuilder(Orderly.class).run(TestIssuer.withArguments(
                    "--server.port=0",
                    "--orderly.roles=query",
                    "--orderly.query.redis-url=redis://127.0.0.1:" + replicaPort,
                    "--spring.datasource.url=" + database.getJdbcUrl(),
                    "--spring.datasource.username=" + database.getUsername(),
                    "--spring.datasource.password=" + database.getPassword(),
                    "--spring.data.redis.host=" + redisUri.getHost(),
                    "--spring.data.redis.port=" + redisUri.getPort()))) {
                HttpGraphQlTester queryProcess = graphQlOn(Integer.parseInt(queries.getEnvironment().getProperty("local.server.port")));

                for (int i = 0; i < 20; i++) {
                    Registered customer = Customers.registerWithoutRead(graphQl, Customers.uniqueEmail(), "Replica " + i);
                    queryProcess.documentName("customerConsistentWith")
                            .variable("id", customer.id()).variable("token", customer.token())
                            .execute()
                            .path("customer.email").entity(String.class).isEqualTo(customer.email());
                }
                assertThat(replicaConnection.sync().clientList()).contains("name=orderly-query");

                Registered before = Customers.register(graphQl, Customers.uniqueEmail(), "Before Rebuild");
                String servedSlot = redis().get(ReadModelKeys.SLOT);
                assertThat(projector.requestRebuild()).isTrue();
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                int readsDuringRebuild = 0;
                while (servedSlot.equals(replicaConnection.sync().get(ReadModelKeys.SLOT))) {
                    assertThat(System.nanoTime()).as("the switch reached the replica within 120 s").isLessThan(deadline);
                    queryProcess.documentName("customer").variable("id", before.id()).execute()
                            .path("customer.name").entity(String.class).isEqualTo("Before Rebuild");
                    readsDuringRebuild++;
                }
                assertThat(readsDuringRebuild).isPositive();
                queryProcess.documentName("customer").variable("id", before.id()).execute()
                        .path("customer.name").entity(String.class).isEqualTo("Before Rebuild");
                Registered after = Customers.registerWithoutRead(graphQl, Customers.uniqueEmail(), "After Rebuild");
                // The engine on the new slot may still be starting; a consistent read gives up after 2 s.
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> queryProcess.documentName("customerConsistentWith")
                        .variable("id", after.id()).variable("token", after.token())
                        .execute()
                        .path("customer.email").entity(String.class).isEqualTo(after.email()));
            }
        }
        finally {
            replicaClient.shutdown();
            replica.stop();
        }
    }
}
