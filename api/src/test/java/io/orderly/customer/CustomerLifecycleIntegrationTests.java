package io.orderly.customer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.orderly.Customers;
import io.orderly.Customers.Registered;
import io.orderly.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.graphql.test.tester.GraphQlTester;

import static org.assertj.core.api.Assertions.assertThat;

/** Mutation → PostgreSQL → Debezium → Redis → query, for customers. */
class CustomerLifecycleIntegrationTests extends IntegrationTest {

    @Test
    void payloadShowsTheRegisteredCustomerFromTheReadModel() {
        String email = Customers.uniqueEmail();
        GraphQlTester.Response response = graphQl.documentName("registerCustomer")
                .variable("input", Map.of("email", email, "name", "Grace Hopper"))
                .execute();

        response.path("registerCustomer.errors").entityList(Object.class).hasSize(0)
                .path("registerCustomer.consistencyToken").entity(String.class).matches(token -> token.contains("@"))
                .path("registerCustomer.customer.email").entity(String.class).isEqualTo(email)
                .path("registerCustomer.customer.name").entity(String.class).isEqualTo("Grace Hopper")
                .path("registerCustomer.customer.version").entity(Integer.class).isEqualTo(1)
                .path("registerCustomer.customer.orderCount").entity(Integer.class).isEqualTo(0)
                .path("registerCustomer.customer.lifetimeValue.amount").entity(String.class).isEqualTo("0.00")
                .path("registerCustomer.customer.lifetimeValue.currency").entity(String.class).isEqualTo("EUR")
                .path("registerCustomer.customer.lastOrderAt").valueIsNull();
    }

    @Test
    void registeredCustomerIsReadableByIdAndInTheList() {
        Registered customer = Customers.register(graphQl);

        graphQl.documentName("customerConsistentWith")
                .variable("id", customer.id()).variable("token", customer.token())
                .execute()
                .path("customer.email").entity(String.class).isEqualTo(customer.email());
        assertThat(allCustomerIds()).contains(customer.id());
    }

    @Test
    void updatedCustomerShowsTheChange() {
        Registered customer = Customers.register(graphQl);

        GraphQlTester.Response update = graphQl.documentName("updateCustomer")
                .variable("input", Map.of("id", customer.id(), "expectedVersion", 1, "name", "Ada King"))
                .execute();

        update.path("updateCustomer.errors").entityList(Object.class).hasSize(0)
                .path("updateCustomer.customer.name").entity(String.class).isEqualTo("Ada King")
                .path("updateCustomer.customer.version").entity(Integer.class).isEqualTo(2);
        String token = update.path("updateCustomer.consistencyToken").entity(String.class).get();
        graphQl.documentName("customerConsistentWith")
                .variable("id", customer.id()).variable("token", token)
                .execute()
                .path("customer.name").entity(String.class).isEqualTo("Ada King")
                .path("customer.email").entity(String.class).isEqualTo(customer.email())
                .path("customer.version").entity(Integer.class).isEqualTo(2);
    }

    @Test
    void listsCustomersInRegistrationOrderAcrossPages() {
        List<String> registered = new ArrayList<>();
        Registered last = null;
        for (int i = 0; i < 5; i++) {
            last = Customers.register(graphQl);
            registered.add(last.id());
        }
        graphQl.documentName("customerConsistentWith")
                .variable("id", last.id()).variable("token", last.token())
                .execute().path("customer.id").hasValue();

        List<String> listed = new ArrayList<>();
        String after = null;
        boolean hasNextPage = true;
        while (hasNextPage) {
            GraphQlTester.Response page = graphQl.documentName("customers")
                    .variable("first", 2).variable("after", after)
                    .execute();
            listed.addAll(page.path("customers.edges[*].node.id").entityList(String.class).get());
            hasNextPage = page.path("customers.pageInfo.hasNextPage").entity(Boolean.class).get();
            after = page.path("customers.pageInfo.endCursor").entity(String.class).get();
        }

        assertThat(listed).doesNotHaveDuplicates().containsSubsequence(registered);
        graphQl.documentName("customers").variable("first", 1).execute()
                .path("customers.totalCount").entity(Long.class).satisfies(total -> assertThat(total).isEqualTo(listed.size()));
    }

    @Test
    void unknownOrMalformedIdReadsAsNull() {
        graphQl.documentName("customer").variable("id", "00000000-0000-0000-0000-000000000000").execute()
                .path("customer").valueIsNull();
        graphQl.documentName("customer").variable("id", "not-a-uuid").execute()
                .path("customer").valueIsNull();
    }

    @Test
    void refusesPageSizesAboveTheLimit() {
        graphQl.documentName("customers").variable("first", 101).execute()
                .errors().satisfy(errors -> assertThat(errors).singleElement().satisfies(error -> {
                    assertThat(error.getMessage()).contains("between 0 and 100");
                    assertThat(error.getExtensions()).containsEntry("code", "BAD_USER_INPUT");
                }));
    }

    @Test
    void refusesCursorsItDidNotIssue() {
        graphQl.documentName("customers").variable("first", 5).variable("after", "bm90LWEtY3Vyc29y").execute()
                .errors().satisfy(errors -> assertThat(errors).singleElement().satisfies(error -> {
                    assertThat(error.getMessage()).contains("not a cursor issued by this API");
                    assertThat(error.getExtensions()).containsEntry("code", "BAD_USER_INPUT");
                }));
    }

    private List<String> allCustomerIds() {
        List<String> ids = new ArrayList<>();
        String after = null;
        boolean hasNextPage = true;
        while (hasNextPage) {
            GraphQlTester.Response page = graphQl.documentName("customers")
                    .variable("first", 100).variable("after", after).execute();
            ids.addAll(page.path("customers.edges[*].node.id").entityList(String.class).get());
            hasNextPage = page.path("customers.pageInfo.hasNextPage").entity(Boolean.class).get();
            after = page.path("customers.pageInfo.endCursor").entity(String.class).get();
        }
        return ids;
    }
}
