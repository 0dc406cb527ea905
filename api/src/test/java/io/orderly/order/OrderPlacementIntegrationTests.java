package io.orderly.order;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.orderly.IntegrationTest;
import io.orderly.Orders;
import io.orderly.Payload;
import io.orderly.Products;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.graphql.test.tester.GraphQlTester;

import static io.orderly.Orders.line;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** placeOrder: what an accepted order stores, and refusals that write nothing. */
class OrderPlacementIntegrationTests extends IntegrationTest {

    @Test
    void storesTheOrderWithAnExactTotalAndReservesTheStock() {
        String customer = Orders.customer(graphQl);
        String desk = Products.create(graphQl, "19.99", 10);
        String lamp = Products.create(graphQl, "0.10", 100);
        String pen = Products.create(graphQl, "0.20", 1);

        Payload payload = Orders.place(graphQl, customer, List.of(line(desk, 3), line(lamp, 7), line(pen, 1)));

        String orderId = payload.acceptedId();
        assertThat(payload.consistencyToken()).contains("@");
        assertThat(Orders.stored(jdbc, orderId))
                .containsEntry("customer_id", customer)
                .containsEntry("status", "PLACED")
                .containsEntry("total", "60.87")
                .containsEntry("version", 1);
        assertThat(Products.stock(jdbc, desk)).isEqualTo(7);
        assertThat(Products.stock(jdbc, lamp)).isEqualTo(93);
        assertThat(Products.stock(jdbc, pen)).isZero();
    }

    @Test
    void linesKeepTheSkuNameAndPriceTheProductHadWhenOrdered() {
        String customer = Orders.customer(graphQl);
        Map<String, Object> input = Products.newProduct();
        input.put("price", "249.00");
        String desk = Products.create(graphQl, input).acceptedId();
        String orderId = Orders.place(graphQl, customer, List.of(line(desk, 2))).acceptedId();

        Products.update(graphQl, Map.of("id", desk, "expectedVersion", 1, "name", "Oak desk", "price", "299.00")).acceptedId();

        assertThat(Orders.storedLines(jdbc, orderId)).containsExactly(Map.of("line_no", 1, "product_id", desk,
                "sku", input.get("sku"), "name", "Walnut desk", "unit_price", "249.00", "quantity", 2));
        assertThat(Orders.stored(jdbc, orderId)).containsEntry("total", "498.00");
    }

    @Test
    void mergesLinesForTheSameProductInTheOrderTheyFirstAppear() {
        String customer = Orders.customer(graphQl);
        String desk = Products.create(graphQl, "100.00", 10);
        String lamp = Products.create(graphQl, "20.00", 10);

        String orderId = Orders.place(graphQl, customer, List.of(line(desk, 2), line(lamp, 1), line(desk, 3))).acceptedId();

        assertThat(Orders.storedLines(jdbc, orderId))
                .extracting(row -> row.get("line_no"), row -> row.get("product_id"), row -> row.get("quantity"))
                .containsExactly(
                        tuple(1, desk, 5),
                        tuple(2, lamp, 1));
        assertThat(Orders.stored(jdbc, orderId)).containsEntry("total", "520.00");
        assertThat(Products.stock(jdbc, desk)).isEqualTo(5);
    }

    /** Each mutation's payload reads the documents it names after its own write, not as an earlier mutation's payload read them. */
    @Test
    void eachPayloadOfARequestSeesTheProductsAfterItsOwnOrder() {
        String customer = Orders.customer(graphQl);
        String desk = Products.create(graphQl, "100.00", 10);
        String place = "placeOrder(input: {customerId: $customer, lines: [{productId: $desk, quantity: 1}]}) "
                + "{ order { lines { product { stock } } } }";

        GraphQlTester.Response response = graphQl.document("mutation($customer: ID!, $desk: ID!) { first: " + place + " second: " + place + " }")
                .variable("customer", customer).variable("desk", desk).execute();

        response.path("first.order.lines[0].product.stock").entity(Integer.class).isEqualTo(9);
        response.path("second.order.lines[0].product.stock").entity(Integer.class).isEqualTo(8);
    }

    @Test
    void reservingStockTouchesTheProductButNotItsVersion() {
        String customer = Orders.customer(graphQl);
        String desk = Products.create(graphQl, "100.00", 3);
        Map<String, Object> before = Products.stored(jdbc, desk);

        Orders.place(graphQl, customer, List.of(line(desk, 3))).acceptedId();

        Map<String, Object> after = Products.stored(jdbc, desk);
        assertThat(after).containsEntry("stock", 0).containsEntry("version", 1);
        assertThat((Timestamp) after.get("updated_at")).isAfter((Timestamp) before.get("updated_at"));
    }

