package io.orderly.product.command;

import io.orderly.command.MutationPayload;
import org.jspecify.annotations.Nullable;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;

/** The product mutations: GraphQL input in, command handler, payload out. */
@Controller
class ProductMutations {

    private final ProductCommandHandler handler;

    ProductMutations(ProductCommandHandler handler) {
        this.handler = handler;
    }

    @MutationMapping
    MutationPayload createProduct(@Argument CreateProductInput input) {
        return MutationPayload.of(handler.create(input.sku(), input.name(), input.description(), input.price(),
                input.initialStock()));
    }

    @MutationMapping
    MutationPayload updateProduct(@Argument UpdateProductInput input) {
        return MutationPayload.of(handler.update(input.id(), input.expectedVersion(), input.name(), input.description(),
                input.price(), input.active()));
    }

    @MutationMapping
    MutationPayload restockProduct(@Argument RestockProductInput input) {
        return MutationPayload.of(handler.restock(input.id(), input.quantity()));
    }

    @SchemaMapping(typeName = "ProductPayload")
    @Nullable String productId(MutationPayload payload) {
        return payload.id();
    }

    record CreateProductInput(String sku, String name, @Nullable String description, String price, int initialStock) {
    }

    record UpdateProductInput(String id, int expectedVersion, @Nullable String name, @Nullable String description,
            @Nullable String price, @Nullable Boolean active) {
    }

    record RestockProductInput(String id, int quantity) {
    }
}
