package io.orderly.customer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.orderly.Customers;
import io.orderly.Customers.Registered;
import io.orderly.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.graphql.MediaTypes;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/** A client that passes the mutation's consistency token reads its own write, every time. */
class ReadYourWritesIntegrationTests extends IntegrationTest {

    /** A write the projector will never have applied: a WAL position far ahead, and a transaction id never applied. */
    private static final String UNREACHED_TOKEN = "7FFFFFFF/FFFFFFFF@4294967295";

    @Test
    void everyRegistrationIsReadableWithItsTokenRightAway() {
        for (int round = 0; round < 100; round++) {
            Registered customer = Customers.register(graphQl);

            graphQl.documentName("customerConsistentWith")
                    .variable("id", customer.id()).variable("token", customer.token())
                    .execute()
                    .path("customer.id").entity(String.class).isEqualTo(customer.id())
                    .path("customer.email").entity(String.class).isEqualTo(customer.email());
        }
    }

    @Test
    void everyUpdateIsReadableWithItsTokenRightAway() {
        Registered customer = Customers.register(graphQl);
        for (int version = 1; version <= 20; version++) {
            String token = graphQl.documentName("updateCustomer")
                    .variable("input", Map.of("id", customer.id(), "expectedVersion", version, "name", "Name " + version))
                    .execute()
                    .path("updateCustomer.consistencyToken").entity(String.class).get();

            graphQl.documentName("customerConsistentWith")
                    .variable("id", customer.id()).variable("token", token)
                    .execute()
                    .path("customer.name").entity(String.class).isEqualTo("Name " + version)
                    .path("customer.version").entity(Integer.class).isEqualTo(version + 1);
        }
    }

    @Test
    void aNullTokenWaitsForNothing() {
        Registered customer = Customers.register(graphQl);

        graphQl.documentName("customerConsistentWith")
                .variable("id", customer.id()).variable("token", null)
                .execute()
                .path("customer.id").entity(String.class).isEqualTo(customer.id());
    }

    @Test
    void aTimedOutReadIsAFieldErrorWithARetryHint() {
        Registered customer = Customers.register(graphQl);

        graphQl.documentName("customerConsistentWith")
                .variable("id", customer.id()).variable("token", UNREACHED_TOKEN)
                .execute()
                .errors().satisfy(errors -> assertThat(errors).singleElement().satisfies(error -> {
                    assertThat(error.getExtensions()).containsEntry("code", "CONSISTENCY_TIMEOUT")
                            .containsEntry("retryAfterMillis", (int) CONSISTENCY_TIMEOUT.toMillis());
                    assertThat(error.getParsedPath()).containsExactly("customer");
                }))
                .path("customer").valueIsNull();
    }

    @Test
    void aTimedOutReadOfANonNullFieldNullsTheDataWithStatus200() throws IOException {
        String query = new ClassPathResource("graphql-test/projectionConsistentWith.graphql").getContentAsString(StandardCharsets.UTF_8);

        http().post().uri("/graphql").contentType(MediaType.APPLICATION_JSON).accept(MediaTypes.APPLICATION_GRAPHQL_RESPONSE)
                .bodyValue(Map.of("query", query, "variables", Map.of("token", UNREACHED_TOKEN)))
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.data").isEmpty()
                .jsonPath("$.errors[0].extensions.code").isEqualTo("CONSISTENCY_TIMEOUT")
                .jsonPath("$.errors[0].path[0]").isEqualTo("projection");
    }

    @ParameterizedTest
    @ValueSource(strings = { "yesterday", "FFFFFFFF/FFFFFFFF@1", "80000000/0@1" })
    void refusesAMalformedToken(String token) {
        graphQl.documentName("customerConsistentWith")
                .variable("id", "6f1c1a52-0000-4000-8000-000000000000").variable("token", token)
                .execute()
                .errors().satisfy(errors -> assertThat(errors).singleElement().satisfies(error -> {
                    assertThat(error.getExtensions()).containsEntry("code", "BAD_USER_INPUT");
                    assertThat(error.getMessage()).contains("malformed consistency token");
                }))
                .path("customer").pathDoesNotExist();
    }
}
