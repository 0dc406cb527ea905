package io.orderly.cdc.product;

import java.util.Optional;
import java.util.Set;

import io.orderly.cdc.apply.ReadModelBatch;
import io.orderly.cdc.apply.RowProjection;
import io.orderly.cdc.assembly.Row;
import io.orderly.cdc.readmodel.ProductDocument;
import io.orderly.cdc.readmodel.ReadModelKeys;

/**
 * Projects the {@code products} table into {@link ProductDocument}s. {@code unitsSold} belongs
 * to the order projection and is kept when the product row changes.
 */
public final class ProductProjection implements RowProjection {

    @Override
    public Set<String> tables() {
        return Set.of("products");
    }

    @Override
    public String documentKey(Row row) {
        return ReadModelKeys.product(row.string("id"));
    }

    @Override
    public void upsert(Row row, ReadModelBatch batch) {
        String id = row.string("id");
        String key = documentKey(row);
        Optional<ProductDocument> existing = batch.document(key, ProductDocument.class);
        if (!batch.mayChange(key, existing)) {
            return;
        }
        ProductDocument previous = existing.orElse(ProductDocument.stub(id));
        // PostgreSQL leaves an unchanged TOASTed value (a long description) out of the change.
        String description = row.isUnavailable("description") ? previous.description() : row.nullableString("description");
        ProductDocument product = new ProductDocument(
                id,
                row.string("sku"),
                row.string("name"),
                description,
                row.decimal("price"),
                row.integer("stock"),
                previous.unitsSold(),
                row.bool("active"),
                row.integer("version"),
                row.instant("created_at"),
                row.instant("updated_at"),
                batch.position());
        ProductIndexes.put(existing, product, batch);
    }

    @Override
    public void remove(Row row, ReadModelBatch batch) {
        String key = documentKey(row);
        Optional<ProductDocument> existing = batch.document(key, ProductDocument.class);
        if (existing.isPresent() && batch.mayChange(key, existing)) {
            ProductIndexes.remove(existing.get(), batch);
        }
    }
}
