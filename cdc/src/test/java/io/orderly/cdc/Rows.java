package io.orderly.cdc;

import java.util.HashMap;
import java.util.Map;

import io.orderly.cdc.assembly.Row;
import io.orderly.cdc.assembly.RowChange;

/** Rows of the captured tables as Debezium reports them, with defaults a test can override. */
public final class Rows {

    private Rows() {
    }

    public static Map<String, Object> customer(String id) {
        Map<String, Object> row = new HashMap<>();
        row.put("id", id);
        row.put("email", id + "@example.com");
        row.put("name", "Customer " + id);
        row.put("version", 1);
        row.put("created_at", "2026-11-26T08:00:00Z");
        row.put("updated_at", "2026-11-26T08:00:00Z");
        return row;
    }

    public static Map<String, Object> product(String id) {
        Map<String, Object> row = new HashMap<>();
        row.put("id", id);
        row.put("sku", "SKU-" + id);
        row.put("name", "Product " + id);
        row.put("description", "A product");
        row.put("price", "10.00");
        row.put("stock", 100);
        row.put("active", true);
        row.put("version", 1);
        row.put("created_at", "2026-11-26T08:00:00Z");
        row.put("updated_at", "2026-11-26T08:00:00Z");
        return row;
    }

    public static Map<String, Object> order(String id, String customerId, String status, String total, String placedAt) {
        Map<String, Object> row = new HashMap<>();
        row.put("id", id);
        row.put("customer_id", customerId);
        row.put("status", status);
        row.put("total", total);
        row.put("placed_at", placedAt);
        row.put("updated_at", placedAt);
        row.put("version", 1);
        return row;
    }

    public static Map<String, Object> line(String orderId, int lineNo, String productId, String unitPrice, int quantity) {
        Map<String, Object> row = new HashMap<>();
        row.put("order_id", orderId);
        row.put("line_no", lineNo);
        row.put("product_id", productId);
        row.put("sku", "SKU-" + productId);
        row.put("name", "Product " + productId);
        row.put("unit_price", unitPrice);
        row.put("quantity", quantity);
        return row;
    }

    public static RowChange inserted(String table, Map<String, Object> values) {
        return new RowChange.Inserted(table, new Row(values));
    }

    public static RowChange updated(String table, Map<String, Object> values) {
        return new RowChange.Updated(table, new Row(values));
    }

    public static RowChange deleted(String table, Map<String, Object> key) {
        return new RowChange.Deleted(table, new Row(key));
    }
}
