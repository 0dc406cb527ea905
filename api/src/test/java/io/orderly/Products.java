package io.orderly;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Test data for the catalog: unique skus, and creating, updating and restocking products through the GraphQL API. */
public final class Products {

    private Products() {
    }

    public static String uniqueSku() {
        return "SKU-" + UUID.randomUUID().toString().toUpperCase();
    }

    /** A valid {@code CreateProductInput} with a unique sku, 10 units at 12.50; put what a test needs into it. */
    public static Map<String, Object> newProduct() {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("sku", uniqueSku());
        input.put("name", "Walnut desk");
        input.put("description", "Solid walnut, oiled.");
        input.put("price", "12.50");
        input.put("initialStock", 10);
        return input;
    }

    public static Payload create(GraphQlTester graphQl, Map<String, Object> input) {
        return Payload.of(graphQl.documentName("productCreate").variable("input", input).execute(),
                "createProduct", "productId");
    }

    /** Creates a product with this price and stock, and returns its id. */
    public static String create(GraphQlTester graphQl, String price, int stock) {
        Map<String, Object> input = newProduct();
        input.put("price", price);
        input.put("initialStock", stock);
        return create(graphQl, input).acceptedId();
    }

    public static Payload update(GraphQlTester graphQl, Map<String, Object> input) {
        return Payload.of(graphQl.documentName("productUpdate").variable("input", input).execute(),
                "updateProduct", "productId");
    }

    public static Payload restock(GraphQlTester graphQl, String id, int quantity) {
        return Payload.of(graphQl.documentName("productRestock").variable("input", Map.of("id", id, "quantity", quantity)).execute(),
                "restockProduct", "productId");
    }

    /** The product's row as stored, price as text (e.g. "12.50"). */
    public static Map<String, Object> stored(JdbcClient jdbc, String id) {
        return jdbc.sql("""
                SELECT sku, name, description, price::text AS price, stock, active, version, created_at, updated_at
                  FROM products WHERE id = :id::uuid
                """)
                .param("id", id)
                .query().singleRow();
    }

    public static int stock(JdbcClient jdbc, String id) {
        return jdbc.sql("SELECT stock FROM products WHERE id = :id::uuid").param("id", id).query(Integer.class).single();
    }
}
