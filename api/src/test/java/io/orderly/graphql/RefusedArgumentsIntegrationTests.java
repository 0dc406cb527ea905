package io.orderly.graphql;

import java.util.List;

import io.orderly.Customers;
import io.orderly.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.graphql.test.tester.GraphQlTester;

import static org.assertj.core.api.Assertions.assertThat;

/** A refused argument is an error and nothing else: the field is null, as GraphQL's null propagation has it. */
class RefusedArgumentsIntegrationTests extends IntegrationTest {

    @Test
    void aPageTooLargeLeavesNoDataAtAll() {
        GraphQlTester.Response response = graphQl.documentName("orderIds").variable("first", 1000).execute();

        assertRefused(response, List.of("orders"), "between 0 and 100");
        response.path("").valueIsNull();
    }

    @Test
    void aForeignCursorLeavesNoDataAtAll() {
        GraphQlTester.Response response = graphQl.documentName("orderIds").variable("after", "garbage").execute();

        assertRefused(response, List.of("orders"), "not a cursor issued by this API");
        response.path("").valueIsNull();
    }

    @Test
    void aRefusedNestedConnectionNullsItsNullableParent() {
        String customerId = Customers.register(graphQl).id();

        GraphQlTester.Response response = graphQl.documentName("customerOrders")
                .variable("id", customerId).variable("first", 1000).execute();

        assertRefused(response, List.of("customer", "orders"), "between 0 and 100");
        response.path("customer").valueIsNull();
    }

    private static void assertRefused(GraphQlTester.Response response, List<Object> path, String messagePart) {
        response.errors().satisfy(errors -> assertThat(errors).singleElement().satisfies(error -> {
            assertThat(error.getExtensions()).containsEntry("code", "BAD_USER_INPUT");
            assertThat(error.getParsedPath()).isEqualTo(path);
            assertThat(error.getMessage()).contains(messagePart);
        }));
    }
}
