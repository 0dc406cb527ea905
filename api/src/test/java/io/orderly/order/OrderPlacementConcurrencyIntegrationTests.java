package io.orderly.order;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.orderly.IntegrationTest;
import io.orderly.Orders;
import io.orderly.Payload;
import io.orderly.Products;
import org.junit.jupiter.api.Test;
import org.springframework.graphql.test.tester.GraphQlTester;

import static io.orderly.Orders.line;
import static org.assertj.core.api.Assertions.assertThat;

/** placeOrder requests racing each other over HTTP: stock never oversold, a key never used twice. */
class OrderPlacementConcurrencyIntegrationTests extends IntegrationTest {

    @Test
    void sellsTheLastUnitsExactlyOnceWhenTwentyOrdersRaceForThem() throws Exception {
        String customer = Orders.customer(graphQl);
        String desk = Products.create(graphQl, "100.00", 5);

        List<Payload> payloads = inParallel(20, client -> Orders.place(client, customer, List.of(line(desk, 1))));

        assertThat(payloads).filteredOn(payload -> payload.errors().isEmpty()).hasSize(5)
                .extracting(Payload::acceptedId).doesNotHaveDuplicates();
        assertThat(payloads).filteredOn(payload -> !payload.errors().isEmpty()).hasSize(15)
                .allSatisfy(payload -> payload.assertRefused("INSUFFICIENT_STOCK", List.of("input", "lines", "0"),
                        "1 requested, 0 available"));
        assertThat(Products.stock(jdbc, desk)).isZero();
        assertThat(Orders.ordersWithProduct(jdbc, desk)).isEqualTo(5);
    }

    @Test
    void placesOneOrderWhenTenRetriesOfOneKeyArriveTogether() throws Exception {
        String customer = Orders.customer(graphQl);
        String desk = Products.create(graphQl, "100.00", 100);
        String key = "checkout-" + UUID.randomUUID();

        List<Payload> payloads = inParallel(10, client -> Orders.place(client, customer, List.of(line(desk, 2)), key));

        List<String> orderIds = payloads.stream().map(Payload::acceptedId).toList();
        assertThat(orderIds).containsOnly(orderIds.get(0));
        assertThat(jdbc.sql("SELECT id::text FROM orders WHERE idempotency_key = :key").param("key", key)
                .query(String.class).list()).containsExactly(orderIds.get(0));
        assertThat(Orders.ordersOfCustomer(jdbc, customer)).isEqualTo(1);
        assertThat(Products.stock(jdbc, desk)).isEqualTo(98);
    }

    /**
     * Sends {@code count} requests at once, each from a thread and a client of its own: all threads
     * wait at a gate that opens when every one of them is ready.
     */
    private <T> List<T> inParallel(int count, Function<GraphQlTester, T> request) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(count);
        try {
            CountDownLatch ready = new CountDownLatch(count);
            CountDownLatch gate = new CountDownLatch(1);
            List<Future<T>> results = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                GraphQlTester client = graphQl.mutate().build();
                results.add(threads.submit(() -> {
                    ready.countDown();
                    gate.await();
                    return request.apply(client);
                }));
            }
            assertThat(ready.await(10, TimeUnit.SECONDS)).as("all threads ready").isTrue();
            gate.countDown();
            List<T> payloads = new ArrayList<>();
            for (Future<T> result : results) {
                payloads.add(result.get(60, TimeUnit.SECONDS));
            }
            return payloads;
        }
        finally {
            threads.shutdownNow();
        }
    }
}
