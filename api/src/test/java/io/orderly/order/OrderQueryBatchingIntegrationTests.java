package io.orderly.order;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.RedisClient;
import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.event.command.CommandStartedEvent;
import io.orderly.Customers;
import io.orderly.Customers.Registered;
import io.orderly.IntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A page of orders with their customers and line products costs a fixed number of Redis commands,
 * whatever its size: the index page, its size, and one MGET each for orders, customers and products.
 */
class OrderQueryBatchingIntegrationTests extends IntegrationTest {

    @Autowired
    private RedisClient readModelRedisClient;

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
        for (int i = 0; i < 50; i++) {
            Registered customer = Customers.registerWithoutRead(graphQl, Customers.uniqueEmail(), "Batch " + i);
            lastOrder = rows.order(customer.id(), List.of(
                    OrderRows.line(products.get(i % 3), "1.10", 1),
                    OrderRows.line(products.get((i + 1) % 3), "2.20", 2)), "PAID");
        }
        String newest = lastOrder;
        await().untilAsserted(() -> graphQl.documentName("order").variable("id", newest).execute().path("order.id").hasValue());
        projector.stop();

        int forFive = commandsFor(5);
        int forFifty = commandsFor(50);

        assertThat(forFifty).isEqualTo(forFive).isLessThanOrEqualTo(5);
    }

    private int commandsFor(int pageSize) {
        AtomicInteger commands = new AtomicInteger();
        CommandListener counter = new CommandListener() {
            @Override
            public void commandStarted(CommandStartedEvent event) {
                commands.incrementAndGet();
            }
        };
        readModelRedisClient.addListener(counter);
        try {
            GraphQlTester.Response page = graphQl.documentName("ordersPage")
                    .variable("first", pageSize).variable("status", "PAID").execute();
            page.path("orders.edges").entityList(Object.class).hasSize(pageSize);
            assertThat(page.path("orders.edges[*].node.lines[*].product.name").entityList(String.class).get()).hasSizeGreaterThanOrEqualTo(pageSize);
            page.path("orders.edges[*].node.customer.name").entityList(String.class).hasSize(pageSize);
        }
        finally {
            readModelRedisClient.removeListener(counter);
        }
        return commands.get();
    }
}
