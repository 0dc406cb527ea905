package io.orderly.product.query;

import graphql.schema.idl.RuntimeWiring;
import io.orderly.cdc.readmodel.EntityType;
import io.orderly.cdc.readmodel.OrderLineDocument;
import io.orderly.cdc.readmodel.ProductDocument;
import io.orderly.cdc.readmodel.ReadModelKeys;
import io.orderly.command.MutationPayload;
import io.orderly.consistency.ConsistencyWaiter;
import io.orderly.feed.ChangeView;
import io.orderly.graphql.Connection;
import io.orderly.graphql.LoadedById;
import io.orderly.graphql.Money;
import io.orderly.graphql.PageRequest;
import io.orderly.query.DocumentsById;
import io.orderly.runtime.OrderlyProperties;
import org.jspecify.annotations.Nullable;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.graphql.execution.RuntimeWiringConfigurer;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Mono;

/** Resolves products from the read model, wherever they appear: queries, order lines, mutation payloads. */
@Controller
class ProductQueries implements RuntimeWiringConfigurer {

    private final ProductReadModel products;
    private final ConsistencyWaiter consistency;
    private final String currency;

    ProductQueries(ProductReadModel products, ConsistencyWaiter consistency, OrderlyProperties properties,
            DocumentsById documents) {
        this.products = products;
        this.consistency = consistency;
        this.currency = properties.currency();
        documents.register(DocumentsById.PRODUCTS, ReadModelKeys::product, ProductDocument.class, ProductDocument::isComplete);
    }

    @QueryMapping
    Mono<ProductDocument> product(@Argument String id) {
        return products.find(id);
    }

    @QueryMapping
    Mono<ProductDocument> productBySku(@Argument String sku) {
        return products.findBySku(sku);
    }

    @QueryMapping
    Mono<Connection<ProductDocument>> products(@Argument @Nullable Integer first, @Argument @Nullable String after,
            @Argument @Nullable Integer last, @Argument @Nullable String before,
            @Argument @Nullable String orderBy) {
        ProductReadModel.Ordering ordering = orderBy == null ? ProductReadModel.Ordering.NAME : ProductReadModel.Ordering.valueOf(orderBy);
        return Mono.defer(() -> products.page(ordering, PageRequest.of(first, after, last, before)));
    }

    /** A product's price, and the current product of an order line (those of a page in one round trip). */
    @Override
    public void configure(RuntimeWiring.Builder wiring) {
        wiring.type("Product", type -> type.dataFetcher("price", Money.field(ProductDocument::price, currency)));
        wiring.type("OrderLine", type -> type.dataFetcher("product", LoadedById.field(DocumentsById.PRODUCTS, ProductDocument.class, OrderLineDocument::productId)));
    }

    @SchemaMapping(typeName = "ChangeEvent", field = "product")
    Mono<ProductDocument> changedProduct(ChangeView change) {
        return change.hasDocument(EntityType.PRODUCT) ? products.find(change.id()) : Mono.empty();
    }

    @SchemaMapping(typeName = "ProductChange", field = "product")
    Mono<ProductDocument> productOfChange(ChangeView change) {
        return changedProduct(change);
    }

    /** The product a mutation wrote, once the read model contains the write. */
    @SchemaMapping(typeName = "ProductPayload")
    Mono<ProductDocument> product(MutationPayload payload) {
        return consistency.readAfter(payload, products::find);
    }
}
