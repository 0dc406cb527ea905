package io.orderly.cdc.readmodel;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * The read model of one product, stored as JSON under {@link ReadModelKeys#product(String)}:
 * the catalog row plus {@code unitsSold}, kept up to date from the order lines. Like customers, a
 * product whose order lines were projected before its row is a stub until the row arrives.
 */
public record ProductDocument(
        String id,
        @Nullable String sku,
        @Nullable String name,
        @Nullable String description,
        @Nullable BigDecimal price,
        int stock,
        int unitsSold,
        boolean active,
        int version,
        @Nullable Instant createdAt,
        @Nullable Instant updatedAt,
        long lsn) implements ReadModelDocument {

    public static ProductDocument stub(String id) {
        return new ProductDocument(id, null, null, null, null, 0, 0, false, 0, null, null, 0);
    }

    public boolean isComplete() {
        return sku != null && name != null && price != null;
    }

    public ProductDocument withUnitsSold(int unitsSold, long lsn) {
        return new ProductDocument(id, sku, name, description, price, stock, unitsSold, active, version, createdAt, updatedAt, lsn);
    }

    /** Member of {@link ReadModelKeys#PRODUCTS_BY_NAME}: case-insensitive name, then id. */
    public String nameMember() {
        return IndexMembers.textOrdered(required(name).toLowerCase(Locale.ROOT), id);
    }

    /** Member of {@link ReadModelKeys#PRODUCTS_BY_PRICE}: price in cents, then id. */
    public String priceMember() {
        return IndexMembers.numberOrdered(Money.cents(required(price)), id);
    }

    /** Member of {@link ReadModelKeys#PRODUCTS_BY_UNITS_SOLD}: units sold, then id (read in reverse). */
    public String unitsSoldMember() {
        return IndexMembers.numberOrdered(unitsSold, id);
    }

    private <T> T required(@Nullable T value) {
        if (value == null) {
            throw new IllegalStateException("product " + id + " is a stub and has no index position");
        }
        return value;
    }

    @Override
    public EntityType entityType() {
        return EntityType.PRODUCT;
    }
}
