package io.orderly.graphql;

import java.util.Map;

import io.orderly.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.graphql.MediaTypes;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** GraphQL over HTTP as clients send it by default, every error with a code. */
class HttpTransportIntegrationTests extends IntegrationTest {

    @Test
    void refusesPostBodiesThatAreNotJson() {
        http().post().uri("/graphql").contentType(MediaType.TEXT_PLAIN).bodyValue("{ projection { state } }")
                .exchange()
                .expectStatus().isEqualTo(415);
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

    private WebTestClient.ResponseSpec post(String query) {
        return http().post().uri("/graphql").contentType(MediaType.APPLICATION_JSON).accept(MediaTypes.APPLICATION_GRAPHQL_RESPONSE)
                .bodyValue(Map.of("query", query)).exchange();
    }
}
