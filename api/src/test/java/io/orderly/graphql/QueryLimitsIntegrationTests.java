package io.orderly.graphql;

import java.time.Duration;
import java.util.Map;

import io.orderly.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/** What a public endpoint refuses before running anything: too deep, too much work, too large. */
class QueryLimitsIntegrationTests extends IntegrationTest {

    @Test
    void refusesQueriesNestedTooDeeply() {
        String deep = "{ orders(first: 1) { edges { node { customer { orders(first: 1) { edges { node { customer { "
                + "orders(first: 1) { edges { node { customer { orders(first: 1) { edges { node { id } } } } } } } } } } } } } } } }";

        graphQl.document(deep).execute().errors().satisfy(errors -> assertThat(errors).singleElement().satisfies(error -> {
            assertThat(error.getExtensions()).containsEntry("code", "QUERY_TOO_DEEP");
            assertThat(error.getMessage()).contains("at most 15");
        }));
    }

    @Test
    void refusesQueriesAskingForTooMuch() {
        String wide = "{ orders(first: 100) { edges { node { customer { orders(first: 100) { edges { node { "
                + "lines { product { name } } } } } } } } } }";

        graphQl.document(wide).execute().errors().satisfy(errors -> assertThat(errors).singleElement().satisfies(error -> {
            assertThat(error.getExtensions()).containsEntry("code", "QUERY_TOO_COMPLEX");
            assertThat(error.getMessage()).contains("at most 100000");
        }));
    }

    @Test
    void refusesInMillisecondsAQueryWhoseCostIsPastTheIntRange() {
        long started = System.nanoTime();

        graphQl.documentName("overflowingCost").execute().errors().satisfy(errors -> assertThat(errors).singleElement().satisfies(error -> {
            assertThat(error.getExtensions()).containsEntry("code", "QUERY_TOO_COMPLEX");
            assertThat(error.getMessage()).contains("complexity is 2523535320", "at most 100000");
        }));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void acceptsTheUsualPageOfOrdersWithLinesAndCustomers() {
        graphQl.documentName("ordersPage").variable("first", 50).variable("status", "PAID").execute()
                .path("orders.totalCount").hasValue();
    }

    @Test
    void refusesRequestBodiesOverTheLimit() {
        String padding = "x".repeat(300_000);
        http().post().uri("/graphql").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("query", "{ projection { state } }", "variables", Map.of("padding", padding)))
                .exchange()
                .expectStatus().isEqualTo(413)
                .expectBody().jsonPath("$.errors[0].extensions.code").isEqualTo("REQUEST_TOO_LARGE");
    }
}
