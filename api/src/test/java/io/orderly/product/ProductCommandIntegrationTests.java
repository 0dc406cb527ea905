package io.orderly.product;

import java.sql.Timestamp;
import java.util.HashMap;
import java.util.Map;

import io.orderly.IntegrationTest;
import io.orderly.Payload;
import io.orderly.Products;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Accepted product commands: what they store, and how the version moves. */
class ProductCommandIntegrationTests extends IntegrationTest {

    @Test
    void storesACreatedProductAtVersionOne() {
        Map<String, Object> input = Products.newProduct();

        Payload payload = Products.create(graphQl, input);

        String id = payload.acceptedId();
        assertThat(payload.consistencyToken()).contains("@");
        assertThat(Products.stored(jdbc, id))
                .containsEntry("sku", input.get("sku"))
                .containsEntry("name", "Walnut desk")
                .containsEntry("description", "Solid walnut, oiled.")
                .containsEntry("price", "12.50")
                .containsEntry("stock", 10)
                .containsEntry("active", true)
                .containsEntry("version", 1);
    }

    @Test
    void storesPricesWithTwoDecimals() {
        assertThat(Products.stored(jdbc, Products.create(graphQl, "12", 1))).containsEntry("price", "12.00");
        assertThat(Products.stored(jdbc, Products.create(graphQl, "0.5", 1))).containsEntry("price", "0.50");
        assertThat(Products.stored(jdbc, Products.create(graphQl, "9999999999.99", 1))).containsEntry("price", "9999999999.99");
    }

    @Test
    void storesAMissingOrEmptyDescriptionAsNone() {
        Map<String, Object> without = Products.newProduct();
        without.remove("description");
        Map<String, Object> empty = Products.newProduct();
        empty.put("description", "");

        assertThat(Products.stored(jdbc, Products.create(graphQl, without).acceptedId())).containsEntry("description", null);
        assertThat(Products.stored(jdbc, Products.create(graphQl, empty).acceptedId())).containsEntry("description", null);
    }

    @Test
    void updatesOnlyTheGivenFieldsAndMovesTheVersionOn() {
        String id = Products.create(graphQl, "12.50", 10);
        Map<String, Object> before = Products.stored(jdbc, id);

        Products.update(graphQl, Map.of("id", id, "expectedVersion", 1, "price", "14")).acceptedId();
        Products.update(graphQl, Map.of("id", id, "expectedVersion", 2, "name", "Oak desk", "active", false)).acceptedId();

        Map<String, Object> after = Products.stored(jdbc, id);
        assertThat(after)
                .containsEntry("name", "Oak desk")
                .containsEntry("description", before.get("description"))
                .containsEntry("price", "14.00")
                .containsEntry("stock", 10)
                .containsEntry("active", false)
                .containsEntry("version", 3);
        assertThat((Timestamp) after.get("updated_at")).isAfter((Timestamp) before.get("updated_at"));
    }

    @Test
    void removesTheDescriptionWithAnEmptyString() {
        String id = Products.create(graphQl, "12.50", 10);

        Products.update(graphQl, Map.of("id", id, "expectedVersion", 1, "description", "")).acceptedId();

        assertThat(Products.stored(jdbc, id)).containsEntry("description", null).containsEntry("version", 2);
    }

    @Test
    void reactivatesAnInactiveProduct() {
        String id = Products.create(graphQl, "12.50", 10);
        Products.update(graphQl, Map.of("id", id, "expectedVersion", 1, "active", false)).acceptedId();

        Products.update(graphQl, Map.of("id", id, "expectedVersion", 2, "active", true)).acceptedId();

        assertThat(Products.stored(jdbc, id)).containsEntry("active", true).containsEntry("version", 3);
    }

    @Test
    void acceptsAnUpdateWithAnExplicitNullForFieldsItLeavesAlone() {
        String id = Products.create(graphQl, "12.50", 10);
        Map<String, Object> input = new HashMap<>(Map.of("id", id, "expectedVersion", 1, "name", "Oak desk"));
        input.put("description", null);
        input.put("price", null);
        input.put("active", null);

        Products.update(graphQl, input).acceptedId();

        assertThat(Products.stored(jdbc, id)).containsEntry("name", "Oak desk")
                .containsEntry("description", "Solid walnut, oiled.").containsEntry("price", "12.50");
    }

    @Test
    void restockAddsUnitsAndMovesTheVersionOn() {
        String id = Products.create(graphQl, "12.50", 10);

        Payload payload = Products.restock(graphQl, id, 5);

        assertThat(payload.acceptedId()).isEqualTo(id);
        assertThat(Products.stored(jdbc, id)).containsEntry("stock", 15).containsEntry("version", 2);
    }

    @Test
    void restocksUpToTheLargestStockAnIntHolds() {
        String id = Products.create(graphQl, "1.00", 1_000_000_000);
        Products.restock(graphQl, id, 1_000_000_000).acceptedId();

        Products.restock(graphQl, id, Integer.MAX_VALUE - 2_000_000_000).acceptedId();

        assertThat(Products.stored(jdbc, id)).containsEntry("stock", Integer.MAX_VALUE).containsEntry("version", 3);
    }
}
