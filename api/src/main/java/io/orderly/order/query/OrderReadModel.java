package io.orderly.order.query;

import java.util.List;

import io.orderly.cdc.readmodel.OrderDocument;
import io.orderly.cdc.readmodel.ReadModelKeys;
import io.orderly.command.Ids;
import io.orderly.graphql.Connection;
import io.orderly.graphql.PageRequest;
import io.orderly.query.ReadModelReader;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Reads order documents and the order indexes from Redis; lists are newest first. */
@Component
class OrderReadModel {

    private final ReadModelReader reader;

    OrderReadModel(ReadModelReader reader) {
        this.reader = reader;
    }

    Mono<OrderDocument> find(String id) {
        if (Ids.parse(id).isEmpty()) {
            return Mono.empty();
        }
        return reader.document(ReadModelKeys.order(id), OrderDocument.class, OrderDocument::isComplete);
    }

    /** Orders, newest first, of one status and/or one customer when given. */
    Mono<Connection<OrderDocument>> page(@Nullable String status, @Nullable String customerId, PageRequest request) {
        if (customerId != null && Ids.parse(customerId).isEmpty()) {
            return Mono.just(none(request));
        }
        return reader.page(index(status, customerId), true, request, ReadModelKeys::order, OrderDocument.class,
                OrderDocument::indexMember);
    }

    /** An empty page: no orders to list. */
    static Connection<OrderDocument> none(PageRequest request) {
        return Connection.of(List.of(), request, OrderDocument::indexMember, 0);
    }

    private static String index(@Nullable String status, @Nullable String customerId) {
        if (customerId != null) {
            return status == null ? ReadModelKeys.customerOrders(customerId) : ReadModelKeys.customerOrdersWithStatus(customerId, status);
        }
        return status == null ? ReadModelKeys.ORDERS : ReadModelKeys.ordersWithStatus(status);
    }
}
