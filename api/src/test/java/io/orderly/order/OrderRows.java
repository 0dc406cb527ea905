package io.orderly.order;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes catalog and order rows with plain SQL, bypassing the command handlers: for tests of the
 * projector, which follows whatever commits to the tables.
 */
public final class OrderRows {

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    public OrderRows(JdbcClient jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    public record Line(String productId, BigDecimal unitPrice, int quantity) {
    }

    public static Line line(String productId, String unitPrice, int quantity) {
        return new Line(productId, new BigDecimal(unitPrice), quantity);
    }

    public String product(String sku, String name, String price, int stock) {
        String id = UUID.randomUUID().toString();
        jdbc.sql("INSERT INTO products (id, sku, name, price, stock) VALUES (:id::uuid, :sku, :name, :price, :stock)")
                .param("id", id).param("sku", sku).param("name", name).param("price", new BigDecimal(price)).param("stock", stock)
                .update();
        return id;
    }

    /** An order and its lines in one transaction, as placeOrder writes them. */
    public String order(String customerId, List<Line> lines, String status) {
        return order(UUID.randomUUID().toString(), customerId, lines, status);
    }

    public String order(String id, String customerId, List<Line> lines, String status) {
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
}
