package io.orderly.bench.baseline;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Controller;

/**
 * Resolves orders with SQL joins: an order or a page of orders with its customer and the customer's
 * order count in one statement, then the lines of all those orders with their current products in
 * one more (batched like Orderly's nested fields). Two statements per request, whatever the page size.
 */
@Controller
class BaselineQueries {

    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final int MAX_PAGE = 100;
    private static final String CURRENCY = "EUR";

    private static final String ORDER_COLUMNS = """
            SELECT o.id, o.status, o.total, o.version, o.placed_at, o.customer_id,
                   c.name AS customer_name,
                   (SELECT count(*) FROM orders x WHERE x.customer_id = o.customer_id) AS order_count
              FROM orders o
              JOIN customers c ON c.id = o.customer_id
            """;

    private final JdbcClient jdbc;

    BaselineQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @QueryMapping
    @Nullable OrderRow order(@Argument String id) {
        if (!UUID_TEXT.matcher(id).matches()) {
            return null;
        }
        return jdbc.sql(ORDER_COLUMNS + " WHERE o.id = :id")
                .param("id", UUID.fromString(id))
                .query(OrderRow.class)
                .optional()
                .orElse(null);
    }

    /** Newest first, by placement time then id, like Orderly's index; keyset cursors. */
    @QueryMapping
    OrderConnection orders(@Argument @Nullable Integer first, @Argument @Nullable String after,
            @Argument @Nullable String status) {
        int size = Math.min(Math.max(first == null ? 20 : first, 0), MAX_PAGE);
        StringBuilder sql = new StringBuilder(ORDER_COLUMNS).append(" WHERE true");
        Map<String, Object> params = new LinkedHashMap<>();
        if (status != null) {
            sql.append(" AND o.status = :status");
            params.put("status", status);
        }
        if (after != null) {
            String[] cursor = new String(Base64.getUrlDecoder().decode(after), StandardCharsets.UTF_8).split("\\|");
            sql.append(" AND (o.placed_at, o.id) < (:afterAt, :afterId)");
            params.put("afterAt", Timestamp.from(Instant.EPOCH.plus(Long.parseLong(cursor[0]), ChronoUnit.MICROS)));
            params.put("afterId", UUID.fromString(cursor[1]));
        }
        sql.append(" ORDER BY o.placed_at DESC, o.id DESC LIMIT :limit");
        params.put("limit", size + 1);
        List<OrderRow> rows = jdbc.sql(sql.toString()).params(params).query(OrderRow.class).list();
        List<Edge> edges = rows.stream().limit(size).map(row -> new Edge(row.cursor(), row)).toList();
        PageInfo pageInfo = new PageInfo(rows.size() > size, after != null,
                edges.isEmpty() ? null : edges.get(0).cursor(),
                edges.isEmpty() ? null : edges.get(edges.size() - 1).cursor());
        return new OrderConnection(edges, pageInfo, status);
    }

    /** Only when asked for: counting a status is the expensive part of a listing in SQL. */
    @SchemaMapping(typeName = "OrderConnection")
    long totalCount(OrderConnection connection) {
        return connection.status() == null
                ? jdbc.sql("SELECT count(*) FROM orders").query(Long.class).single()
                : jdbc.sql("SELECT count(*) FROM orders WHERE status = :status")
                        .param("status", connection.status()).query(Long.class).single();
    }

    /** The lines of all orders being resolved, with their current products, in one join. */
    @BatchMapping(typeName = "Order", field = "lines")
    Map<OrderRow, List<Line>> lines(List<OrderRow> orders) {
        Map<UUID, List<Line>> byOrder = new LinkedHashMap<>();
        orders.forEach(order -> byOrder.put(order.id(), new ArrayList<>()));
        jdbc.sql("""
                SELECT l.order_id, l.line_no, l.sku, l.name, l.unit_price, l.quantity,
                       p.id AS product_id, p.sku AS product_sku, p.name AS product_name, p.stock AS product_stock
                  FROM order_lines l
                  JOIN products p ON p.id = l.product_id
                 WHERE l.order_id = ANY(:ids::uuid[])
                 ORDER BY l.order_id, l.line_no
                """)
                .param("ids", byOrder.keySet().toArray(UUID[]::new))
                .query((rs, rowNum) -> {
                    Line line = new Line(rs.getInt("line_no"), rs.getString("sku"), rs.getString("name"),
                            rs.getBigDecimal("unit_price"), rs.getInt("quantity"),
                            new Product(rs.getString("product_id"), rs.getString("product_sku"),
                                    rs.getString("product_name"), rs.getInt("product_stock")));
                    byOrder.get(rs.getObject("order_id", UUID.class)).add(line);
                    return line;
                })
                .list();
        Map<OrderRow, List<Line>> result = new LinkedHashMap<>();
        orders.forEach(order -> result.put(order, byOrder.get(order.id())));
        return result;
    }

    @SchemaMapping(typeName = "Order")
    Customer customer(OrderRow order) {
        return new Customer(order.customerId().toString(), order.customerName(), order.orderCount());
    }

    @SchemaMapping(typeName = "Order")
    Money total(OrderRow order) {
        return Money.of(order.total());
    }

    @SchemaMapping(typeName = "OrderLine")
    Money unitPrice(Line line) {
        return Money.of(line.unitPrice());
    }

    @SchemaMapping(typeName = "OrderLine")
    Money lineTotal(Line line) {
        return Money.of(line.unitPrice().multiply(BigDecimal.valueOf(line.quantity())));
    }

    record OrderRow(UUID id, String status, BigDecimal total, int version, Timestamp placedAt, UUID customerId,
            String customerName, int orderCount) {

        String cursor() {
            long micros = ChronoUnit.MICROS.between(Instant.EPOCH, placedAt.toInstant());
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((micros + "|" + id).getBytes(StandardCharsets.UTF_8));
        }
    }

    record Line(int lineNo, String sku, String name, BigDecimal unitPrice, int quantity, Product product) {
    }

    record Product(String id, String sku, String name, int stock) {
    }

    record Customer(String id, String name, int orderCount) {
    }

    record Money(String amount, String currency) {

        static Money of(BigDecimal amount) {
            return new Money(amount.setScale(2).toPlainString(), CURRENCY);
        }
    }

    record Edge(String cursor, OrderRow node) {
    }

    record PageInfo(boolean hasNextPage, boolean hasPreviousPage, @Nullable String startCursor,
            @Nullable String endCursor) {
    }

    record OrderConnection(List<Edge> edges, PageInfo pageInfo, @Nullable String status) {
    }
}
