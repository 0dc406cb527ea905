package io.orderly.feed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import io.orderly.Customers;
import io.orderly.IntegrationTest;
import io.orderly.Orders;
import io.orderly.Orders.Transition;
import io.orderly.Products;
import io.orderly.cdc.readmodel.ReadModelKeys;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.GraphQlResponse;
import org.springframework.graphql.test.tester.WebSocketGraphQlTester;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A query says where in the change feed its data was read, and subscribing from there misses nothing. */
class FeedCursorIntegrationTests extends IntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Autowired
    private FeedReader feed;

    @Test
    void everyQueryResponseCarriesACursorAtTheEndOfTheFeedAsThisProcessHasReadIt() {
        String productId = Products.create(graphQl, "3.00", 10);
        FeedCursor end = feed.now();
        await().atMost(WAIT).until(() -> feed.lastRead().sequence() >= end.sequence());

        GraphQlResponse response = anonymousGraphQl().documentName("product").variable("id", productId).execute().returnResponse();

        FeedCursor cursor = FeedCursor.decode((String) response.getExtensions().get("feedCursor"));
        assertThat(cursor.epoch()).isEqualTo(end.epoch());
        assertThat(cursor.sequence()).isGreaterThanOrEqualTo(end.sequence()).isLessThanOrEqualTo(feed.now().sequence());
    }

    @Test
    void aFeedThatLostItsLastEntriesMovesTheCursorBackAndEndsLiveSubscriptions() {
        Customers.register(graphQl);
        FeedCursor end = feed.now();
        await().atMost(WAIT).until(() -> feed.lastRead().sequence() >= end.sequence());
        List<String> errors = Collections.synchronizedList(new ArrayList<>());
        Disposable live = socket().documentName("customerChanges").executeSubscription().toFlux("changes", Map.class)
                .subscribe(change -> { }, error -> errors.add(String.valueOf(error.getMessage())));
        await().atMost(WAIT).until(() -> feed.subscriptions() > 0);

        // As a restore from an older backup leaves it: the same epoch, its last entry gone.
        redis().xdel(ReadModelKeys.FEED, end.sequence() + "-0");

        await().atMost(WAIT).until(() -> feed.lastRead().sequence() < end.sequence());
        assertThat(feed.lastRead().sequence()).isEqualTo(feed.now().sequence());
        await().atMost(WAIT).until(() -> !errors.isEmpty());
        assertThat(errors).singleElement().satisfies(message -> assertThat(message).contains("RESYNC_REQUIRED"));
        live.dispose();
    }

    @Test
    void aMutationResponseCarriesNoCursor() {
        GraphQlResponse response = graphQl.documentName("productCreate").variable("input", Products.newProduct())
                .execute().returnResponse();

        assertThat(response.getExtensions()).doesNotContainKey("feedCursor");
    }

    @Test
    void subscribingWithTheCursorOfAQueryNeverMissesAChangeMadeRightAfter() {
        WebSocketGraphQlTester socket = socket();
        for (int round = 0; round < 50; round++) {
            String orderId = Orders.placedOrder(graphQl, 1, 10).orderId();
            GraphQlResponse read = await().atMost(WAIT).until(
                    () -> graphQl.documentName("order").variable("id", orderId).execute().returnResponse(),
                    response -> response.field("order").getValue() != null);
            assertThat((Object) read.field("order.status").getValue()).isEqualTo("PLACED");
            String cursor = (String) read.getExtensions().get("feedCursor");

            List<Map<String, Object>> received = Collections.synchronizedList(new ArrayList<>());
            Disposable subscription = orderChanges(socket, orderId, cursor).subscribe(received::add);
            Transition.PAY.apply(graphQl, orderId);

            await().atMost(WAIT).until(() -> received.stream().anyMatch(change -> "UPDATED".equals(change.get("operation"))));
            subscription.dispose();
            assertThat(received).as("round %d", round).allSatisfy(change -> assertThat(order(change)).containsEntry("id", orderId));
        }
        socket.stop().block(WAIT);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Flux<Map<String, Object>> orderChanges(WebSocketGraphQlTester socket, String orderId, String after) {
        return (Flux) socket.documentName("orderChanged").variable("id", orderId).variable("after", after)
                .executeSubscription().toFlux("orderChanged", Map.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> order(Map<String, Object> change) {
        return (Map<String, Object>) change.get("order");
    }
}
