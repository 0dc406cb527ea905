package io.orderly.order;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.orderly.IntegrationTest;
import io.orderly.Orders;
import io.orderly.Orders.Transition;
import io.orderly.Payload;
import io.orderly.Products;
import io.orderly.cdc.readmodel.ConsistencyToken;
import org.junit.jupiter.api.Test;

import static io.orderly.Orders.line;
import static org.assertj.core.api.Assertions.assertThat;

/** placeOrder with an idempotencyKey: a retry returns the original order and writes nothing. */
class OrderIdempotencyIntegrationTests extends IntegrationTest {

    private final String key = "checkout-" + UUID.randomUUID();

    @Test
    void returnsTheOriginalOrderForARetryAndWritesNothing() {
        String customer = Orders.customer(graphQl);
        String desk = Products.create(graphQl, "100.00", 10);
        String orderId = Orders.place(graphQl, customer, List.of(line(desk, 2)), key).acceptedId();
        Map<String, Object> orderBefore = Orders.stored(jdbc, orderId);
        Map<String, Object> deskBefore = Products.stored(jdbc, desk);

        Payload retry = Orders.place(graphQl, customer, List.of(line(desk, 2)), key);
        Payload mergedRetry = Orders.place(graphQl, customer, List.of(line(desk, 1), line(desk, 1)), key);

        assertThat(retry.acceptedId()).isEqualTo(orderId);
        assertThat(mergedRetry.acceptedId()).isEqualTo(orderId);
        assertThat(Orders.ordersOfCustomer(jdbc, customer)).isEqualTo(1);
        assertThat(Orders.stored(jdbc, orderId)).isEqualTo(orderBefore);
        assertThat(Products.stored(jdbc, desk)).isEqualTo(deskBefore).containsEntry("stock", 8);
    }

    @Test
    void refusesAKeyReusedForADifferentOrder() {
        String customer = Orders.customer(graphQl);
        String desk = Products.create(graphQl, "100.00", 10);
        String lamp = Products.create(graphQl, "20.00", 10);
        Orders.place(graphQl, customer, List.of(line(desk, 2)), key).acceptedId();

        List.of(
                Orders.place(graphQl, customer, List.of(line(desk, 3)), key),
                Orders.place(graphQl, customer, List.of(line(desk, 2), line(lamp, 1)), key))
                .forEach(reuse -> reuse.assertRefused("VALIDATION", List.of("input", "idempotencyKey"),
                        "already used for a different order"));

        assertThat(Orders.ordersOfCustomer(jdbc, customer)).isEqualTo(1);
        assertThat(Products.stock(jdbc, desk)).isEqualTo(8);
        assertThat(Products.stock(jdbc, lamp)).isEqualTo(10);
    }

    @Test
    void keysAreScopedToTheCustomerSoTwoCustomersUseTheSameKeyIndependently() {
        String first = Orders.customer(graphQl);
        String second = Orders.customer(graphQl);
        String desk = Products.create(graphQl, "100.00", 10);
        String firstOrder = Orders.place(graphQl, first, List.of(line(desk, 2)), key).acceptedId();

        String secondOrder = Orders.place(graphQl, second, List.of(line(desk, 3)), key).acceptedId();
        Map<String, Object> secondStored = Orders.stored(jdbc, secondOrder);

        assertThat(secondOrder).isNotEqualTo(firstOrder);
        assertThat(Orders.place(graphQl, first, List.of(line(desk, 2)), key).acceptedId()).isEqualTo(firstOrder);
        assertThat(Orders.place(graphQl, second, List.of(line(desk, 3)), key).acceptedId()).isEqualTo(secondOrder);
        assertThat(Orders.ordersOfCustomer(jdbc, first)).isEqualTo(1);
        assertThat(Orders.ordersOfCustomer(jdbc, second)).isEqualTo(1);
        assertThat(Orders.stored(jdbc, secondOrder)).isEqualTo(secondStored);
        assertThat(Products.stock(jdbc, desk)).isEqualTo(5);
        assertThat(jdbc.sql("SELECT customer_id::text FROM orders WHERE idempotency_key = :key").param("key", key)
                .query(String.class).list()).containsExactlyInAnyOrder(first, second);
    }

    @Test
    void refusesAKeyWithALoneSurrogateControlOrFormatCharacterAndWritesNothing() {
        String customer = Orders.customer(graphQl);
        String desk = Products.create(graphQl, "100.00", 10);

        List.of(key + "\ud800", key + "\u0000", key + "\u200B", "\u202E" + key)
                .forEach(invalid -> Orders.place(graphQl, customer, List.of(line(desk, 1)), invalid)
                        .assertRefused("VALIDATION", List.of("input", "idempotencyKey"), "idempotencyKey must"));

        assertThat(Orders.ordersOfCustomer(jdbc, customer)).isZero();
        assertThat(Products.stock(jdbc, desk)).isEqualTo(10);
    }

    @Test
    void aRefusedOrderLeavesItsKeyFreeForTheRetry() {
        String customer = Orders.customer(graphQl);
        String desk = Products.create(graphQl, "100.00", 1);
        Orders.place(graphQl, customer, List.of(line(desk, 2)), key)
                .assertRefused("INSUFFICIENT_STOCK", List.of("input", "lines", "0"), "2 requested, 1 available");
        Products.restock(graphQl, desk, 1).acceptedId();

        String orderId = Orders.place(graphQl, customer, List.of(line(desk, 2)), key).acceptedId();

        assertThat(Orders.place(graphQl, customer, List.of(line(desk, 2)), key).acceptedId()).isEqualTo(orderId);
        assertThat(Products.stock(jdbc, desk)).isZero();
    }

    @Test
    void aRetryIsReadableWithItsTokenBecauseTheTokenNamesTheOriginalTransaction() {
        String customer = Orders.customer(graphQl);
        String desk = Products.create(graphQl, "100.00", 10);
        Payload original = Orders.place(graphQl, customer, List.of(line(desk, 1)), key);

        Payload retry = Orders.place(graphQl, customer, List.of(line(desk, 1)), key);

        ConsistencyToken originalToken = ConsistencyToken.parse(original.consistencyToken());
        ConsistencyToken retryToken = ConsistencyToken.parse(retry.consistencyToken());
        assertThat(retryToken.txId()).isEqualTo(originalToken.txId());
        assertThat(retryToken.position()).isGreaterThanOrEqualTo(originalToken.position());
        graphQl.documentName("customerConsistentWith")
                .variable("id", customer).variable("token", retry.consistencyToken())
                .execute()
                .path("customer.id").entity(String.class).isEqualTo(customer);
    }

    @Test
    void aRetryAfterTheOrderMovedOnNamesTheLatestTransactionOfTheOrder() {
        String customer = Orders.customer(graphQl);
        String desk = Products.create(graphQl, "100.00", 10);
        String orderId = Orders.place(graphQl, customer, List.of(line(desk, 1)), key).acceptedId();
        Payload paid = Transition.PAY.apply(graphQl, orderId);

        Payload retry = Orders.place(graphQl, customer, List.of(line(desk, 1)), key);

        assertThat(retry.acceptedId()).isEqualTo(orderId);
        assertThat(ConsistencyToken.parse(retry.consistencyToken()).txId())
                .isEqualTo(ConsistencyToken.parse(paid.consistencyToken()).txId());
        assertThat(Orders.stored(jdbc, orderId)).containsEntry("status", "PAID").containsEntry("version", 2);
    }
}
