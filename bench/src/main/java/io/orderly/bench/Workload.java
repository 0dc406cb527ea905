package io.orderly.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Random orders to place: a seeded customer and 1 to 3 distinct seeded products, 1 or 2 units each. */
record Workload(List<UUID> customers, List<UUID> products, List<String> orderIds) {

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
}
