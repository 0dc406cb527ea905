package io.orderly.product.query;

import io.orderly.cdc.readmodel.ProductDocument;
import io.orderly.cdc.readmodel.ReadModelKeys;
import io.orderly.command.Ids;
import io.orderly.graphql.Connection;
import io.orderly.graphql.PageRequest;
import io.orderly.query.ReadModelReader;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Reads product documents, the sku lookup and the product indexes from Redis. */
@Component
class ProductReadModel {

    /** The orders a product list can be read in, each an index. */
    enum Ordering {
        NAME(ReadModelKeys.PRODUCTS_BY_NAME, false),
        PRICE(ReadModelKeys.PRODUCTS_BY_PRICE, false),
        TOP_SELLING(ReadModelKeys.PRODUCTS_BY_UNITS_SOLD, true);

        private final String index;
        private final boolean descending;

        Ordering(String index, boolean descending) {
            this.index = index;
            this.descending = descending;
        }

        String member(ProductDocument product) {
            return switch (this) {
                case NAME -> product.nameMember();
                case PRICE -> product.priceMember();
                case TOP_SELLING -> product.unitsSoldMember();
            };
        }
    }

    private final ReadModelReader reader;

    ProductReadModel(ReadModelReader reader) {
        this.reader = reader;
    }

    Mono<ProductDocument> find(String id) {
        if (Ids.parse(id).isEmpty()) {
            return Mono.empty();
        }
        return reader.document(ReadModelKeys.product(id), ProductDocument.class, ProductDocument::isComplete);
    }

    Mono<ProductDocument> findBySku(String sku) {
        return reader.value(ReadModelKeys.productBySku(sku)).flatMap(this::find);
    }

    Mono<Connection<ProductDocument>> page(Ordering ordering, PageRequest request) {
        return reader.page(ordering.index, ordering.descending, request, ReadModelKeys::product, ProductDocument.class,
                ordering::member);
    }
}
