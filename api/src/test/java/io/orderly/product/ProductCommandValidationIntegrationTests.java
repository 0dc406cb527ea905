package io.orderly.product;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.orderly.IntegrationTest;
import io.orderly.Payload;
import io.orderly.Products;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Refused product commands: a typed error in the payload, and nothing written. */
class ProductCommandValidationIntegrationTests extends IntegrationTest {

    static Stream<Arguments> invalidCreations() {
        return Stream.of(
                Arguments.of("sku", "", "must not be empty"),
                Arguments.of("sku", "desk-1", "lower-case letters"),
                Arguments.of("sku", "-DESK", "must start with A-Z or 0-9"),
                Arguments.of("sku", "DESK 1", "contain only A-Z, 0-9"),
                Arguments.of("sku", "D".repeat(41), "at most 40"),
                Arguments.of("name", "", "must not be blank"),
                Arguments.of("name", "  ", "must not be blank"),
                Arguments.of("name", " Desk", "must not start or end with whitespace"),
                Arguments.of("name", "Desk\t", "must not start or end with whitespace"),
                Arguments.of("name", "N".repeat(201), "at most 200"),
                Arguments.of("name", "Walnut\u0000desk", "control characters"),
                Arguments.of("name", "Walnut\ndesk", "control characters"),
                Arguments.of("description", "d".repeat(2001), "at most 2000"),
                Arguments.of("description", "nul\u0000here", "control characters (U+0000 at character 4)"),
                Arguments.of("description", "reads \u202Ebackwards", "format characters"),
                Arguments.of("description", "bell\u0007", "control characters"),
                Arguments.of("description", "x\ud800y", "lone surrogate"),
                Arguments.of("sku", "DESK\u0000", "control characters"),
                Arguments.of("sku", "DESK\u200B", "format characters"),
                Arguments.of("name", "\u200B", "format characters (U+200B at character 1)"),
                Arguments.of("name", "Desk\u202Eksed", "format characters"),
                Arguments.of("name", "Desk\udbff", "lone surrogate"),
                Arguments.of("price", "12.505", "at most 2 decimals"),
                Arguments.of("price", "-1", "must not be negative"),
                Arguments.of("price", "1e3", "must be a decimal number"),
                Arguments.of("price", "twelve", "must be a decimal number"),
                Arguments.of("price", "", "must be a decimal number"),
                Arguments.of("price", "10000000000", "at most 9999999999.99"),
                Arguments.of("initialStock", -1, "between 0 and 1000000000"),
                Arguments.of("initialStock", 1_000_000_001, "between 0 and 1000000000"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("invalidCreations")
    void refusesAnInvalidProductAndWritesNothing(String field, Object value, String message) {
        long productsBefore = productCount();
        Map<String, Object> input = Products.newProduct();
        input.put(field, value);

        Products.create(graphQl, input).assertRefused("VALIDATION", List.of("input", field), message);

        assertThat(productCount()).isEqualTo(productsBefore);
    }

    @Test
    void reportsEveryInvalidFieldAtOnce() {
        Map<String, Object> input = Map.of("sku", "bad sku", "name", "", "description", "d".repeat(2001),
                "price", "1.234", "initialStock", -5);

        Payload payload = Products.create(graphQl, input);

        payload.assertRefused();
        assertThat(payload.errors()).extracting(error -> error.get("field")).containsExactly(
                List.of("input", "sku"), List.of("input", "name"), List.of("input", "description"),
                List.of("input", "price"), List.of("input", "initialStock"));
    }

    @Test
    void refusesASkuThatIsTaken() {
        Map<String, Object> first = Products.newProduct();
        Products.create(graphQl, first).acceptedId();
        long productsBefore = productCount();
        Map<String, Object> second = Products.newProduct();
        second.put("sku", first.get("sku"));

        Products.create(graphQl, second).assertRefused("DUPLICATE", List.of("input", "sku"), "already exists");

        assertThat(productCount()).isEqualTo(productsBefore);
    }

    static Stream<Arguments> invalidUpdates() {
        return Stream.of(
                Arguments.of("name", "", "must not be blank"),
                Arguments.of("name", "Desk ", "must not start or end with whitespace"),
                Arguments.of("name", "N".repeat(201), "at most 200"),
                Arguments.of("description", "d".repeat(2001), "at most 2000"),
                Arguments.of("description", "nul\u0000here", "control characters"),
                Arguments.of("description", "zero\u200Bwidth", "format characters"),
                Arguments.of("name", "\u200B\u200B", "format characters"),
                Arguments.of("price", "-0.01", "must not be negative"),
                Arguments.of("price", "1.999", "at most 2 decimals"),
                Arguments.of("price", "1,5", "must be a decimal number"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("invalidUpdates")
    void refusesAnInvalidUpdateAndLeavesTheProductAsItWas(String field, String value, String message) {
        String id = Products.create(graphQl, "12.50", 10);
        Map<String, Object> before = Products.stored(jdbc, id);

        Products.update(graphQl, Map.of("id", id, "expectedVersion", 1, field, value))
                .assertRefused("VALIDATION", List.of("input", field), message);

        assertThat(Products.stored(jdbc, id)).isEqualTo(before);
    }

    @Test
    void keepsLineBreaksAndTabsInADescription() {
        Map<String, Object> input = Products.newProduct();
        input.put("description", "Solid walnut.\r\n\tOiled, not lacquered.\n");

        String id = Products.create(graphQl, input).acceptedId();

        assertThat(jdbc.sql("SELECT description FROM products WHERE id = :id::uuid").param("id", id).query(String.class).single())
                .isEqualTo("Solid walnut.\r\n\tOiled, not lacquered.\n");
    }

    @Test
    void refusesAnUpdateThatChangesNothing() {
        String id = Products.create(graphQl, "12.50", 10);
        Map<String, Object> before = Products.stored(jdbc, id);

        Products.update(graphQl, Map.of("id", id, "expectedVersion", 1))
                .assertRefused("VALIDATION", List.of("input"), "give at least one of");

        assertThat(Products.stored(jdbc, id)).isEqualTo(before);
    }

    @Test
    void refusesAnUpdateBasedOnAStaleVersionNamingTheCurrentOne() {
        String id = Products.create(graphQl, "12.50", 10);
        Products.update(graphQl, Map.of("id", id, "expectedVersion", 1, "price", "13.00")).acceptedId();
        Products.restock(graphQl, id, 1).acceptedId();
        Map<String, Object> before = Products.stored(jdbc, id);

        Products.update(graphQl, Map.of("id", id, "expectedVersion", 2, "price", "99.00"))
                .assertRefused("VERSION_CONFLICT", List.of("input", "expectedVersion"), "is at version 3, not 2");

        assertThat(Products.stored(jdbc, id)).isEqualTo(before).containsEntry("price", "13.00");
    }

    @ParameterizedTest
    @ValueSource(strings = { "6f1c1a52-0000-4000-8000-000000000000", "42", "" })
    void refusesUpdatesAndRestocksOfUnknownProducts(String id) {
        Products.update(graphQl, Map.of("id", id, "expectedVersion", 1, "name", "Desk"))
                .assertRefused("NOT_FOUND", List.of("input", "id"), "no product with id " + id);
        Products.restock(graphQl, id, 1)
                .assertRefused("NOT_FOUND", List.of("input", "id"), "no product with id " + id);
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, -1, 1_000_000_001 })
    void refusesRestockQuantitiesOutOfRange(int quantity) {
        String id = Products.create(graphQl, "12.50", 10);
        Map<String, Object> before = Products.stored(jdbc, id);

        Products.restock(graphQl, id, quantity)
                .assertRefused("VALIDATION", List.of("input", "quantity"), "between 1 and 1000000000");

        assertThat(Products.stored(jdbc, id)).isEqualTo(before);
    }

    @Test
    void refusesARestockThatWouldTakeTheStockBeyondAnInt() {
        String id = Products.create(graphQl, "1.00", 1_000_000_000);
        Products.restock(graphQl, id, 1_000_000_000).acceptedId();
        Map<String, Object> before = Products.stored(jdbc, id);

        Products.restock(graphQl, id, 1_000_000_000)
                .assertRefused("VALIDATION", List.of("input", "quantity"), "above the maximum of 2147483647");

        assertThat(Products.stored(jdbc, id)).isEqualTo(before).containsEntry("stock", 2_000_000_000);
    }

    @Test
    void answersMalformedRequestsWithGraphQlErrorsAndWritesNothing() {
        long productsBefore = productCount();
        String sku = Products.uniqueSku();

        List.of(
                "mutation { createProduct(input: {sku: \"" + sku + "\", name: \"Desk\", price: 12.5, initialStock: 1}) { productId } }",
                "mutation { createProduct(input: {sku: \"" + sku + "\", name: \"Desk\", price: \"12.50\"}) { productId } }",
                "mutation { createProduct(input: {sku: \"" + sku + "\", name: \"Desk\", price: \"12.50\", initialStock: 3000000000}) { productId } }",
                "mutation { restockProduct(input: {id: \"6f1c1a52-0000-4000-8000-000000000000\", quantity: \"5\"}) { productId } }")
                .forEach(document -> graphQl.document(document).execute()
                        .errors().satisfy(errors -> assertThat(errors).isNotEmpty()));

        assertThat(productCount()).isEqualTo(productsBefore);
    }

    private long productCount() {
        return jdbc.sql("SELECT count(*) FROM products").query(Long.class).single();
    }
}
