package io.orderly;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Test data for orders: placing them and moving them through their life cycle through the GraphQL API. */
public final class Orders {

    private Orders() {
    }

    /** The order mutations that move an order on, with their test documents. */
    public enum Transition {
        PAY("orderPay", "payOrder"),
        SHIP("orderShip", "shipOrder"),
        DELIVER("orderDeliver", "deliverOrder"),
        CANCEL("orderCancel", "cancelOrder");

        private final String document;
        private final String mutation;

        Transition(String document, String mutation) {
            this.document = document;
            this.mutation = mutation;
        }

        public Payload apply(GraphQlTester graphQl, String orderId) {
            return apply(graphQl, orderId, null);
        }

        public Payload apply(GraphQlTester graphQl, String orderId, @Nullable Integer expectedVersion) {
            Map<String, Object> input = new HashMap<>();
            input.put("id", orderId);
            input.put("expectedVersion", expectedVersion);
            return Payload.of(graphQl.documentName(document).variable("input", input).execute(), mutation, "orderId");
        }
    }

    /** An order placed by a fresh customer for one fresh product. */
    public record Placed(String orderId, String customerId, String productId) {
    }

    /** A freshly registered customer's id, to place orders for. */
    public static String customer(GraphQlTester graphQl) {
        return Customers.registerWithoutRead(graphQl, Customers.uniqueEmail(), "Ada Lovelace").id();
    }

    public static Map<String, Object> line(String productId, int quantity) {
        return Map.of("productId", productId, "quantity", quantity);
    }

    public static Payload place(GraphQlTester graphQl, String customerId, List<Map<String, Object>> lines) {
        return place(graphQl, Map.of("customerId", customerId, "lines", lines));
    }

    public static Payload place(GraphQlTester graphQl, String customerId, List<Map<String, Object>> lines, String idempotencyKey) {
        return place(graphQl, Map.of("customerId", customerId, "lines", lines, "idempotencyKey", idempotencyKey));
    }

    public static Payload place(GraphQlTester graphQl, Map<String, Object> input) {
        return Payload.of(graphQl.documentName("orderPlace").variable("input", input).execute(), "placeOrder", "orderId");
    }

    /** Places an order for {@code quantity} units of a fresh product, priced 12.50, that had {@code stock} units. */
    public static Placed placedOrder(GraphQlTester graphQl, int quantity, int stock) {
        String customerId = customer(graphQl);
        String productId = Products.create(graphQl, "12.50", stock);
        String orderId = place(graphQl, customerId, List.of(line(productId, quantity))).acceptedId();
        return new Placed(orderId, customerId, productId);
    }

    /** The order's row as stored, total as text (e.g. "60.67"). */
    public static Map<String, Object> stored(JdbcClient jdbc, String id) {
        return jdbc.sql("""
                SELECT customer_id::text AS customer_id, status, total::text AS total, version, placed_at, updated_at
                  FROM orders WHERE id = :id::uuid
                """)
                .param("id", id)
                .query().singleRow();
    }

    /** The order's lines in line order, unit price as text. */
    public static List<Map<String, Object>> storedLines(JdbcClient jdbc, String id) {
        return jdbc.sql("""
                SELECT line_no, product_id::text AS product_id, sku, name, unit_price::text AS unit_price, quantity
                  FROM order_lines WHERE order_id = :id::uuid ORDER BY line_no
                """)
                .param("id", id)
                .query().listOfRows();
    }

    /** How many orders have a line for this product: none after a refused placeOrder. */
    public static long ordersWithProduct(JdbcClient jdbc, String productId) {
        return jdbc.sql("SELECT count(DISTINCT order_id) FROM order_lines WHERE product_id = :id::uuid")
                .param("id", productId)
                .query(Long.class).single();
    }

    public static long ordersOfCustomer(JdbcClient jdbc, String customerId) {
        return jdbc.sql("SELECT count(*) FROM orders WHERE customer_id = :id::uuid")
                .param("id", customerId)
                .query(Long.class).single();
    }
}
