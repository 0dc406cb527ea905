package io.orderly.bench;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Orderly's placeOrder transaction without Orderly: the statements of its command handler
 * (PlaceOrderHandler and CommandTransactions), in the same order, over plain JDBC on one connection
 * per worker. This is the floor that the GraphQL mutation's overhead is measured against.
 */
final class JdbcPlaceOrder implements AutoCloseable {

    private final Connection connection;

    JdbcPlaceOrder(Connection connection) {
        this.connection = connection;
    }

    /** Places the order and returns its consistency token's parts, or fails. */
    String place(Workload.NewOrder order) throws SQLException {
        UUID[] productIds = order.lines().stream().map(Workload.Line::productId).toArray(UUID[]::new);
        Integer[] quantities = order.lines().stream().map(Workload.Line::quantity).toArray(Integer[]::new);
        UUID orderId = UUID.randomUUID();
        long txId;
        // As Spring's transaction manager does: autocommit off for the transaction, back on after it.
        connection.setAutoCommit(false);
        try {
            try (PreparedStatement exists = connection.prepareStatement("SELECT EXISTS (SELECT 1 FROM customers WHERE id = ?)")) {
                exists.setObject(1, order.customerId());
                try (ResultSet rs = exists.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        throw new SQLException("no customer " + order.customerId());
                    }
                }
            }
            Map<UUID, BigDecimal> prices = new HashMap<>();
            try (PreparedStatement lock = connection.prepareStatement("""
                    SELECT id, sku, price, stock, active
                      FROM products
                     WHERE id = ANY(?::uuid[])
                     ORDER BY id
                       FOR UPDATE
                    """)) {
                lock.setObject(1, productIds);
                try (ResultSet rs = lock.executeQuery()) {
                    while (rs.next()) {
                        if (!rs.getBoolean("active") || rs.getInt("stock") < 2) {
                            throw new SQLException("product " + rs.getString("sku") + " cannot be ordered");
                        }
                        prices.put(rs.getObject("id", UUID.class), rs.getBigDecimal("price"));
                    }
                }
            }
            BigDecimal total = BigDecimal.ZERO.setScale(2);
            for (Workload.Line line : order.lines()) {
                total = total.add(prices.get(line.productId()).multiply(BigDecimal.valueOf(line.quantity())));
            }
            try (PreparedStatement reserve = connection.prepareStatement("""
                    UPDATE products p
                       SET stock = p.stock - line.quantity,
                           updated_at = now()
                      FROM unnest(?::uuid[], ?::integer[]) AS line (product_id, quantity)
                     WHERE p.id = line.product_id
                    """)) {
                reserve.setObject(1, productIds);
                reserve.setObject(2, quantities);
                reserve.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO orders (id, customer_id, total, idempotency_key, request_fingerprint)
                    VALUES (?, ?, ?, ?, ?)
                    """)) {
                insert.setObject(1, orderId);
                insert.setObject(2, order.customerId());
                insert.setBigDecimal(3, total);
                insert.setObject(4, null);
                insert.setObject(5, null);
                insert.executeUpdate();
            }
            try (PreparedStatement lines = connection.prepareStatement("""
                    INSERT INTO order_lines (order_id, line_no, product_id, sku, name, unit_price, quantity)
                    SELECT ?, line.line_no, p.id, p.sku, p.name, p.price, line.quantity
                      FROM unnest(?::uuid[], ?::integer[]) WITH ORDINALITY AS line (product_id, quantity, line_no)
                      JOIN products p ON p.id = line.product_id
                     ORDER BY line.line_no
                    """)) {
                lines.setObject(1, orderId);
                lines.setObject(2, productIds);
                lines.setObject(3, quantities);
                lines.executeUpdate();
            }
            try (PreparedStatement xid = connection.prepareStatement("SELECT (pg_current_xact_id()::text::numeric % 4294967296)::bigint");
                    ResultSet rs = xid.executeQuery()) {
                rs.next();
                txId = rs.getLong(1);
            }
            connection.commit();
        }
        catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        }
        finally {
            connection.setAutoCommit(true);
        }
        try (PreparedStatement position = connection.prepareStatement("SELECT pg_current_wal_insert_lsn()::text");
                ResultSet rs = position.executeQuery()) {
            rs.next();
            return rs.getString(1) + "@" + txId;
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
