package io.orderly;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.orderly.cdc.supervision.ProjectorSupervisor;
import io.orderly.identity.UserRole;
import io.orderly.projection.LargeTransactionIntegrationTests;
import io.orderly.projection.PoisonPill;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.graphql.client.WebSocketGraphQlClientInterceptor;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.graphql.test.tester.WebSocketGraphQlTester;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.socket.client.StandardWebSocketClient;
import reactor.core.publisher.Mono;

/**
 * Base of the integration tests: the whole application in its default shape (embedded PostgreSQL
 * and Redis, all roles) on a random port. Every subclass shares one application context, so the
 * servers start once per test JVM; tests isolate themselves by creating fresh data. The projector
 * also runs {@link PoisonPill}, which chokes on one customer name only. Tokens come from
 * {@link TestIssuer}; {@link #graphQl} and {@link #http()} act as staff with the ADMIN role.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(PoisonPill.class)
public abstract class IntegrationTest {

    private static final Path DATA_DIR = Path.of("target", "it-data", UUID.randomUUID().toString());

    /** The shared context's bound on a consistent read. */
    protected static final Duration CONSISTENCY_TIMEOUT = Duration.ofSeconds(4);

    /** What the tests act as unless they say otherwise: back-office staff who also administer. */
    protected static final String STAFF_TOKEN = TestIssuer.token("staff-" + UUID.randomUUID(), UserRole.STAFF, UserRole.ADMIN);

    @DynamicPropertySource
    static void embeddedServers(DynamicPropertyRegistry registry) {
        registry.add("orderly.embedded.data-dir", DATA_DIR::toString);
        registry.add("orderly.embedded.postgres-port", () -> 0);
        registry.add("orderly.embedded.redis-port", () -> 0);
        // The shared context's tests act as a few callers in quick succession, the staff one in
        // nearly every test; the rate limit and the subscription caps are tested in an application
        // of their own (TightLimits).
        registry.add("orderly.limits.rate.requests-per-second", () -> 1_000_000);
        registry.add("orderly.limits.rate.burst", () -> 1_000_000);
        registry.add("orderly.subscriptions.max-per-caller", () -> 1_000_000);
        // Longer than the default 2 s, which one write can take to project on a loaded 2-core
        // machine (a consistent read that gives up then fails a test about something else; once
        // even 3 s were not enough, in a full run), and shorter than the test clients' 5 s.
        registry.add("orderly.consistency.timeout", () -> CONSISTENCY_TIMEOUT.toString());
        // Low enough that a test's bulk statement of a few thousand rows is staged in parts.
        registry.add("orderly.projector.staging-threshold", () -> LargeTransactionIntegrationTests.STAGING_THRESHOLD);
        for (String setting : TestIssuer.settings()) {
            int equals = setting.indexOf('=');
            registry.add(setting.substring(0, equals), () -> setting.substring(equals + 1));
        }
    }

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcClient jdbc;

    @Autowired
    protected ProjectorSupervisor projector;

    @Autowired
    private StatefulRedisConnection<String, String> readModelConnection;

    protected HttpGraphQlTester graphQl;

    @BeforeEach
    void graphQlClient() {
        graphQl = graphQlAs(STAFF_TOKEN);
    }

    /** A GraphQL client that sends this bearer token with every request. */
    protected HttpGraphQlTester graphQlAs(String token) {
        return HttpGraphQlTester.create(http(token).mutate().baseUrl("http://localhost:" + port + "/graphql").build());
    }

    /** A GraphQL client that sends no token. */
    protected HttpGraphQlTester anonymousGraphQl() {
        return HttpGraphQlTester.create(anonymousHttp().mutate().baseUrl("http://localhost:" + port + "/graphql").build());
    }

    /** An HTTP client acting as staff (with the ADMIN role), like {@link #graphQl}. */
    protected WebTestClient http() {
        return http(STAFF_TOKEN);
    }

    protected WebTestClient http(String token) {
        return anonymousHttp().mutate().defaultHeader("Authorization", "Bearer " + token).build();
    }

    /** A graphql-ws client whose {@code connection_init} carries this token (none when null). */
    protected WebSocketGraphQlTester socketAs(@Nullable String token) {
        return socketOn(port, token);
    }

    /** A graphql-ws client acting as staff, like {@link #graphQl}. */
    protected WebSocketGraphQlTester socket() {
        return socketAs(STAFF_TOKEN);
    }

    public static WebSocketGraphQlTester socketOn(int port, @Nullable String token) {
        WebSocketGraphQlTester.Builder<?> builder = WebSocketGraphQlTester.builder(
                URI.create("ws://localhost:" + port + "/graphql"), new StandardWebSocketClient());
        if (token != null) {
            builder.interceptor(new WebSocketGraphQlClientInterceptor() {
                @Override
                public Mono<Object> connectionInitPayload() {
                    return Mono.just(Map.of("Authorization", "Bearer " + token));
                }
            });
        }
        return builder.build();
    }

    /**
     * A GraphQL client acting as staff for another application on this port; patient, since such an
     * application's first requests pay for its warm-up on a machine the suite keeps busy.
     */
    public static HttpGraphQlTester graphQlOn(int port) {
        Duration patience = Duration.ofSeconds(30);
        return HttpGraphQlTester.builder(WebTestClient.bindToServer().baseUrl("http://localhost:" + port + "/graphql")
                        .responseTimeout(patience)
                        .defaultHeader("Authorization", "Bearer " + STAFF_TOKEN))
                .responseTimeout(patience)
                .build();
    }

    protected WebTestClient anonymousHttp() {
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
    }

    protected RedisCommands<String, String> redis() {
        return readModelConnection.sync();
    }
}
