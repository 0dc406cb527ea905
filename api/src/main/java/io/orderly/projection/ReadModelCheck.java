package io.orderly.projection;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.lettuce.core.Range;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.orderly.cdc.readmodel.CustomerDocument;
import io.orderly.cdc.readmodel.IndexMembers;
import io.orderly.cdc.readmodel.OrderDocument;
import io.orderly.cdc.readmodel.OrderLineDocument;
import io.orderly.cdc.readmodel.ProductDocument;
import io.orderly.cdc.readmodel.ReadModelJson;
import io.orderly.cdc.readmodel.ReadModelKeys;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Compares every read model and index in Redis with what PostgreSQL says, computed directly with
 * SQL, and lists each difference. Read-only on both sides. Meaningful when the projector has
 * caught up with the writes (otherwise it reports the lag as drift); the tests use it as the judge
 * of "projection equals truth". While a staged transaction already visible is still being copied
 * into place ({@link ReadModelKeys#SWITCH}), the documents and key counts are not final: the check
 * waits for that to end first.
 */
@Component
public class ReadModelCheck {

    /** How long a check waits for a staged transaction to be copied into place before it gives up. */
    static final Duration SWITCH_WAIT = Duration.ofSeconds(30);

    private static final long SWITCH_POLL_MILLIS = 50;

    private final JdbcClient jdbc;
    private final RedisCommands<String, String> redis;
    private final Duration switchWait;

    @Autowired
    ReadModelCheck(JdbcClient jdbc, StatefulRedisConnection<String, String> readModelConnection) {
        this(jdbc, readModelConnection, SWITCH_WAIT);
    }

    ReadModelCheck(JdbcClient jdbc, StatefulRedisConnection<String, String> readModelConnection, Duration switchWait) {
        this.jdbc = jdbc;
        this.redis = readModelConnection.sync();
        this.switchWait = switchWait;
    }

    /**
     * Every difference between the read models and PostgreSQL; empty when they agree. Only one,
     * saying so, when a staged transaction is still being copied into place after its wait ({@link #SWITCH_WAIT} by default).
     */
    public List<String> differences() {
        String copying = awaitCopied();
        if (copying != null) {
            return List.of("a staged transaction is still being copied into place after " + switchWait.toMillis()
                    + " ms (" + ReadModelKeys.SWITCH + " names " + copying + "), so the read models are not final and were not "
                    + "compared; check again once it is done");
        }
        List<String> differences = new ArrayList<>();
        checkCustomers(differences);
        checkProducts(differences);
        checkOrders(differences);
        return differences;
    }

    /** Waits, up to the bound, until no staged transaction is being copied into place; the staged hash still named, if one is. */
    private @Nullable String awaitCopied() {
        long deadline = System.nanoTime() + switchWait.toNanos();
        String copying = redis.get(ReadModelKeys.SWITCH);
        while (copying != null && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(SWITCH_POLL_MILLIS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for a staged transaction to be copied into place", e);
            }
            copying = redis.get(ReadModelKeys.SWITCH);
        }
        return copying;
    }

    private void checkCustomers(List<String> differences) {
        List<CustomerDocument> expected = jdbc.sql("""
                SELECT c.id, c.email, c.name, c.subject, c.version, c.created_at, c.updated_at,
                       count(o.id) AS order_count,
                       coalesce(sum(o.total) FILTER (WHERE o.status <> 'CANCELLED'), 0) AS lifetime_value,
                       max(o.placed_at) AS last_order_at
                  FROM customers c LEFT JOIN orders o ON o.customer_id = c.id
                 GROUP BY c.id
                """)
                .query((row, n) -> new CustomerDocument(row.getString("id"), row.getString("email"), row.getString("name"),
                        row.getString("subject"),
                        row.getInt("version"), row.getInt("order_count"), row.getBigDecimal("lifetime_value").setScale(2),
                        instant(row.getObject("last_order_at", OffsetDateTime.class)),
                        instant(row.getObject("created_at", OffsetDateTime.class)),
                        instant(row.getObject("updated_at", OffsetDateTime.class)), 0))
                .list();
        Set<String> members = new HashSet<>();
        for (CustomerDocument customer : expected) {
            members.add(customer.indexMember());
            CustomerDocument actual = document(ReadModelKeys.customer(customer.id()), CustomerDocument.class);
            if (actual == null || !customer.equals(withoutLsn(actual))) {
                differences.add("customer " + customer.id() + ": expected " + customer + " but read model has " + actual);
            }
        }
        compareIndex(ReadModelKeys.CUSTOMERS, members, differences);
        compareKeyCount("customer:", keysLike(ReadModelKeys.customer("*"), ":orders"), expected.size(), differences);
    }

    private void checkProducts(List<String> differences) {
        List<ProductDocument> expected = jdbc.sql("""
                SELECT p.id, p.sku, p.name, p.description, p.price, p.stock, p.active, p.version, p.created_at, p.updated_at,
                       coalesce((SELECT sum(l.quantity) FROM order_lines l JOIN orders o ON o.id = l.order_id
                                  WHERE l.product_id = p.id AND o.status <> 'CANCELLED'), 0) AS units_sold
                  FROM products p
                """)
                .query((row, n) -> new ProductDocument(row.getString("id"), row.getString("sku"), row.getString("name"),
                        row.getString("description"), row.getBigDecimal("price"), row.getInt("stock"), row.getInt("units_sold"),
                        row.getBoolean("active"), row.getInt("version"),
                        instant(row.getObject("created_at", OffsetDateTime.class)),
                        instant(row.getObject("updated_at", OffsetDateTime.class)), 0))
                .list();
        Set<String> byName = new HashSet<>();
        Set<String> byPrice = new HashSet<>();
        Set<String> byUnitsSold = new HashSet<>();
        for (ProductDocument product : expected) {
            byName.add(product.nameMember());
            byPrice.add(product.priceMember());
            byUnitsSold.add(product.unitsSoldMember());
            ProductDocument actual = document(ReadModelKeys.product(product.id()), ProductDocument.class);
            if (actual == null || !product.equals(withoutLsn(actual))) {
                differences.add("product " + product.id() + ": expected " + product + " but read model has " + actual);
            }
            if (!product.id().equals(redis.get(ReadModelKeys.productBySku(product.sku())))) {
                differences.add("product " + product.id() + ": sku lookup " + product.sku() + " does not point to it");
            }
        }
        compareIndex(ReadModelKeys.PRODUCTS_BY_NAME, byName, differences);
        compareIndex(ReadModelKeys.PRODUCTS_BY_PRICE, byPrice, differences);
        compareIndex(ReadModelKeys.PRODUCTS_BY_UNITS_SOLD, byUnitsSold, differences);
        compareKeyCount("product:", keysLike(ReadModelKeys.product("*"), null), expected.size(), differences);
    }

    private void checkOrders(List<String> differences) {
        Map<String, List<OrderLineDocument>> lines = new HashMap<>();
        jdbc.sql("SELECT order_id, line_no, product_id, sku, name, unit_price, quantity FROM order_lines ORDER BY order_id, line_no")
                .query(row -> {
                    BigDecimal unitPrice = row.getBigDecimal("unit_price");
                    int quantity = row.getInt("quantity");
                    lines.computeIfAbsent(row.getString("order_id"), id -> new ArrayList<>())
                            .add(new OrderLineDocument(row.getInt("line_no"), row.getString("product_id"), row.getString("sku"),
                                    row.getString("name"), unitPrice, quantity, unitPrice.multiply(BigDecimal.valueOf(quantity)), 0));
                });
        List<OrderDocument> expected = jdbc.sql("SELECT id, customer_id, status, total, placed_at, updated_at, version FROM orders")
                .query((row, n) -> new OrderDocument(row.getString("id"), row.getString("customer_id"), row.getString("status"),
                        row.getBigDecimal("total"), List.copyOf(lines.getOrDefault(row.getString("id"), List.of())),
                        instant(row.getObject("placed_at", OffsetDateTime.class)),
                        instant(row.getObject("updated_at", OffsetDateTime.class)), row.getInt("version"), 0))
                .list();
        Map<String, Set<String>> indexes = new HashMap<>();
        for (OrderDocument order : expected) {
            String member = order.indexMember();
            for (String index : List.of(ReadModelKeys.ORDERS, ReadModelKeys.ordersWithStatus(order.status()),
                    ReadModelKeys.customerOrders(order.customerId()),
                    ReadModelKeys.customerOrdersWithStatus(order.customerId(), order.status()))) {
                indexes.computeIfAbsent(index, key -> new HashSet<>()).add(member);
            }
            OrderDocument actual = document(ReadModelKeys.order(order.id()), OrderDocument.class);
            if (actual == null || !order.equals(withoutLsn(actual))) {
                differences.add("order " + order.id() + ": expected " + order + " but read model has " + actual);
            }
        }
        indexes.putIfAbsent(ReadModelKeys.ORDERS, Set.of());
        for (String status : List.of("PLACED", "PAID", "SHIPPED", "DELIVERED", "CANCELLED")) {
            indexes.putIfAbsent(ReadModelKeys.ordersWithStatus(status), Set.of());
        }
        for (String index : keysLike(ReadModelKeys.customer("*") + ":orders*", null)) {
            indexes.putIfAbsent(index, Set.of());
        }
        indexes.forEach((index, members) -> compareIndex(index, members, differences));
        compareKeyCount("order:", keysLike(ReadModelKeys.order("*"), null), expected.size(), differences);
    }

    private void compareIndex(String index, Set<String> expected, List<String> differences) {
        Set<String> actual = new TreeSet<>(redis.zrangebylex(index, Range.unbounded()));
        if (!actual.equals(new TreeSet<>(expected))) {
            Set<String> missing = new TreeSet<>(expected);
            missing.removeAll(actual);
            Set<String> extra = new TreeSet<>(actual);
            extra.removeAll(expected);
            differences.add("index " + index + ": missing " + ids(missing) + ", unexpected " + ids(extra));
        }
    }

    private static void compareKeyCount(String kind, List<String> keys, int expected, List<String> differences) {
        if (keys.size() != expected) {
            differences.add(kind + " documents: " + keys.size() + " in Redis, " + expected + " rows in PostgreSQL");
        }
    }

    private List<String> keysLike(String pattern, @Nullable String excludedSuffix) {
        List<String> keys = new ArrayList<>();
        ScanIterator.scan(redis, ScanArgs.Builder.matches(pattern).limit(1000)).forEachRemaining(key -> {
            if (excludedSuffix == null || !key.contains(excludedSuffix)) {
                keys.add(key);
            }
        });
        return keys;
    }

    private static List<String> ids(Set<String> members) {
        return members.stream().map(IndexMembers::id).toList();
    }

    private <T> @Nullable T document(String key, Class<T> type) {
        String json = redis.get(key);
        return json == null ? null : ReadModelJson.read(json, type);
    }

    private static CustomerDocument withoutLsn(CustomerDocument c) {
        return new CustomerDocument(c.id(), c.email(), c.name(), c.subject(), c.version(), c.orderCount(), c.lifetimeValue(),
                c.lastOrderAt(), c.createdAt(), c.updatedAt(), 0);
    }

    private static ProductDocument withoutLsn(ProductDocument p) {
        return new ProductDocument(p.id(), p.sku(), p.name(), p.description(), p.price(), p.stock(), p.unitsSold(),
                p.active(), p.version(), p.createdAt(), p.updatedAt(), 0);
    }

    private static OrderDocument withoutLsn(OrderDocument o) {
        List<OrderLineDocument> lines = o.lines().stream()
                .map(l -> new OrderLineDocument(l.lineNo(), l.productId(), l.sku(), l.name(), l.unitPrice(), l.quantity(), l.lineTotal(), 0))
                .toList();
        return new OrderDocument(o.id(), o.customerId(), o.status(), o.total(), lines, o.placedAt(), o.updatedAt(), o.version(), 0);
    }

    private static @Nullable Instant instant(@Nullable OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
