package io.orderly;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.orderly.Customers.Registered;
import io.orderly.runtime.EmbeddedPostgresServer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.test.web.reactive.server.WebTestClient;
import redis.embedded.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The default shape: with no connection settings the application starts its own PostgreSQL and
 * Redis, keeps their data across a restart, and leaves nothing running when it stops.
 */
class ZeroSetupIntegrationTests {

    @Test
    void keepsDataAcrossARestartAndStopsItsServers() throws IOException {
        Path dataDir = Files.createDirectories(Path.of("target", "it-data", "zero-setup-" + System.nanoTime()));

        Registered customer;
        String snapshotStartedAt;
        int postgresPort;
        int redisPort;
        String token;
        try (ConfigurableApplicationContext first = start(dataDir)) {
            token = developmentToken(first);
            HttpGraphQlTester graphQl = graphQl(first, token);
            customer = Customers.register(graphQl);
            snapshotStartedAt = graphQl.documentName("projection").execute()
                    .path("projection.snapshot.startedAt").entity(String.class).get();
            postgresPort = first.getBean(EmbeddedPostgresServer.class).port();
            redisPort = first.getBean(RedisServer.class).ports().get(0);
            assertThat(Files.exists(dataDir.resolve("postgres").resolve("PG_VERSION"))).isTrue();
        }

        assertThat(accepts(postgresPort)).as("PostgreSQL still listening").isFalse();
        assertThat(accepts(redisPort)).as("Redis still listening").isFalse();

        try (ConfigurableApplicationContext second = start(dataDir)) {
            // The development issuer keeps its key in the data folder: the first run's token still works.
            HttpGraphQlTester graphQl = graphQl(second, token);
            graphQl.documentName("customer").variable("id", customer.id()).execute()
                    .path("customer.email").entity(String.class).isEqualTo(customer.email());
            // Resumed from the stored position rather than rebuilt from a new snapshot.
            graphQl.documentName("projection").execute()
                    .path("projection.snapshot.startedAt").entity(String.class).isEqualTo(snapshotStartedAt);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> graphQl.documentName("projection").execute()
                    .path("projection.state").entity(String.class).isEqualTo("STREAMING"));
            Registered another = Customers.register(graphQl);
            assertThat(another.id()).isNotEqualTo(customer.id());
        }
    }

    private static ConfigurableApplicationContext start(Path dataDir) {
        return new SpringApplicationBuilder(Orderly.class).run(
                "--server.port=0",
                "--orderly.embedded.data-dir=" + dataDir,
                "--orderly.embedded.postgres-port=0",
                "--orderly.embedded.redis-port=0",
                // A slot name of its own keeps this engine's metrics apart from the shared test context's.
                "--orderly.projector.slot-name=zero_setup");
    }

    /** A staff token from the development issuer that the zero-setup shape runs. */
    @SuppressWarnings("unchecked")
    private static String developmentToken(ConfigurableApplicationContext context) {
        String port = context.getEnvironment().getProperty("local.server.port");
        Map<String, Object> response = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build()
                .post().uri("/dev-issuer/token?sub=zero-setup&roles=STAFF,ADMIN")
                .exchange()
                .expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(response).containsEntry("token_type", "Bearer");
        return (String) response.get("access_token");
    }

    private static HttpGraphQlTester graphQl(ConfigurableApplicationContext context, String token) {
        String port = context.getEnvironment().getProperty("local.server.port");
        return HttpGraphQlTester.create(WebTestClient.bindToServer().baseUrl("http://localhost:" + port + "/graphql")
                .defaultHeader("Authorization", "Bearer " + token).build());
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        }
        catch (IOException e) {
            return false;
        }
    }
}
