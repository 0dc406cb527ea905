package io.orderly.identity;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import io.orderly.Customers;
import io.orderly.IntegrationTest;
import io.orderly.Orders;
import io.orderly.Products;
import io.orderly.TestIssuer;
import io.orderly.feed.FeedReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.graphql.test.tester.WebSocketGraphQlTester;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two customers, each signed in with its own token: neither sees the other's customer or orders,
 * not by id, not in lists, not in any total, not on any subscription. Another customer's data
 * reads as absent, never as an error.
 */
class CustomerIsolationIntegrationTests extends IntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Autowired
    private FeedReader feed;

    private String aToken;
    private String bToken;
    private GraphQlTester a;
    private GraphQlTester b;
    private String aId;
    private String bId;
    private String aOrder;
    private String bOrder;

    @BeforeEach
    void twoCustomersWithAnOrderEach() {
        aToken = TestIssuer.token(TestIssuer.newSubject(), UserRole.CUSTOMER);
        bToken = TestIssuer.token(TestIssuer.newSubject(), UserRole.CUSTOMER);
        a = graphQlAs(aToken);
        b = graphQlAs(bToken);
        aId = Customers.register(a).id();
        bId = Customers.register(b).id();
        String product = Products.create(graphQl, "3.00", 100);
        aOrder = Orders.place(a, aId, List.of(Orders.line(product, 1))).acceptedId();
        bOrder = Orders.place(b, bId, List.of(Orders.line(product, 2))).acceptedId();
        // hasValue fails as an assertion (which the wait retries) while the order is not projected yet.
        await().atMost(WAIT).untilAsserted(() -> graphQl.documentName("order").variable("id", bOrder).execute()
                .path("order.id").hasValue().entity(String.class).isEqualTo(bOrder));
    }

    @Test
    void aCustomerReadsItsOwnOrdersOnly() {
        a.documentName("order").variable("id", aOrder).execute().path("order.id").entity(String.class).isEqualTo(aOrder);
        a.documentName("order").variable("id", bOrder).execute().path("order").valueIsNull();

        a.documentName("ordersPage").variable("first", 100).execute()
                .path("orders.totalCount").entity(Integer.class).isEqualTo(1)
                .path("orders.edges[*].node.id").entityList(String.class).containsExactly(aOrder);
        a.documentName("ordersPage").variable("first", 100).variable("customerId", bId).execute()
                .path("orders.totalCount").entity(Integer.class).isEqualTo(0)
                .path("orders.edges").entityList(Object.class).hasSize(0);
        a.documentName("customerWithOrders").variable("id", aId).execute()
                .path("customer.orders.totalCount").entity(Integer.class).isEqualTo(1);
    }

    @Test
    void aCustomerReadsItsOwnCustomerOnly() {
        a.documentName("customer").variable("id", bId).execute().path("customer").valueIsNull();
        a.documentName("customerWithOrders").variable("id", bId).execute().path("customer").valueIsNull();
        a.documentName("customers").variable("first", 100).execute()
                .path("customers.totalCount").entity(Integer.class).isEqualTo(1)
                .path("customers.edges[*].node.id").entityList(String.class).containsExactly(aId);
        a.documentName("me").execute().path("me.id").entity(String.class).isEqualTo(aId);
        b.documentName("me").execute().path("me.id").entity(String.class).isEqualTo(bId);
    }

    @Test
    void staffSeeBothCustomers() {
        graphQl.documentName("order").variable("id", aOrder).execute().path("order.id").entity(String.class).isEqualTo(aOrder);
        graphQl.documentName("ordersPage").variable("first", 100).variable("customerId", bId).execute()
                .path("orders.totalCount").entity(Integer.class).isEqualTo(1);
        graphQl.documentName("customer").variable("id", aId).execute().path("customer.id").entity(String.class).isEqualTo(aId);
    }

    @Test
    void aCustomerChangesNothingOfAnotherCustomer() {
        String before = jdbc.sql("SELECT name || version FROM customers WHERE id = :id::uuid").param("id", bId).query(String.class).single();
        long ordersBefore = Orders.ordersOfCustomer(jdbc, bId);

        a.documentName("updateCustomerWithoutRead")
                .variable("input", Map.of("id", bId, "expectedVersion", 1, "name", "Taken Over")).execute()
                .path("updateCustomer.errors[0].code").entity(String.class).isEqualTo("NOT_FOUND");
        assertThat(Orders.place(a, bId, List.of(Orders.line(Products.create(graphQl, "1.00", 5), 1))).errors())
                .singleElement().satisfies(error -> assertThat(error).containsEntry("code", "NOT_FOUND"));
        for (String transition : List.of("orderPay", "orderCancel")) {
            String mutation = transition.equals("orderPay") ? "payOrder" : "cancelOrder";
            a.documentName(transition).variable("input", Map.of("id", bOrder)).execute()
                    .path(mutation + ".errors[0].code").entity(String.class).isEqualTo("NOT_FOUND");
        }

        assertThat(jdbc.sql("SELECT name || version FROM customers WHERE id = :id::uuid").param("id", bId).query(String.class).single())
                .isEqualTo(before);
        assertThat(Orders.ordersOfCustomer(jdbc, bId)).isEqualTo(ordersBefore);
        assertThat(Orders.stored(jdbc, bOrder)).containsEntry("status", "PLACED");
    }

    @Test
    void aCustomerReceivesNoEventAboutAnotherCustomer() {
        int before = feed.subscriptions();
        WebSocketGraphQlTester socket = socketAs(aToken);
        List<Map<String, Object>> othersOrder = collect(subscribe(socket.documentName("orderChanged").variable("id", bOrder), "orderChanged"));
        List<Map<String, Object>> othersCustomer = collect(subscribe(socket.documentName("customerOrderChanged")
                .variable("customerId", bId), "customerOrderChanged"));
        List<Map<String, Object>> orders = collect(subscribe(socket.documentName("orderChanges"), "changes"));
        List<Map<String, Object>> customers = collect(subscribe(socket.documentName("customerChanges"), "changes"));
        List<Map<String, Object>> ownOrder = collect(subscribe(socket.documentName("orderChanged").variable("id", aOrder), "orderChanged"));
        await().atMost(WAIT).until(() -> feed.subscriptions() == before + 5);

        b.documentName("orderPay").variable("input", Map.of("id", bOrder)).execute().path("payOrder.errors").entityList(Object.class).hasSize(0);
        b.documentName("updateCustomerWithoutRead").variable("input", Map.of("id", bId, "expectedVersion", 1, "name", "Bea Other"))
                .execute().path("updateCustomer.errors").entityList(Object.class).hasSize(0);
        // The customer's own changes come after the other's in the feed: once they arrive, the other's would have too.
        a.documentName("orderPay").variable("input", Map.of("id", aOrder)).execute().path("payOrder.errors").entityList(Object.class).hasSize(0);
        a.documentName("updateCustomerWithoutRead").variable("input", Map.of("id", aId, "expectedVersion", 1, "name", "Ada Own"))
                .execute().path("updateCustomer.errors").entityList(Object.class).hasSize(0);

        await().atMost(WAIT).until(() -> !ownOrder.isEmpty() && orders.stream().anyMatch(event -> aOrder.equals(event.get("id")))
                && customers.stream().anyMatch(event -> aId.equals(event.get("id"))));
        assertThat(othersOrder).isEmpty();
        assertThat(othersCustomer).isEmpty();
        assertThat(orders).extracting(event -> event.get("id")).containsOnly(aOrder);
        assertThat(customers).extracting(event -> event.get("id")).containsOnly(aId);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Flux<Map<String, Object>> subscribe(GraphQlTester.Request<?> request, String field) {
        return (Flux) request.executeSubscription().toFlux(field, Map.class);
    }

    private final List<Disposable> subscriptions = new ArrayList<>();

    private List<Map<String, Object>> collect(Flux<Map<String, Object>> events) {
        List<Map<String, Object>> received = Collections.synchronizedList(new ArrayList<>());
        subscriptions.add(events.subscribe(received::add));
        return received;
    }

    @AfterEach
    void unsubscribe() {
        subscriptions.forEach(Disposable::dispose);
    }
}