    @Test
    void refusesAnUnknownCustomer() {
        String desk = Products.create(graphQl, "100.00", 10);
        Map<String, Map<String, Object>> before = productRows(desk);

        Orders.place(graphQl, "6f1c1a52-0000-4000-8000-000000000000", List.of(line(desk, 1)))
                .assertRefused("NOT_FOUND", List.of("input", "customerId"), "no customer with id 6f1c1a52-0000-4000-8000-000000000000");
        Orders.place(graphQl, "ada", List.of(line(desk, 1)))
                .assertRefused("NOT_FOUND", List.of("input", "customerId"), "no customer with id ada");

        assertNothingWritten(null, before);
    }

    @Test
    void refusesAnUnknownProductNamingItsLine() {
        String customer = Orders.customer(graphQl);
        String desk = Products.create(graphQl, "100.00", 10);
        Map<String, Map<String, Object>> before = productRows(desk);

        Orders.place(graphQl, customer, List.of(line(desk, 1), line("6f1c1a52-0000-4000-8000-000000000000", 1)))
                .assertRefused("NOT_FOUND", List.of("input", "lines", "1", "productId"), "no product with id 6f1c1a52");
        Orders.place(graphQl, customer, List.of(line("desk", 1), line(desk, 1)))
                .assertRefused("NOT_FOUND", List.of("input", "lines", "0", "productId"), "no product with id desk");

        assertNothingWritten(customer, before);
    }

    @Test
    void refusesAnInactiveProduct() {
        String customer = Orders.customer(graphQl);
        String lamp = Products.create(graphQl, "20.00", 10);
        String desk = Products.create(graphQl, "100.00", 10);
        Products.update(graphQl, Map.of("id", desk, "expectedVersion", 1, "active", false)).acceptedId();
        Map<String, Map<String, Object>> before = productRows(lamp, desk);

        Orders.place(graphQl, customer, List.of(line(lamp, 1), line(desk, 1)))
                .assertRefused("INACTIVE_PRODUCT", List.of("input", "lines", "1", "productId"), "is inactive");

        assertNothingWritten(customer, before);
    }

    @Test
    void refusesAnOrderForMoreThanIsInStockNamingTheLineSkuAndQuantities() {
        String customer = Orders.customer(graphQl);
        String lamp = Products.create(graphQl, "20.00", 10);
        Map<String, Object> input = Products.newProduct();
        input.put("initialStock", 3);
        String desk = Products.create(graphQl, input).acceptedId();
        Map<String, Map<String, Object>> before = productRows(lamp, desk);

        Orders.place(graphQl, customer, List.of(line(lamp, 10), line(desk, 4)))
                .assertRefused("INSUFFICIENT_STOCK", List.of("input", "lines", "1"),
                        "not enough " + input.get("sku") + " in stock: 4 requested, 3 available");

        assertNothingWritten(customer, before);
    }

    @Test
    void checksStockAgainstTheMergedQuantity() {
        String customer = Orders.customer(graphQl);
        String desk = Products.create(graphQl, "100.00", 3);
        String lamp = Products.create(graphQl, "20.00", 10);
        Map<String, Map<String, Object>> before = productRows(desk);

        Orders.place(graphQl, customer, List.of(line(lamp, 1), line(desk, 2), line(desk, 2)))
                .assertRefused("INSUFFICIENT_STOCK", List.of("input", "lines", "1"), "4 requested, 3 available");

        assertNothingWritten(customer, before);
    }

    @Test
    void reportsEveryProblemWithTheCustomerAndTheLinesAtOnce() {
        String desk = Products.create(graphQl, "100.00", 1);
        String lamp = Products.create(graphQl, "20.00", 10);
        Products.update(graphQl, Map.of("id", lamp, "expectedVersion", 1, "active", false)).acceptedId();
        String pen = Products.create(graphQl, "1.00", 10);
        Map<String, Map<String, Object>> before = productRows(pen);

        Payload payload = Orders.place(graphQl, "6f1c1a52-0000-4000-8000-000000000000", List.of(
                line(pen, 1), line(desk, 2), line(lamp, 1), line("6f1c1a52-0000-4000-8000-000000000001", 1)));

        payload.assertRefused();
        assertThat(payload.errors()).extracting(error -> error.get("code"), error -> error.get("field")).containsExactly(
                tuple("NOT_FOUND", List.of("input", "customerId")),
                tuple("INSUFFICIENT_STOCK", List.of("input", "lines", "1")),
                tuple("INACTIVE_PRODUCT", List.of("input", "lines", "2", "productId")),
                tuple("NOT_FOUND", List.of("input", "lines", "3", "productId")));
        assertNothingWritten(null, before);
    }

