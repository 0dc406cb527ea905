package io.orderly.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Fills Orderly's write store with SQL, straight into PostgreSQL, while only the command role runs.
 * The data follow the write side's rules: lines keep the product's sku, name and price, totals are
 * exact sums, order statuses are spread over the whole life cycle with matching versions, and each
 * product's stock is what is left after its orders that are not cancelled. Customers are skewed:
 * some order much more often than others.
 */
final class Seeder {

    private static final int BATCH = 20_000;

    private Seeder() {
    }

    /** Seeds and returns the number of rows written (the rows a snapshot reads back). */
    static long seed(Connection connection, Settings settings) throws SQLException {
        connection.setAutoCommit(true);
        try (Statement sql = connection.createStatement()) {
            sql.execute("SELECT setseed(0.42)");
            sql.execute("""
                    INSERT INTO customers (id, email, name, created_at, updated_at)
                    SELECT gen_random_uuid(), 'customer' || i || '@example.com', 'Customer ' || i,
                           now() - interval '400 days' + i * interval '1 second',
                           now() - interval '400 days' + i * interval '1 second'
                      FROM generate_series(1, %d) i
                    """.formatted(settings.customers()));
            sql.execute("""
                    INSERT INTO products (id, sku, name, description, price, stock, created_at, updated_at)
                    SELECT gen_random_uuid(), 'SKU-' || lpad(i::text, 6, '0'), 'Product ' || i,
                           'A product of the benchmark catalog, number ' || i,
                           round((1 + random() * 199)::numeric, 2), 1000000,
                           now() - interval '400 days', now() - interval '400 days'
                      FROM generate_series(1, %d) i
                    """.formatted(settings.products()));
            sql.execute("CREATE TEMP TABLE bench_customers AS SELECT row_number() OVER (ORDER BY created_at, id)::int AS n, id FROM customers");
            sql.execute("CREATE UNIQUE INDEX ON bench_customers (n)");
            sql.execute("CREATE TEMP TABLE bench_products AS SELECT row_number() OVER (ORDER BY sku)::int AS n, id, sku, name, price FROM products");
            sql.execute("CREATE UNIQUE INDEX ON bench_products (n)");
            for (int from = 1; from <= settings.orders(); from += BATCH) {
                int to = Math.min(from + BATCH - 1, settings.orders());
                seedOrders(sql, settings, from, to);
            }
            sql.execute("""
                    UPDATE products p
                       SET stock = p.stock - sold.quantity
                      FROM (SELECT l.product_id, sum(l.quantity) AS quantity
                              FROM order_lines l
                              JOIN orders o ON o.id = l.order_id
                             WHERE o.status <> 'CANCELLED'
                             GROUP BY l.product_id) sold
                     WHERE p.id = sold.product_id
                    """);
            sql.execute("DROP TABLE bench_customers, bench_products");
            sql.execute("VACUUM ANALYZE customers, products, orders, order_lines");
            try (ResultSet rows = sql.executeQuery("""
                    SELECT (SELECT count(*) FROM customers) + (SELECT count(*) FROM products)
                         + (SELECT count(*) FROM orders) + (SELECT count(*) FROM order_lines)
                    """)) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** Orders {@code from} to {@code to} with 1 to 5 lines of distinct products each, in one transaction. */
    private static void seedOrders(Statement sql, Settings settings, int from, int to) throws SQLException {
        sql.execute("""
                CREATE TEMP TABLE bench_batch AS
                SELECT gen_random_uuid() AS id,
                       1 + floor(%1$d * power(random(), 1.6))::int AS customer_n,
                       random() AS life,
                       now() - interval '1 day' - random() * interval '365 days' AS placed_at,
                       1 + floor(random() * 5)::int AS line_count,
                       floor(random() * %2$d)::int AS first_product
                  FROM generate_series(%3$d, %4$d) i
                """.formatted(settings.customers(), settings.products(), from, to));
        sql.execute("""
                CREATE TEMP TABLE bench_lines AS
                SELECT b.id AS order_id, k AS line_no, p.id AS product_id, p.sku, p.name, p.price AS unit_price,
                       1 + floor(random() * 4)::int AS quantity
                  FROM bench_batch b
                  CROSS JOIN LATERAL generate_series(1, b.line_count) k
                  JOIN bench_products p ON p.n = 1 + (b.first_product + (k - 1) * 97) %% %d
                """.formatted(settings.products()));
        sql.execute("""
                INSERT INTO orders (id, customer_id, status, total, version, placed_at, updated_at)
                SELECT b.id, c.id, s.status, t.total, s.version, b.placed_at, b.placed_at + (s.version - 1) * interval '6 hours'
                  FROM bench_batch b
                  JOIN bench_customers c ON c.n = b.customer_n
                  JOIN (SELECT order_id, sum(unit_price * quantity) AS total FROM bench_lines GROUP BY order_id) t
                    ON t.order_id = b.id
                 CROSS JOIN LATERAL (SELECT CASE WHEN b.life < 0.15 THEN 'PLACED'
                                                 WHEN b.life < 0.35 THEN 'PAID'
                                                 WHEN b.life < 0.55 THEN 'SHIPPED'
                                                 WHEN b.life < 0.90 THEN 'DELIVERED'
                                                 ELSE 'CANCELLED' END AS status,
                                            CASE WHEN b.life < 0.15 THEN 1
                                                 WHEN b.life < 0.35 THEN 2
                                                 WHEN b.life < 0.55 THEN 3
                                                 WHEN b.life < 0.90 THEN 4
                                                 ELSE 2 END AS version) s
                """);
        sql.execute("""
                INSERT INTO order_lines (order_id, line_no, product_id, sku, name, unit_price, quantity)
                SELECT order_id, line_no, product_id, sku, name, unit_price, quantity FROM bench_lines
                """);
        sql.execute("DROP TABLE bench_batch, bench_lines");
    }
}
