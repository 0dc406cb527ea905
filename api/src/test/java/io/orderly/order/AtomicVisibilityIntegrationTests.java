package io.orderly.order;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.orderly.Customers;
import io.orderly.Customers.Registered;
import io.orderly.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** A reader never sees half a transaction: an order always comes with all its lines and a matching total. */
class AtomicVisibilityIntegrationTests extends IntegrationTest {

    private static final int LINES_PER_ORDER = 4;

    @Autowired
    private TransactionTemplate transactions;

    @Test
    void readersNeverSeeAnOrderWhoseLinesAndTotalDisagree() {
        OrderRows rows = new OrderRows(jdbc, transactions);
        Registered customer = Customers.register(graphQl);
        String suffix = UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        List<String> products = new ArrayList<>();
        for (int i = 0; i < LINES_PER_ORDER; i++) {
            products.add(rows.product("ATOMIC-" + i + "-" + suffix, "Part " + i, (i + 1) + ".25", 1_000_000));
        }
        AtomicBoolean writing = new AtomicBoolean(true);
        CompletableFuture<Integer> writer = CompletableFuture.supplyAsync(() -> {
            int written = 0;
            for (; written < 60; written++) {
                List<OrderRows.Line> lines = new ArrayList<>();
                for (int i = 0; i < LINES_PER_ORDER; i++) {
                    lines.add(OrderRows.line(products.get(i), (i + 1) + ".25", 1 + written % 3));
                }
                rows.order(customer.id(), lines, "PLACED");
            }
            writing.set(false);
            return written;
        });

        AtomicInteger ordersSeen = new AtomicInteger();
        List<String> torn = new ArrayList<>();
        while (writing.get() || ordersSeen.get() == 0) {
            List<Map<String, Object>> orders = graphQl.documentName("customerOrdersWithLines")
                    .variable("id", customer.id()).execute()
                    .path("customer.orders.edges[*].node").entityList(mapType()).get();
            for (Map<String, Object> order : orders) {
                ordersSeen.incrementAndGet();
                if (!consistent(order)) {
                    torn.add(order.toString());
                }
            }
        }

        assertThat(writer.join()).isEqualTo(60);
        assertThat(ordersSeen.get()).isPositive();
        assertThat(torn).isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static boolean consistent(Map<String, Object> order) {
        List<Map<String, Object>> lines = (List<Map<String, Object>>) order.get("lines");
        BigDecimal sum = lines.stream()
                .map(line -> new BigDecimal((String) ((Map<String, Object>) line.get("lineTotal")).get("amount")))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal total = new BigDecimal((String) ((Map<String, Object>) order.get("total")).get("amount"));
        return lines.size() == LINES_PER_ORDER && sum.compareTo(total) == 0;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Class<Map<String, Object>> mapType() {
        return (Class) Map.class;
    }
}
