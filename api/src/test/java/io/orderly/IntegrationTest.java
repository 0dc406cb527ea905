package io.orderly;

import java.nio.file.Path;
import java.util.UUID;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.orderly.cdc.DebeziumProjector;
import io.orderly.projection.PoisonPill;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Base of the integration tests: the whole application in its default shape (embedded PostgreSQL
 * and Redis, all roles) on a random port. Every subclass shares one application context, so the
 * servers start once per test JVM; tests isolate themselves by creating fresh data. The projector
 * also runs {@link PoisonPill}, which chokes on one customer name only.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(PoisonPill.class)
public abstract class IntegrationTest {

    private static final Path DATA_DIR = Path.of("target", "it-data", UUID.randomUUID().toString());

    @DynamicPropertySource
    static void embeddedServers(DynamicPropertyRegistry registry) {
        registry.add("orderly.embedded.data-dir", DATA_DIR::toString);
        registry.add("orderly.embedded.postgres-port", () -> 0);
        registry.add("orderly.embedded.redis-port", () -> 0);
    }

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcClient jdbc;

    @Autowired
    protected DebeziumProjector projector;

    @Autowired
    private StatefulRedisConnection<String, String> readModelConnection;

    protected HttpGraphQlTester graphQl;

    @BeforeEach
    void graphQlClient() {
        graphQl = HttpGraphQlTester.create(http().mutate().baseUrl("http://localhost:" + port + "/graphql").build());
    }

    protected WebTestClient http() {
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
    }

    protected RedisCommands<String, String> redis() {
        return readModelConnection.sync();
    }
}
