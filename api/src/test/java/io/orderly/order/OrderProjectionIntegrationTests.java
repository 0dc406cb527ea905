package io.orderly.order;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.orderly.Customers;
import io.orderly.Customers.Registered;
import io.orderly.IntegrationTest;
import io.orderly.projection.ReadModelCheck;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The projector follows whatever commits to the tables, not only the command handlers: these tests
 * write PostgreSQL with plain SQL (deletes included, which no mutation does) and read the joined
 * read models back through GraphQL.
 */
class OrderProjectionIntegrationTests extends IntegrationTest {

    @Autowired
    private TransactionTemplate transactions;

    @Autowired
    private ReadModelCheck check;

    @Test
    void projectsAnOrderWithItsLinesCustomerAndProducts() {
        Registered customer = Customers.register(graphQl);
        String tea = product("TEA-" + suffix(), "Green tea", "4.50", 10);
        String cup = product("CUP-" + suffix(), "Cup", "12.00", 3);
        String order = order(customer.id(), List.of(line(tea, "4.50", 2), line(cup, "12.00", 1)), "PLACED");

        GraphQlTester.Response response = awaitOrder(order);

        response.path("order.status").entity(String.class).isEqualTo("PLACED")
                .path("order.total.amount").entity(String.class).isEqualTo("21.00")
                .path("order.lines[*].lineNo").entityList(Integer.class).containsExactly(1, 2)
                .path("order.lines[0].name").entity(String.class).isEqualTo("Green tea")
                .path("order.lines[0].lineTotal.amount").entity(String.class).isEqualTo("9.00")
                .path("order.lines[0].product.id").entity(String.class).isEqualTo(tea)
                .path("order.lines[1].product.unitsSold").entity(Integer.class).isEqualTo(1)
                .path("order.customer.id").entity(String.class).isEqualTo(customer.id())
                .path("order.customer.orderCount").entity(Integer.class).isEqualTo(1)
                .path("order.customer.lifetimeValue.amount").entity(String.class).isEqualTo("21.00");
        graphQl.documentName("customerOrders").variable("id", customer.id()).execute()
                .path("customer.orders.totalCount").entity(Integer.class).isEqualTo(1)
                .path("customer.orders.edges[0].node.id").entity(String.class).isEqualTo(order)
                .path("customer.lastOrderAt").hasValue();
        assertThat(check.differences()).isEmpty();
    }

    @Test
    void cancellingGivesSalesAndValueBackAndMovesTheOrderBetweenStatusIndexes() {
        Registered customer = Customers.register(graphQl);
        String tea = product("TEA-" + suffix(), "Black tea", "3.00", 10);
        String kept = order(customer.id(), List.of(line(tea, "3.00", 1)), "PLACED");
        String cancelled = order(customer.id(), List.of(line(tea, "3.00", 4)), "PLACED");
        awaitOrder(cancelled);

        jdbc.sql("UPDATE orders SET status = 'CANCELLED', version = version + 1, updated_at = now() WHERE id = :id::uuid")
                .param("id", cancelled).update();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> graphQl.documentName("order").variable("id", cancelled).execute()
                .path("order.status").entity(String.class).isEqualTo("CANCELLED"));
        graphQl.documentName("customerOrders").variable("id", customer.id()).variable("status", "CANCELLED").execute()
                .path("customer.orders.edges[*].node.id").entityList(String.class).containsExactly(cancelled)
                .path("customer.orderCount").entity(Integer.class).isEqualTo(2)
                .path("customer.lifetimeValue.amount").entity(String.class).isEqualTo("3.00");
        graphQl.documentName("customerOrders").variable("id", customer.id()).variable("status", "PLACED").execute()
                .path("customer.orders.edges[*].node.id").entityList(String.class).containsExactly(kept);
        graphQl.documentName("product").variable("id", tea).execute()
                .path("product.unitsSold").entity(Integer.class).isEqualTo(1);
        assertThat(check.differences()).isEmpty();
    }

    @Test
    void deletedRowsLeaveNoDocumentOrIndexEntryBehind() {
        Registered customer = Customers.register(graphQl);
        String tea = product("TEA-" + suffix(), "White tea", "8.00", 5);
        String order = order(customer.id(), List.of(line(tea, "8.00", 2)), "PAID");
        awaitOrder(order);

        transactions.executeWithoutResult(status -> {
            jdbc.sql("DELETE FROM order_lines WHERE order_id = :id::uuid").param("id", order).update();
            jdbc.sql("DELETE FROM orders WHERE id = :id::uuid").param("id", order).update();
            jdbc.sql("DELETE FROM products WHERE id = :id::uuid").param("id", tea).update();
        });

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> graphQl.documentName("order").variable("id", order).execute()
                .path("order").valueIsNull());
        graphQl.documentName("product").variable("id", tea).execute().path("product").valueIsNull();
        graphQl.documentName("customerOrders").variable("id", customer.id()).execute()
                .path("customer.orders.totalCount").entity(Integer.class).isEqualTo(0)
                .path("customer.orderCount").entity(Integer.class).isEqualTo(0)
                .path("customer.lifetimeValue.amount").entity(String.class).isEqualTo("0.00")
                .path("customer.lastOrderAt").valueIsNull();
        assertThat(check.differences()).isEmpty();
    }

    private GraphQlTester.Response awaitOrder(String id) {
        return await().atMost(Duration.ofSeconds(10)).until(
                () -> graphQl.documentName("orderWithEverything").variable("id", id).execute(),
                response -> {
                    try {
                        response.path("order.id").hasValue();
                        return true;
                    }
                    catch (AssertionError notYet) {
                        return false;
                    }
                });
    }

    private String product(String sku, String name, String price, int stock) {
        String id = UUID.randomUUID().toString();
        jdbc.sql("INSERT INTO products (id, sku, name, price, stock) VALUES (:id::uuid, :sku, :name, :price, :stock)")
                .param("id", id).param("sku", sku).param("name", name).param("price", new BigDecimal(price)).param("stock", stock)
                .update();
        return id;
    }

    private record Line(String productId, BigDecimal unitPrice, int quantity) {
    }

    private static Line line(String productId, String unitPrice, int quantity) {
        return new Line(productId, new BigDecimal(unitPrice), quantity);
    }

    /** An order and its lines in one transaction, as placeOrder writes them. */
    private String order(String customerId, List<Line> lines, String status) {
        String id = UUID.randomUUID().toString();
        BigDecimal total = lines.stream().map(l -> l.unitPrice().multiply(BigDecimal.valueOf(l.quantity())))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        transactions.executeWithoutResult(tx -> {
            jdbc.sql("INSERT INTO orders (id, customer_id, status, total) VALUES (:id::uuid, :customer::uuid, :status, :total)")
                    .param("id", id).param("customer", customerId).param("status", status).param("total", total).update();
            for (int i = 0; i < lines.size(); i++) {
                Line line = lines.get(i);
                Map<String, Object> product = jdbc.sql("SELECT sku, name FROM products WHERE id = :id::uuid")
                        .param("id", line.productId()).query().singleRow();
                jdbc.sql("""
                        INSERT INTO order_lines (order_id, line_no, product_id, sku, name, unit_price, quantity)
                        VALUES (:order::uuid, :lineNo, :product::uuid, :sku, :name, :price, :quantity)
                        """)
                        .param("order", id).param("lineNo", i + 1).param("product", line.productId())
                        .param("sku", product.get("sku")).param("name", product.get("name"))
                        .param("price", line.unitPrice()).param("quantity", line.quantity()).update();
            }
        });
        return id;
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }
}
