package io.orderly.order;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.orderly.Customers;
import io.orderly.Customers.Registered;
import io.orderly.IntegrationTest;
import io.orderly.projection.ReadModelCheck;
import org.junit.jupiter.api.BeforeEach;
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

    private OrderRows rows;

    @BeforeEach
    void rows() {
        rows = new OrderRows(jdbc, transactions);
    }

    @Test
    void projectsAnOrderWithItsLinesCustomerAndProducts() {
        Registered customer = Customers.register(graphQl);
        String tea = rows.product("TEA-" + suffix(), "Green tea", "4.50", 10);
        String cup = rows.product("CUP-" + suffix(), "Cup", "12.00", 3);
        String order = rows.order(customer.id(), List.of(OrderRows.line(tea, "4.50", 2), OrderRows.line(cup, "12.00", 1)), "PLACED");

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
        String tea = rows.product("TEA-" + suffix(), "Black tea", "3.00", 10);
        String kept = rows.order(customer.id(), List.of(OrderRows.line(tea, "3.00", 1)), "PLACED");
        String cancelled = rows.order(customer.id(), List.of(OrderRows.line(tea, "3.00", 4)), "PLACED");
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
        String tea = rows.product("TEA-" + suffix(), "White tea", "8.00", 5);
        String order = rows.order(customer.id(), List.of(OrderRows.line(tea, "8.00", 2)), "PAID");
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

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }
}
