package io.orderly.customer.query;

import java.util.List;

import io.orderly.cdc.readmodel.CustomerDocument;
import io.orderly.cdc.readmodel.ReadModelKeys;
import io.orderly.command.Ids;
import io.orderly.graphql.Connection;
import io.orderly.graphql.PageRequest;
import io.orderly.query.ReadModelReader;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Reads customer documents and the registration-order index from Redis. */
@Component
class CustomerReadModel {

    private final ReadModelReader reader;

    CustomerReadModel(ReadModelReader reader) {
        this.reader = reader;
    }

    Mono<CustomerDocument> find(String id) {
        if (Ids.parse(id).isEmpty()) {
            return Mono.empty();
        }
        return reader.document(ReadModelKeys.customer(id), CustomerDocument.class, CustomerDocument::isComplete);
    }

    /** A page of the registration-order index that holds only this customer (when it lies on the requested side of the cursor). */
    Mono<Connection<CustomerDocument>> onlyPage(@Nullable String id, PageRequest request) {
        Mono<List<CustomerDocument>> only = id == null ? Mono.just(List.of()) : find(id)
                .filter(customer -> request.includes(customer.indexMember(), false))
                .map(List::of)
                .defaultIfEmpty(List.of());
        return only.map(nodes -> Connection.of(nodes, request, customer -> PageRequest.encodeCursor(customer.indexMember()),
                id == null ? 0 : 1));
    }

    Mono<Connection<CustomerDocument>> page(PageRequest request) {
        return reader.page(ReadModelKeys.CUSTOMERS, false, request, ReadModelKeys::customer, CustomerDocument.class,
                CustomerDocument::indexMember);
    }
}
