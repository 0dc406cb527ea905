package io.orderly.projection;

import java.nio.file.Path;
import java.time.Duration;

import io.orderly.IntegrationTest;
import io.orderly.Orderly;
import io.orderly.TestIssuer;
import io.orderly.Workload;
import com.zaxxer.hikari.HikariDataSource;
import io.orderly.runtime.EmbeddedPostgresServer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL restarts while the application runs: the projector reconnects by itself and catches
 * up, and the read models end up equal to the write store. Runs an application of its own, with
 * its own servers, so that the restart disturbs no other test.
 */
class PostgresRestartIntegrationTests {

    @Test
    void projectorReconnectsAndCatchesUpAfterPostgresRestarts() {
        Path dataDir = Path.of("target", "it-data", "postgres-restart-" + System.nanoTime());
        try (ConfigurableApplicationContext application = new SpringApplicationBuilder(Orderly.class).run(TestIssuer.withArguments(
                "--server.port=0",
                "--orderly.embedded.data-dir=" + dataDir,
                "--orderly.embedded.postgres-port=0",
                "--orderly.embedded.redis-port=0",
                "--orderly.projector.slot-name=postgres_restart"))) {
            String port = application.getEnvironment().getProperty("local.server.port");
            HttpGraphQlTester graphQl = IntegrationTest.graphQlOn(Integer.parseInt(port));
            JdbcClient jdbc = application.getBean(JdbcClient.class);
            awaitApplied(graphQl, new Workload(graphQl, jdbc, 11L).run(30).lastToken());

            application.getBean(EmbeddedPostgresServer.class).restart();
            // The pool's connections died with the server; evict them so the next writes test the
            // projector's recovery rather than the pool's (each dead connection would fail one command).
            application.getBean(HikariDataSource.class).getHikariPoolMXBean().softEvictConnections();

            String token = new Workload(graphQl, jdbc, 12L).run(40).lastToken();
            awaitApplied(graphQl, token);
            assertThat(application.getBean(ReadModelCheck.class).differences()).isEmpty();
        }
    }

    private static void awaitApplied(HttpGraphQlTester graphQl, String token) {
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                graphQl.documentName("projectionConsistentWith").variable("token", token).execute()
                        .path("projection.state").entity(String.class).isEqualTo("STREAMING"));
    }
}
