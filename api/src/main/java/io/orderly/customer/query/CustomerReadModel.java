package io.orderly.customer.query;

import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;

import io.orderly.cdc.readmodel.CustomerDocument;
import io.orderly.cdc.readmodel.ReadModelKeys;
import io.orderly.command.Ids;
import io.orderly.graphql.Connection;
import io.orderly.graphql.PageRequest;
import io.orderly.query.ReadModelReader;
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

    /** The customers with these ids, by id, in one round trip. */
    Mono<Map<String, CustomerDocument>> findAll(Collection<String> ids) {
        return reader.documents(ids.stream().map(ReadModelKeys::customer).toList(), CustomerDocument.class,
                        CustomerDocument::isComplete)
                .map(byKey -> byKey.values().stream().collect(Collectors.toMap(CustomerDocument::id, customer -> customer)));
    }

    Mono<Connection<CustomerDocument>> page(PageRequest request) {
        return reader.page(ReadModelKeys.CUSTOMERS, false, request, ReadModelKeys::customer, CustomerDocument.class,
                CustomerDocument::indexMember);
    }
}
