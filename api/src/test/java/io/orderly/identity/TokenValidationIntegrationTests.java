package io.orderly.identity;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.stream.Stream;

import io.orderly.IntegrationTest;
import io.orderly.TestIssuer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tokens are validated as a resource server does, on HTTP and on graphql-ws alike: signature,
 * expiry, not-before, issuer, audience and a subject; an unsigned token is no token. A refused token is a 401
 * with {@code WWW-Authenticate: Bearer} over HTTP, and closes a graphql-ws connection with 4403.
 */
class TokenValidationIntegrationTests extends IntegrationTest {

    private static final String PRODUCTS = "{ products(first: 1) { totalCount } }";

    static Stream<Arguments> refusedTokens() {
        String subject = TestIssuer.newSubject();
        Instant now = Instant.now();
        return Stream.of(
                Arguments.of("expired", TestIssuer.token(subject,
                        claims -> claims.expirationTime(Date.from(now.minusSeconds(120))), UserRole.STAFF)),
                Arguments.of("not yet valid", TestIssuer.token(subject,
                        claims -> claims.notBeforeTime(Date.from(now.plusSeconds(600))), UserRole.STAFF)),
                Arguments.of("signed by another key", TestIssuer.tokenSignedByAnotherKey(subject, UserRole.STAFF)),
                Arguments.of("of another issuer", TestIssuer.token(subject,
                        claims -> claims.issuer("https://elsewhere.example"), UserRole.STAFF)),
                Arguments.of("for another audience", TestIssuer.token(subject,
                        claims -> claims.audience("someone-else"), UserRole.STAFF)),
                Arguments.of("unsigned (alg: none)", TestIssuer.unsignedToken(subject, UserRole.STAFF)),
                Arguments.of("without a subject", TestIssuer.token(subject, claims -> claims.subject(null), UserRole.STAFF)),
                Arguments.of("not a JWT", "not-a-token"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedTokens")
    void refusesAnInvalidTokenOverHttpWith401(String kind, String token) {
        http(token).post().uri("/graphql").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("query", PRODUCTS))
                .exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().value(HttpHeaders.WWW_AUTHENTICATE, value -> assertThat(value).startsWith("Bearer"))
                .expectBody()
                .jsonPath("$.errors[0].extensions.code").isEqualTo("UNAUTHENTICATED");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedTokens")
    void closesAGraphQlWsConnectionWithAnInvalidTokenWith4403(String kind, String token) throws Exception {
        try (RawGraphQlSocket socket = RawGraphQlSocket.open(port)) {
            socket.init(token).subscribe("1", "subscription { changes { id } }");

            assertThat(socket.closeCode(Duration.ofSeconds(10))).isEqualTo(4403);
            assertThat(socket.messages()).noneMatch(message -> message.contains("connection_ack") || message.contains("\"next\""));
        }
    }

    @Test
    void answersAnAnonymousRequestForTheCatalog() {
        anonymousGraphQl().document(PRODUCTS).execute().path("products.totalCount").hasValue();
    }

    @Test
    void refusesASubscribeBeforeTheConnectionIsInitialised() throws Exception {
        try (RawGraphQlSocket socket = RawGraphQlSocket.open(port)) {
            socket.subscribe("1", "subscription { changes { id } }");

            assertThat(socket.closeCode(Duration.ofSeconds(10))).isEqualTo(4401);
        }
    }

    @Test
    void anAnonymousConnectionMayWatchTheCatalogButNotOrders() throws Exception {
        try (RawGraphQlSocket socket = RawGraphQlSocket.open(port)) {
            socket.send("{\"type\":\"connection_init\",\"payload\":{}}");
            await().until(() -> socket.messages().stream().anyMatch(message -> message.contains("connection_ack")));

            socket.subscribe("orders", "subscription { orderChanged(id: \"6f1c1a52-0000-4000-8000-000000000000\") { cursor } }");

            await().untilAsserted(() -> assertThat(socket.messages()).anySatisfy(message ->
                    assertThat(message).contains("\"id\":\"orders\"").contains("UNAUTHENTICATED")));
            assertThat(socket.isClosed()).isFalse();
        }
    }

    @Test
    void closesTheConnectionWhenItsTokenExpires() throws Exception {
        String shortLived = TestIssuer.token(TestIssuer.newSubject(),
                claims -> claims.expirationTime(Date.from(Instant.now().plusSeconds(3))), UserRole.STAFF);
        try (RawGraphQlSocket socket = RawGraphQlSocket.open(port)) {
            socket.init(shortLived).subscribe("1", "subscription { changes { id } }");
            await().until(() -> socket.messages().stream().anyMatch(message -> message.contains("connection_ack")));
            assertThat(socket.isClosed()).as("open while the token is valid").isFalse();

            assertThat(socket.closeCode(Duration.ofSeconds(15))).isEqualTo(4403);
        }
    }
}
