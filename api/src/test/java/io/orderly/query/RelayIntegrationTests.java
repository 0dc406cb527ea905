package io.orderly.query;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import io.orderly.Customers;
import io.orderly.IntegrationTest;
import io.orderly.Orders;
import io.orderly.Products;
import io.orderly.TestIssuer;
import io.orderly.identity.UserRole;
import org.junit.jupiter.api.Test;
import org.springframework.graphql.test.tester.GraphQlTester;

import static org.assertj.core.api.Assertions.assertThat;

/** What Relay needs: refetching any object by id through Node, and connections paged both ways. */
class RelayIntegrationTests extends IntegrationTest {

    @Test
    void refetchesACustomerAProductAndAnOrderById() {
        Orders.Placed placed = Orders.placedOrder(graphQl, 1, 5);

        node(graphQl, placed.customerId()).path("node.__typename").entity(String.class).isEqualTo("Customer")
                .path("node.id").entity(String.class).isEqualTo(placed.customerId());
        node(graphQl, placed.productId()).path("node.__typename").entity(String.class).isEqualTo("Product")
                .path("node.sku").hasValue();
        node(graphQl, placed.orderId()).path("node.__typename").entity(String.class).isEqualTo("Order")
                .path("node.status").entity(String.class).isEqualTo("PLACED");
        node(graphQl, UUID.randomUUID().toString()).path("node").valueIsNull();
        node(graphQl, "not-an-id").path("node").valueIsNull();
    }

    @Test
    void nodesAnswersInTheOrderOfTheIdsWithNullForWhatIsNotThere() {
        Orders.Placed placed = Orders.placedOrder(graphQl, 1, 5);

        assertThat(typesOfNodes(graphQl, List.of(placed.orderId(), UUID.randomUUID().toString(), "not-an-id", placed.productId())))
                .containsExactly("Order", null, null, "Product");
    }

    @Test
    void aCustomerFindsOnlyItsOwnCustomerAndOrdersAndAnyoneFindsProducts() {
        String subject = TestIssuer.newSubject();
        GraphQlTester customer = graphQlAs(TestIssuer.token(subject, UserRole.CUSTOMER));
        String ownId = Customers.registerWithoutRead(customer, Customers.uniqueEmail(), "Own").id();
        String productId = Products.create(graphQl, "4.00", 10);
        String ownOrder = Orders.place(customer, ownId, List.of(Orders.line(productId, 1))).acceptedId();
        Orders.Placed someoneElses = Orders.placedOrder(graphQl, 1, 5);
        List<String> ids = List.of(ownId, ownOrder, someoneElses.customerId(), someoneElses.orderId(), productId);

        assertThat(typesOfNodes(customer, ids)).containsExactly("Customer", "Order", null, null, "Product");
        assertThat(typesOfNodes(anonymousGraphQl(), ids)).containsExactly(null, null, null, null, "Product");
        assertThat(typesOfNodes(graphQl, ids)).containsExactly("Customer", "Order", "Customer", "Order", "Product");
    }

    @Test
    void refusesMoreThanAHundredIds() {
        List<String> ids = IntStream.range(0, 101).mapToObj(i -> UUID.randomUUID().toString()).toList();

        graphQl.documentName("nodes").variable("ids", ids).execute()
                .errors().satisfy(errors -> assertThat(errors).singleElement()
                        .satisfies(error -> assertThat(error.getExtensions()).containsEntry("code", "BAD_USER_INPUT")));
    }

    @Test
    void pagesBackwardWithLastAndBefore() {
        String customerId = Orders.customer(graphQl);
        String productId = Products.create(graphQl, "1.00", 100);
        List<String> placed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            placed.add(Orders.place(graphQl, customerId, List.of(Orders.line(productId, 1))).acceptedId());
        }
        List<String> newestFirst = new ArrayList<>(placed);
        Collections.reverse(newestFirst);

        GraphQlTester.Response oldest = ordersPage(customerId, Map.of("last", 2));
        assertThat(ids(oldest)).containsExactlyElementsOf(newestFirst.subList(3, 5));
        oldest.path("customer.orders.pageInfo.hasPreviousPage").entity(Boolean.class).isEqualTo(true)
                .path("customer.orders.pageInfo.hasNextPage").entity(Boolean.class).isEqualTo(false);
        String start = oldest.path("customer.orders.pageInfo.startCursor").entity(String.class).get();

        GraphQlTester.Response before = ordersPage(customerId, Map.of("last", 2, "before", start));
        assertThat(ids(before)).containsExactlyElementsOf(newestFirst.subList(1, 3));
        before.path("customer.orders.pageInfo.hasPreviousPage").entity(Boolean.class).isEqualTo(true)
                .path("customer.orders.pageInfo.hasNextPage").entity(Boolean.class).isEqualTo(true);
        String next = before.path("customer.orders.pageInfo.startCursor").entity(String.class).get();

        GraphQlTester.Response first = ordersPage(customerId, Map.of("last", 2, "before", next));
        assertThat(ids(first)).containsExactly(newestFirst.get(0));
        first.path("customer.orders.pageInfo.hasPreviousPage").entity(Boolean.class).isEqualTo(false);
        assertThat(ids(ordersPage(customerId, Map.of("first", 5)))).containsExactlyElementsOf(newestFirst);
    }

    @Test
    void refusesPagingBothWaysAtOnce() {
        String customerId = Orders.customer(graphQl);

        ordersPage(customerId, Map.of("first", 2, "last", 2))
                .errors().satisfy(errors -> assertThat(errors).singleElement().satisfies(error -> {
                    assertThat(error.getExtensions()).containsEntry("code", "BAD_USER_INPUT");
                    assertThat(error.getMessage()).contains("not both");
                }));
    }

    private static GraphQlTester.Response node(GraphQlTester tester, String id) {
        return tester.documentName("node").variable("id", id).execute();
    }

    @SuppressWarnings("unchecked")
    private static List<String> typesOfNodes(GraphQlTester tester, List<String> ids) {
        List<Map<String, Object>> nodes = tester.documentName("nodes").variable("ids", ids).execute()
                .path("nodes").entity(List.class).get();
        return nodes.stream().map(node -> node == null ? null : (String) node.get("__typename")).toList();
    }

    private GraphQlTester.Response ordersPage(String customerId, Map<String, Object> arguments) {
        Map<String, Object> variables = new HashMap<>(arguments);
        variables.put("id", customerId);
        return graphQl.documentName("customerOrdersPaged").variables(variables).execute();
    }

    private static List<String> ids(GraphQlTester.Response response) {
        return response.path("customer.orders.edges[*].node.id").entityList(String.class).get();
    }
}
