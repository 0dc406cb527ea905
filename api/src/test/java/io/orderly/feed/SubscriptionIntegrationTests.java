package io.orderly.feed;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.orderly.Customers;
import io.orderly.Customers.Registered;
import io.orderly.IntegrationTest;
import io.orderly.cdc.readmodel.ReadModelKeys;
import io.orderly.order.OrderRows;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.graphql.test.tester.WebSocketGraphQlTester;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.reactive.socket.client.StandardWebSocketClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** graphql-ws subscriptions over the change feed, against the running application. */
class SubscriptionIntegrationTests extends IntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Autowired
    private FeedReader feed;

    @Autowired
    private TransactionTemplate transactions;

    @Test
    void deliversAPlacedOrderOnEveryMatchingSubscriptionWithTheNewDocument() {
        Registered customer = Customers.register(graphQl);
        OrderRows rows = new OrderRows(jdbc, transactions);
        String tea = rows.product("SUB-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(), "Sencha", "6.00", 50);
        String orderId = UUID.randomUUID().toString();
        WebSocketGraphQlTester socket = socket();

        Flux<Map<String, Object>> byCustomer = subscribe(socket.documentName("customerOrderChanged")
                .variable("customerId", customer.id()), "customerOrderChanged");
        Flux<Map<String, Object>> byOrder = subscribe(socket.documentName("orderChanged").variable("id", orderId), "orderChanged");
        Flux<Map<String, Object>> all = subscribe(socket.documentName("orderChanges"), "changes");
        List<Map<String, Object>> received = collect(List.of(byCustomer, byOrder,
                all.filter(event -> orderId.equals(event.get("id")))), 3);

        rows.order(orderId, customer.id(), List.of(OrderRows.line(tea, "6.00", 2)), "PLACED");

        await().atMost(WAIT).until(() -> received.size() == 3);
        assertThat(received).allSatisfy(event -> {
            assertThat(event).containsEntry("operation", "CREATED");
            assertThat(order(event)).containsEntry("id", orderId).containsEntry("status", "PLACED");
        });
    }

    /** Each event reads the documents it names as they are then, not as an earlier event of the same subscription read them. */
    @Test
    void eachEventSeesTheProductsOfItsOrderAsTheyAreWhenItIsDelivered() {
        Registered customer = Customers.register(graphQl);
        OrderRows rows = new OrderRows(jdbc, transactions);
        String tea = rows.product("SUB-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(), "Assam", "4.00", 50);
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        List<Map<String, Object>> received = collect(List.of(subscribe(socket().document(
                "subscription { changes(types: [ORDER]) { id order { lines { product { stock } } } } }"), "changes")
                .filter(event -> first.equals(event.get("id")) || second.equals(event.get("id")))), 1);

        rows.order(first, customer.id(), List.of(OrderRows.line(tea, "4.00", 1)), "PLACED");
        await().atMost(WAIT).until(() -> received.size() == 1);
        jdbc.sql("UPDATE products SET stock = 7 WHERE id = :id::uuid").param("id", tea).update();
        await().atMost(WAIT).untilAsserted(() -> graphQl.document("query($id: ID!) { product(id: $id) { stock } }").variable("id", tea)
                .execute().path("product.stock").entity(Integer.class).isEqualTo(7));
        rows.order(second, customer.id(), List.of(OrderRows.line(tea, "4.00", 1)), "PLACED");

        await().atMost(WAIT).until(() -> received.size() == 2);
        assertThat(received).extracting(event -> ((List<?>) order(event).get("lines")).get(0))
                .extracting("product").extracting("stock").containsExactly(50, 7);
    }

    @Test
    void resumesAfterTheLastCursorWithEveryEventExactlyOnceInOrder() {
        Sinks.Many<Map<String, Object>> firstConnection = Sinks.many().replay().all();
        Disposable first = subscribe(socket().documentName("customerChanges"), "changes").subscribe(firstConnection::tryEmitNext);
        List<String> beforeDisconnect = new ArrayList<>();
        awaitSubscribers(1);
        for (int i = 0; i < 3; i++) {
            beforeDisconnect.add(Customers.register(graphQl).id());
        }
        List<Map<String, Object>> seen = firstConnection.asFlux()
                .filter(event -> beforeDisconnect.contains(event.get("id")))
                .take(3).collectList().block(WAIT);
        first.dispose();
        awaitSubscribers(0);
        String lastCursor = (String) seen.get(2).get("cursor");

        List<String> whileAway = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            whileAway.add(Customers.registerWithoutRead(graphQl, Customers.uniqueEmail(), "Away " + i).id());
        }
        Flux<Map<String, Object>> resumed = subscribe(socket().documentName("customerChanges").variable("after", lastCursor), "changes");
        List<String> afterResume = new ArrayList<>();
        Disposable second = resumed.subscribe(event -> afterResume.add((String) event.get("id")));
        awaitSubscribers(1);
        String later = Customers.register(graphQl).id();

        await().atMost(WAIT).until(() -> afterResume.contains(later));
        second.dispose();
        List<String> ours = afterResume.stream()
                .filter(id -> whileAway.contains(id) || id.equals(later) || beforeDisconnect.contains(id))
                .toList();
        List<String> expected = new ArrayList<>(whileAway);
        expected.add(later);
        assertThat(ours).containsExactlyElementsOf(expected);
    }

    @Test
    void endsWithResyncRequiredWhenTheFeedNoLongerHoldsTheCursor() {
        Sinks.Many<Map<String, Object>> events = Sinks.many().replay().all();
        Disposable live = subscribe(socket().documentName("customerChanges"), "changes").subscribe(events::tryEmitNext);
        awaitSubscribers(1);
        String id = Customers.register(graphQl).id();
        String cursor = (String) events.asFlux().filter(event -> id.equals(event.get("id"))).blockFirst(WAIT).get("cursor");
        live.dispose();
        for (int i = 0; i < 3; i++) {
            Customers.register(graphQl);
        }
        redis().xtrim(ReadModelKeys.FEED, 1);

        List<Map<String, Object>> errors = new ArrayList<>();
        socket().documentName("customerChanges").variable("after", cursor).executeSubscription()
                .toFlux("changes", Map.class)
                .onErrorResume(error -> {
                    errors.add(Map.of("message", String.valueOf(error.getMessage())));
                    return Flux.empty();
                })
                .blockLast(WAIT);

        assertThat(errors).singleElement().satisfies(error -> assertThat((String) error.get("message")).contains("RESYNC_REQUIRED"));
    }

    @Test
    void refusesACursorItDidNotIssue() {
        List<String> errors = new ArrayList<>();
        socket().documentName("customerChanges").variable("after", "bm90LWEtY3Vyc29y").executeSubscription()
                .toFlux("changes", Map.class)
                .onErrorResume(error -> {
                    errors.add(String.valueOf(error.getMessage()));
                    return Flux.empty();
                })
                .blockLast(WAIT);

        assertThat(errors).singleElement().satisfies(message -> assertThat(message).contains("BAD_USER_INPUT"));
    }


    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Flux<Map<String, Object>> subscribe(GraphQlTester.Request<?> request, String field) {
        return (Flux) request.executeSubscription().toFlux(field, Map.class);
    }

    private final List<Disposable> collecting = new ArrayList<>();

    /** Subscribes to each, waits until the server has registered them all, and collects what they deliver. */
    private List<Map<String, Object>> collect(List<Flux<Map<String, Object>>> subscriptions, int expectedSubscribers) {
        List<Map<String, Object>> received = Collections.synchronizedList(new ArrayList<>());
        subscriptions.forEach(subscription -> collecting.add(subscription.subscribe(received::add)));
        awaitSubscribers(expectedSubscribers);
        return received;
    }

    @AfterEach
    void stopCollecting() {
        collecting.forEach(Disposable::dispose);
        collecting.clear();
    }

    @BeforeEach
    void noSubscriptionsLeftOver() {
        await().atMost(WAIT).until(() -> feed.subscriptions() == 0);
    }

    /** The server has registered this many live subscriptions (subscribing over a socket is asynchronous). */
    private void awaitSubscribers(int count) {
        await().atMost(WAIT).until(() -> feed.subscriptions() == count);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> order(Map<String, Object> event) {
        return (Map<String, Object>) event.get("order");
    }
}
