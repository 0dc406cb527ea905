package io.orderly;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.jspecify.annotations.Nullable;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A random but repeatable mix of commands through the GraphQL API (orders placed, paid, shipped,
 * delivered and cancelled, products restocked and repriced, customers renamed), to compare the
 * read models with PostgreSQL afterwards. Refused commands are part of the mix.
 */
public final class Workload {

    private final GraphQlTester graphQl;
    private final JdbcClient jdbc;
    private final Random random;
    private final List<String> customers = new ArrayList<>();
    private final List<String> products = new ArrayList<>();
    private final List<String> orders = new ArrayList<>();
    private @Nullable String lastToken;
    private int accepted;

    public Workload(GraphQlTester graphQl, JdbcClient jdbc, long seed) {
        this.graphQl = graphQl;
        this.jdbc = jdbc;
        this.random = new Random(seed);
    }

    /** Runs {@code commands} commands after creating a few customers and products to work with. */
    public Workload run(int commands) {
        for (int i = 0; i < 8; i++) {
            registerCustomer();
        }
        for (int i = 0; i < 6; i++) {
            createProduct();
        }
        for (int i = 0; i < commands; i++) {
            int dice = random.nextInt(100);
            if (dice < 40) {
                placeOrder();
            }
            else if (dice < 75 && !orders.isEmpty()) {
                Orders.Transition transition = Orders.Transition.values()[random.nextInt(Orders.Transition.values().length)];
                record(transition.apply(graphQl, pick(orders)));
            }
            else if (dice < 83) {
                record(Products.restock(graphQl, pick(products), 1 + random.nextInt(20)));
            }
            else if (dice < 90) {
                renameCustomer();
            }
            else if (dice < 95) {
                updateProduct();
            }
            else {
                registerCustomer();
            }
        }
        return this;
    }

    /** The consistency token of the last accepted command. */
    public String lastToken() {
        if (lastToken == null) {
            throw new IllegalStateException("no command was accepted");
        }
        return lastToken;
    }

    public int accepted() {
        return accepted;
    }

    private void registerCustomer() {
        Customers.Registered customer = Customers.registerWithoutRead(graphQl, Customers.uniqueEmail(), "Workload " + customers.size());
        customers.add(customer.id());
        lastToken = customer.token();
        accepted++;
    }

    private void createProduct() {
        Map<String, Object> input = Products.newProduct();
        input.put("price", (1 + random.nextInt(50)) + "." + (10 + random.nextInt(90)));
        input.put("initialStock", 5 + random.nextInt(30));
        Payload payload = Products.create(graphQl, input);
        products.add(payload.acceptedId());
        record(payload);
    }

    private void placeOrder() {
        List<Map<String, Object>> lines = new ArrayList<>();
        int count = 1 + random.nextInt(4);
        for (int i = 0; i < count; i++) {
            lines.add(Orders.line(pick(products), 1 + random.nextInt(3)));
        }
        Payload payload = Orders.place(graphQl, pick(customers), lines);
        if (payload.errors().isEmpty()) {
            orders.add(payload.id());
        }
        record(payload);
    }

    private void renameCustomer() {
        String id = pick(customers);
        int version = jdbc.sql("SELECT version FROM customers WHERE id = :id::uuid").param("id", id).query(Integer.class).single();
        Map<String, Object> input = new HashMap<>(Map.of("id", id, "expectedVersion", version, "name", "Renamed " + random.nextInt(1000)));
        Payload payload = Payload.of(graphQl.documentName("updateCustomerWithoutRead").variable("input", input).execute(),
                "updateCustomer", "customerId");
        record(payload);
    }

    private void updateProduct() {
        String id = pick(products);
        int version = jdbc.sql("SELECT version FROM products WHERE id = :id::uuid").param("id", id).query(Integer.class).single();
        Map<String, Object> input = new HashMap<>(Map.of("id", id, "expectedVersion", version));
        if (random.nextBoolean()) {
            input.put("price", (1 + random.nextInt(80)) + ".00");
        }
        else {
            input.put("active", random.nextInt(4) != 0);
        }
        record(Products.update(graphQl, input));
    }

    private void record(Payload payload) {
        if (payload.errors().isEmpty()) {
            lastToken = payload.consistencyToken();
            accepted++;
        }
    }

    private String pick(List<String> ids) {
        return ids.get(random.nextInt(ids.size()));
    }
}