    @Test
    void refusesAnOrderWhoseTotalIsMoreThanATotalCanHold() {
        String customer = Orders.customer(graphQl);
        String yacht = Products.create(graphQl, "9999999999.99", 1000);
        Map<String, Map<String, Object>> before = productRows(yacht);

        Orders.place(graphQl, customer, List.of(line(yacht, 101)))
                .assertRefused("VALIDATION", List.of("input", "lines"), "above the maximum of 999999999999.99");

        assertNothingWritten(customer, before);
        assertThat(Orders.stored(jdbc, Orders.place(graphQl, customer, List.of(line(yacht, 100))).acceptedId()))
                .containsEntry("total", "999999999999.00");
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, -1, 10_001 })
    void refusesQuantitiesOutsideOneToTenThousand(int quantity) {
        String customer = Orders.customer(graphQl);
        String desk = Products.create(graphQl, "1.00", 100_000);
        Map<String, Map<String, Object>> before = productRows(desk);

        Orders.place(graphQl, customer, List.of(line(desk, 1), line(desk, quantity)))
                .assertRefused("VALIDATION", List.of("input", "lines", "1", "quantity"), "between 1 and 10000");

        assertNothingWritten(customer, before);
    }

    @Test
    void refusesLinesForOneProductThatAddUpToMoreThanTenThousand() {
        String customer = Orders.customer(graphQl);
        String desk = Products.create(graphQl, "1.00", 100_000);
        Map<String, Map<String, Object>> before = productRows(desk);

        Orders.place(graphQl, customer, List.of(line(desk, 6_000), line(desk, 4_001)))
                .assertRefused("VALIDATION", List.of("input", "lines", "0", "quantity"), "add up to 10001");

        assertNothingWritten(customer, before);
    }

    @Test
    void refusesNoLinesAndMoreThanAHundredLines() {
        String customer = Orders.customer(graphQl);
        List<Map<String, Object>> lines = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            lines.add(line(Products.create(graphQl, "1.00", 1), 1));
        }

        Orders.place(graphQl, customer, List.of())
                .assertRefused("VALIDATION", List.of("input", "lines"), "1 to 100 lines, not 0");
        Orders.place(graphQl, customer, lines)
                .assertRefused("VALIDATION", List.of("input", "lines"), "1 to 100 lines, not 101");

        assertThat(Orders.ordersOfCustomer(jdbc, customer)).isZero();
        String hundredth = Orders.place(graphQl, customer, lines.subList(0, 100)).acceptedId();
        assertThat(Orders.storedLines(jdbc, hundredth)).hasSize(100).last().satisfies(last -> assertThat(last).containsEntry("line_no", 100));
    }

    @Test
    void refusesAnIdempotencyKeyOfNoneOrMoreThanAHundredCharacters() {
        String customer = Orders.customer(graphQl);
        String desk = Products.create(graphQl, "1.00", 10);

        Orders.place(graphQl, customer, List.of(line(desk, 1)), "")
                .assertRefused("VALIDATION", List.of("input", "idempotencyKey"), "1 to 100 characters");
        Orders.place(graphQl, customer, List.of(line(desk, 1)), String.join("", Collections.nCopies(101, "k")))
                .assertRefused("VALIDATION", List.of("input", "idempotencyKey"), "1 to 100 characters");

        assertThat(Orders.ordersOfCustomer(jdbc, customer)).isZero();
    }

    private Map<String, Map<String, Object>> productRows(String... productIds) {
        Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
        for (String productId : productIds) {
            rows.put(productId, Products.stored(jdbc, productId));
        }
        return rows;
    }

    /** Nothing of a refused order is stored: the customer has no order, the products are as they were and on no order. */
    private void assertNothingWritten(@Nullable String customer, Map<String, Map<String, Object>> productsBefore) {
        if (customer != null) {
            assertThat(Orders.ordersOfCustomer(jdbc, customer)).isZero();
        }
        productsBefore.forEach((productId, before) -> {
            assertThat(Products.stored(jdbc, productId)).isEqualTo(before);
            assertThat(Orders.ordersWithProduct(jdbc, productId)).isZero();
        });
    }
}
