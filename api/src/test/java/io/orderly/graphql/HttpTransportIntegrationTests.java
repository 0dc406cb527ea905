package io.orderly.graphql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.orderly.Customers;
import io.orderly.Customers.Registered;
import io.orderly.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import org.springframework.graphql.MediaTypes;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** GraphQL over HTTP as clients send it by default: queries by GET or POST, every error with a code. */
class HttpTransportIntegrationTests extends IntegrationTest {

    @Test
    void runsAQuerySentByGet() {
        get("query", document("projectionState"))
                .expectStatus().isOk()
                .expectBody().jsonPath("$.data.projection.state").isNotEmpty();
    }

    @Test
    void runsAQueryWithVariablesAndOperationNameSentByGet() {
        Registered customer = Customers.register(graphQl);

        get("query", document("customer"), "variables", "{\"id\":\"" + customer.id() + "\"}", "operationName", "customer")
                .expectStatus().isOk()
                .expectBody().jsonPath("$.data.customer.email").isEqualTo(customer.email());
    }

    @Test
    void refusesAMutationSentByGet() {
        String input = "{\"input\":{\"email\":\"" + Customers.uniqueEmail() + "\",\"name\":\"By GET\"}}";

        get("query", document("registerCustomerWithoutRead"), "variables", input)
                .expectStatus().isEqualTo(405)
                .expectHeader().valueEquals("Allow", "POST")
                .expectBody().jsonPath("$.errors[0].extensions.code").isEqualTo("METHOD_NOT_ALLOWED")
                .jsonPath("$.data").doesNotExist();
    }

    @Test
    void refusesASubscriptionSentByGet() {
        get("query", document("customerChanges"))
                .expectStatus().isEqualTo(405)
                .expectHeader().valueEquals("Allow", "POST");
    }

    @Test
    void refusesQueryStringsOverTheLimit() {
        get("query", "{ projection { state } }", "variables", "{\"padding\":\"" + "x".repeat(5000) + "\"}")
                .expectStatus().isEqualTo(414)
                .expectBody().jsonPath("$.errors[0].extensions.code").isEqualTo("REQUEST_TOO_LARGE");
    }

    @Test
    void refusesPostBodiesThatAreNotJson() {
        http().post().uri("/graphql").contentType(MediaType.TEXT_PLAIN).bodyValue("{ projection { state } }")
                .exchange()
                .expectStatus().isEqualTo(415);
    }

    @Test
    void codesAJsonBodyThatDoesNotParse() {
        http().post().uri("/graphql").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"query\": \"{ projection { state } }\"")
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].extensions.code").isEqualTo("BAD_REQUEST");
    }

    @Test
    void refusesABatchOfRequestsAndRunsNoneOfThem() {
        long before = jdbc.sql("select count(*) from customers").query(Long.class).single();
        Map<String, Object> register = Map.of("query", document("registerCustomerWithoutRead"),
                "variables", Map.of("input", Map.of("email", Customers.uniqueEmail(), "name", "Batched")));

        http().post().uri("/graphql").contentType(MediaType.APPLICATION_JSON).accept(MediaTypes.APPLICATION_GRAPHQL_RESPONSE)
                .bodyValue(List.of(Map.of("query", document("projectionState")), register))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].extensions.code").isEqualTo("BATCH_NOT_SUPPORTED")
                .jsonPath("$.data").doesNotExist();
        assertThat(jdbc.sql("select count(*) from customers").query(Long.class).single()).isEqualTo(before);
    }

    @Test
    void codesADocumentThatDoesNotParse() {
        post("{ projection { state }")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].extensions.code").isEqualTo("GRAPHQL_PARSE_FAILED");
    }

    @Test
    void codesADocumentThatDoesNotValidate() {
        graphQl.document("{ projection { colour } }").execute()
                .errors().satisfy(errors -> assertThat(errors).singleElement().satisfies(error -> {
                    assertThat(error.getExtensions()).containsEntry("code", "GRAPHQL_VALIDATION_FAILED");
                    assertThat(error.getMessage()).contains("colour");
                }));
        post("{ projection { colour } }").expectStatus().isBadRequest();
    }

    @Test
    void codesAVariableOfTheWrongType() {
        graphQl.documentName("customers").variable("first", "twenty").execute()
                .errors().satisfy(errors -> assertThat(errors).singleElement().satisfies(error ->
                        assertThat(error.getExtensions()).containsEntry("code", "BAD_USER_INPUT")));
    }

    @Test
    void codesAnOperationNameThatNamesNoOperation() {
        graphQl.documentName("projectionState").operationName("elsewhere").execute()
                .errors().satisfy(errors -> assertThat(errors).singleElement().satisfies(error ->
                        assertThat(error.getExtensions()).containsEntry("code", "OPERATION_RESOLUTION_FAILURE")));
    }

    private WebTestClient.ResponseSpec get(String... parameters) {
        StringBuilder template = new StringBuilder("/graphql?");
        Object[] values = new Object[parameters.length / 2];
        for (int i = 0; i < parameters.length; i += 2) {
            template.append(i == 0 ? "" : "&").append(parameters[i]).append("={").append(parameters[i]).append('}');
            values[i / 2] = parameters[i + 1];
        }
        return http().get().uri(template.toString(), values).accept(MediaTypes.APPLICATION_GRAPHQL_RESPONSE).exchange();
    }

    private WebTestClient.ResponseSpec post(String query) {
        return http().post().uri("/graphql").contentType(MediaType.APPLICATION_JSON).accept(MediaTypes.APPLICATION_GRAPHQL_RESPONSE)
                .bodyValue(Map.of("query", query)).exchange();
    }

    static String document(String name) {
        try {
            return new ClassPathResource("graphql-test/" + name + ".graphql").getContentAsString(StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
