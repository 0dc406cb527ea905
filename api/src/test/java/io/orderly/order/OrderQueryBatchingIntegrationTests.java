package io.orderly.order;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.orderly.Customers;
import io.orderly.Customers.Registered;
import io.orderly.IntegrationTest;
import io.orderly.TestIssuer;
import io.orderly.identity.UserRole;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A page of orders with their customers and line products costs a fixed number of Redis commands,
 * whatever its size: the index page and its size, one MGET for the orders, and one for their customers
 * and products together, read only when selected.
 */
class OrderQueryBatchingIntegrationTests extends IntegrationTest {

    private static final Pattern COMMAND_STAT = Pattern.compile("^cmdstat_([a-z]+):calls=(\\d+)");
    /**
     * What pages read (every read of documents is an MGET, with the switch marker first). Left out:
     * EVAL, which the projector's lease renewals use too (readers use it only while a staged
     * transaction is being copied, never here); single-key GET, which the feed reader polls in the
     * background (and pages send for the switch marker), and
     * the watermark and applied-set reads (HGETALL, ZSCORE) with which pending consistency waits of
     * other callers are re-checked in the background; the reader here waits for nothing.
     */
    private static final Set<String> READ_COMMANDS = Set.of("mget", "zcard", "zrangebylex", "zrevrangebylex");

    @Autowired
    private TransactionTemplate transactions;

    @AfterEach
    void projectorRunsAgain() {
        if (!projector.isRunning()) {
            projector.start();
        }
    }

    @Test
    void readsAPageOfFiftyOrdersInAConstantNumberOfCommands() {
        OrderRows rows = new OrderRows(jdbc, transactions);
        String suffix = UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        List<String> products = List.of(
                rows.product("BATCH-A-" + suffix, "Apples", "1.10", 1000),
                rows.product("BATCH-B-" + suffix, "Bread", "2.20", 1000),
                rows.product("BATCH-C-" + suffix, "Cheese", "3.30", 1000));
        String lastOrder = null;
        Map<String, String> customerNames = new HashMap<>();
        for (int i = 0; i < 50; i++) {
            Registered customer = Customers.registerWithoutRead(graphQl, Customers.uniqueEmail(), "Batch " + i);
            lastOrder = rows.order(customer.id(), List.of(
                    OrderRows.line(products.get(i % 3), "1.10", 1),
                    OrderRows.line(products.get((i + 1) % 3), "2.20", 2)), "PAID");
            customerNames.put(lastOrder, "Batch " + i);
        }
        String newest = lastOrder;
        await().untilAsserted(() -> graphQl.documentName("order").variable("id", newest).execute().path("order.id").hasValue());
        projector.stop();

        long forFive = commandsFor(5);
        long forFifty = commandsFor(50);
        long withoutCustomersOrProducts = commandsForOrdersOnly(50);
        long forOneOrder = commandsForOrder(newest);

        assertThat(forFifty).isEqualTo(forFive).isEqualTo(4);
        // The customers and products are read (in one MGET) only when the page selects them.
        assertThat(withoutCustomersOrProducts).isEqualTo(3);
        // One order: an MGET of the marker and the order, then one of its customer and products.
        assertThat(forOneOrder).isEqualTo(2);
        eachOrderHasItsOwnCustomerAndProducts(customerNames);
    }

    /** Documents read ahead are handed to the fields they belong to: each order its customer, each line its product. */
    private void eachOrderHasItsOwnCustomerAndProducts(Map<String, String> customerNames) {
        List<Map<String, Object>> nodes = graphQl.documentName("ordersPage").variable("first", 50).variable("status", "PAID").execute()
                .path("orders.edges[*].node").entityList(new ParameterizedTypeReference<Map<String, Object>>() { }).get();
        assertThat(nodes).hasSize(50).allSatisfy(node -> {
            assertThat(node).extractingByKey("customer").extracting("name").isEqualTo(customerNames.get(node.get("id")));
            assertThat(node).extractingByKey("lines").asInstanceOf(InstanceOfAssertFactories.list(Map.class)).hasSize(2)
                    .allSatisfy(line -> assertThat(line.get("product")).extracting("name").isEqualTo(line.get("name")));
        });
    }

    private long commandsForOrder(String id) {
        GraphQlTester reader = graphQlAs(TestIssuer.token(TestIssuer.newSubject(), UserRole.STAFF));
        long before = readCommands();
        reader.document("query($id: ID!) { order(id: $id) { id customer { name } lines { name product { name stock } } } }")
                .variable("id", id).execute().path("order.lines[*].product.name").entityList(String.class).hasSize(2);
        return readCommands() - before;
    }

    private long commandsForOrdersOnly(int pageSize) {
        GraphQlTester reader = graphQlAs(TestIssuer.token(TestIssuer.newSubject(), UserRole.STAFF));
        long before = readCommands();
        reader.document("query($first: Int) { orders(first: $first, status: PAID) { edges { node { id status lines { name } } } } }")
                .variable("first", pageSize).execute().path("orders.edges").entityList(Object.class).hasSize(pageSize);
        return readCommands() - before;
    }

    /**
     * The read commands the server received while one page was served (the projector is stopped, so
     * nothing else reads), to staff who wrote nothing lately: whoever did first waits for its write.
     */
    private long commandsFor(int pageSize) {
        GraphQlTester reader = graphQlAs(TestIssuer.token(TestIssuer.newSubject(), UserRole.STAFF));
        long before = readCommands();
        GraphQlTester.Response page = reader.documentName("ordersPage")
                .variable("first", pageSize).variable("status", "PAID").execute();
        page.path("orders.edges").entityList(Object.class).hasSize(pageSize);
        assertThat(page.path("orders.edges[*].node.lines[*].product.name").entityList(String.class).get())
                .hasSizeGreaterThanOrEqualTo(pageSize);
        page.path("orders.edges[*].node.customer.name").entityList(String.class).hasSize(pageSize);
        return readCommands() - before;
    }

    /** Calls of every command the read side uses, as Redis counts them (INFO commandstats). */
    private long readCommands() {
        long calls = 0;
        for (String line : redis().info("commandstats").split("\r?\n")) {
            Matcher stat = COMMAND_STAT.matcher(line);
            if (stat.find() && READ_COMMANDS.contains(stat.group(1))) {
                calls += Long.parseLong(stat.group(2));
            }
        }
        return calls;
    }
}
