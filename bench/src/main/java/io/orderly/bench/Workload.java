package io.orderly.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import tools.jackson.databind.JsonNode;

/**
 * Random orders to place (a seeded customer and 1 to 3 distinct seeded products, 1 or 2 units each)
 * and seeded ids to ask for.
 */
record Workload(List<UUID> customers, List<UUID> products, List<String> orderIds) {

    /** A product by id: the simple query of the isolation and token-cost steps. */
    static final String PRODUCT_QUERY = """
            query ($id: ID!) { product(id: $id) { id sku name price { amount currency } stock unitsSold } }
            """;

    static final String PLACE_ORDER = """
            mutation Place($input: PlaceOrderInput!) {
              placeOrder(input: $input) { orderId consistencyToken errors { code message } }
            }""";

    static final String PLACE_ORDER_READING_IT = """
            mutation Place($input: PlaceOrderInput!) {
              placeOrder(input: $input) {
                orderId consistencyToken errors { code message }
                order { id status total { amount currency } lines { name quantity product { name stock } } customer { name orderCount } }
              }
            }""";

    record Line(UUID productId, int quantity) {
    }

    record NewOrder(UUID customerId, List<Line> lines) {

        Map<String, Object> input() {
            Map<String, Object> input = new LinkedHashMap<>();
            input.put("customerId", customerId.toString());
            input.put("lines", lines.stream()
                    .map(line -> Map.<String, Object>of("productId", line.productId().toString(), "quantity", line.quantity()))
                    .toList());
            return Map.of("input", input);
        }
    }

    /** The seeded customers and products, and 10,000 of the seeded orders picked at random. */
    static Workload seeded(String jdbcUrl) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, "postgres", "");
                Statement sql = connection.createStatement()) {
            return new Workload(uuids(sql, "SELECT id FROM customers ORDER BY id"),
                    uuids(sql, "SELECT id FROM products ORDER BY id"),
                    uuids(sql, "SELECT id FROM orders ORDER BY random() LIMIT 10000").stream().map(UUID::toString).toList());
        }
    }

    private static List<UUID> uuids(Statement sql, String query) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (ResultSet rs = sql.executeQuery(query)) {
            while (rs.next()) {
                ids.add(rs.getObject(1, UUID.class));
            }
        }
        return ids;
    }

    NewOrder nextOrder() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int count = 1 + random.nextInt(3);
        List<Line> lines = new ArrayList<>();
        int first = random.nextInt(products.size());
        for (int k = 0; k < count; k++) {
            lines.add(new Line(products.get((first + k * 97) % products.size()), 1 + random.nextInt(2)));
        }
        return new NewOrder(customers.get(random.nextInt(customers.size())), lines);
    }

    String randomOrderId() {
        return orderIds.get(ThreadLocalRandom.current().nextInt(orderIds.size()));
    }

    String randomProductId() {
        return products.get(ThreadLocalRandom.current().nextInt(products.size())).toString();
    }

    /** Places the next order with this mutation: whether it was placed (no errors, an order id). */
    boolean placeThroughGraphQl(GraphQlClient client, String mutation) throws Exception {
        JsonNode payload = GraphQlClient.JSON.readTree(client.post(GraphQlClient.body(mutation, nextOrder().input())))
                .path("data").path("placeOrder");
        return payload.path("errors").isEmpty() && !payload.path("orderId").isNull();
    }

    /**
     * Waits until the projector has applied every write made so far: places one order and waits
     * for it to be readable (commit order makes every earlier write readable too). Bounded.
     */
    void awaitCaughtUp(GraphQlClient client) throws InterruptedException {
        long t0 = System.nanoTime();
        long deadline = t0 + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (placeThroughGraphQl(client, PLACE_ORDER_READING_IT)) {
                    System.out.printf("  read models caught up after %.1f s%n", (System.nanoTime() - t0) / 1e9);
                    return;
                }
            }
            catch (Exception stillBehind) {
                // CONSISTENCY_TIMEOUT: the projector is still working through the backlog
            }
            Thread.sleep(500);
        }
        System.out.println("  the read models did not catch up within 5 minutes");
    }
}
