package io.orderly.cdc.product;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import io.orderly.cdc.apply.ReadModelBatch;
import io.orderly.cdc.readmodel.ProductDocument;
import io.orderly.cdc.readmodel.ReadModelKeys;

/**
 * Keeps the product indexes and the sku lookup in line with a product document that changes:
 * for the catalog row ({@link ProductProjection}) and for sales ({@code OrderProjection}).
 * Only complete documents are indexed.
 */
public final class ProductIndexes {

    private record Index(String key, Function<ProductDocument, String> member) {
    }

    private static final List<Index> INDEXES = List.of(
            new Index(ReadModelKeys.PRODUCTS_BY_NAME, ProductDocument::nameMember),
            new Index(ReadModelKeys.PRODUCTS_BY_PRICE, ProductDocument::priceMember),
            new Index(ReadModelKeys.PRODUCTS_BY_UNITS_SOLD, ProductDocument::unitsSoldMember));

    private ProductIndexes() {
    }

    /** Writes the document and moves its index entries from where {@code before} had them. */
    public static void put(Optional<ProductDocument> before, ProductDocument after, ReadModelBatch batch) {
        Optional<ProductDocument> indexedBefore = before.filter(ProductDocument::isComplete);
        for (Index index : INDEXES) {
            Optional<String> oldMember = indexedBefore.map(index.member());
            Optional<String> newMember = after.isComplete() ? Optional.of(index.member().apply(after)) : Optional.empty();
            oldMember.filter(member -> !newMember.equals(Optional.of(member)))
                    .ifPresent(member -> batch.removeFromIndex(index.key(), member));
            newMember.ifPresent(member -> batch.addToIndex(index.key(), member));
        }
        indexedBefore.map(ProductDocument::sku)
                .filter(sku -> !after.isComplete() || !sku.equals(after.sku()))
                .ifPresent(sku -> batch.deleteKey(ReadModelKeys.productBySku(sku)));
        if (after.isComplete()) {
            batch.putValue(ReadModelKeys.productBySku(after.sku()), after.id());
        }
        batch.putDocument(ReadModelKeys.product(after.id()), after);
    }

    /** Deletes the document and its index entries. */
    public static void remove(ProductDocument before, ReadModelBatch batch) {
        if (before.isComplete()) {
            INDEXES.forEach(index -> batch.removeFromIndex(index.key(), index.member().apply(before)));
            batch.deleteKey(ReadModelKeys.productBySku(before.sku()));
        }
        batch.deleteDocument(ReadModelKeys.product(before.id()), ProductDocument.class);
    }
}
