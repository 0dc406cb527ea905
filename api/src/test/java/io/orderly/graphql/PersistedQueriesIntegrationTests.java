package io.orderly.graphql;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;

import io.orderly.Customers;
import io.orderly.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.graphql.MediaTypes;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static io.orderly.graphql.HttpTransportIntegrationTests.document;

/** Automatic persisted queries as Apollo's link sends them: the hash first, the text only when asked for. */
class PersistedQueriesIntegrationTests extends IntegrationTest {

    @Test
    void asksForTheTextOfAnUnknownHashThenRunsTheHashAlone() {
        String query = unique("projectionState");

        post(null, hashOf(query)).expectHeader().cacheControl(CacheControl.noCache().cachePrivate().mustRevalidate())
                .expectBody().jsonPath("$.errors[0].message").isEqualTo("PersistedQueryNotFound");
        assertProtocol(this::post, unique("projectionState"));
    }

    @Test
    void worksByGetToo() {
        assertProtocol(this::get, unique("projectionState"));
    }

    /** Hash alone, unknown: not found, with HTTP 200 and no data; hash and text: runs; then the hash alone runs. */
    private static void assertProtocol(BiFunction<String, String, WebTestClient.ResponseSpec> send, String query) {
        send.apply(null, hashOf(query))
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.errors[0].extensions.code").isEqualTo("PERSISTED_QUERY_NOT_FOUND")
                .jsonPath("$.data").doesNotExist();
        send.apply(query, hashOf(query))
                .expectStatus().isOk()
                .expectBody().jsonPath("$.data.projection.state").isNotEmpty();
        send.apply(null, hashOf(query))
                .expectStatus().isOk()
                .expectBody().jsonPath("$.data.projection.state").isNotEmpty();
    }

    @Test
    void refusesAHashThatDoesNotMatchTheText() {
        String query = unique("projectionState");

        post(query, hashOf(query + " "))
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].extensions.code").isEqualTo("BAD_REQUEST")
                .jsonPath("$.data").doesNotExist();
        post(null, hashOf(query + " "))
                .expectBody().jsonPath("$.errors[0].extensions.code").isEqualTo("PERSISTED_QUERY_NOT_FOUND");
    }

    @Test
    void aRegisteredMutationCannotBeSentByGetAsAHash() {
        String mutation = unique("registerCustomerWithoutRead");
        Map<String, Object> input = Map.of("input", Map.of("email", Customers.uniqueEmail(), "name", "Persisted"));
        http().post().uri("/graphql").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body(mutation, hashOf(mutation), input))
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.data.registerCustomer.customerId").isNotEmpty();

        http().get().uri("/graphql?extensions={extensions}&variables={variables}",
                        "{\"persistedQuery\":{\"version\":1,\"sha256Hash\":\"" + hashOf(mutation) + "\"}}",
                        "{\"input\":{\"email\":\"" + Customers.uniqueEmail() + "\",\"name\":\"By GET\"}}")
                .exchange()
                .expectStatus().isEqualTo(405)
                .expectHeader().valueEquals("Allow", "POST");
    }

    private WebTestClient.ResponseSpec post(String query, String hash) {
        return http().post().uri("/graphql").contentType(MediaType.APPLICATION_JSON).accept(MediaTypes.APPLICATION_GRAPHQL_RESPONSE)
                .bodyValue(body(query, hash, Map.of()))
                .exchange();
    }

    private WebTestClient.ResponseSpec get(String query, String hash) {
        String extensions = "{\"persistedQuery\":{\"version\":1,\"sha256Hash\":\"" + hash + "\"}}";
        WebTestClient.RequestHeadersSpec<?> request = query == null
                ? http().get().uri("/graphql?extensions={extensions}", extensions)
                : http().get().uri("/graphql?query={query}&extensions={extensions}", query, extensions);
        return request.accept(MediaTypes.APPLICATION_GRAPHQL_RESPONSE).exchange();
    }

    private static Map<String, Object> body(String query, String hash, Map<String, Object> variables) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (query != null) {
            body.put("query", query);
        }
        body.put("variables", variables);
        body.put("extensions", Map.of("persistedQuery", Map.of("version", 1, "sha256Hash", hash)));
        return body;
    }

    /** A document no other test has registered: the hash of a comment line makes it new. */
    private static String unique(String name) {
        return "# " + UUID.randomUUID() + "\n" + document(name);
    }

    private static String hashOf(String query) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(query.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
