package io.orderly.order.query;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import io.orderly.cdc.readmodel.CustomerDocument;
import io.orderly.cdc.readmodel.EntityType;
import io.orderly.cdc.readmodel.OrderDocument;
import io.orderly.cdc.readmodel.OrderLineDocument;
import io.orderly.command.MutationPayload;
import io.orderly.consistency.ConsistencyWaiter;
import io.orderly.feed.ChangeView;
import io.orderly.graphql.Connection;
import io.orderly.graphql.Money;
import io.orderly.graphql.PageRequest;
import io.orderly.identity.Caller;
import io.orderly.query.DocumentsById;
import io.orderly.query.ReadAccess;
import io.orderly.runtime.OrderlyProperties;
import org.jspecify.annotations.Nullable;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.ContextValue;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.graphql.execution.RuntimeWiringConfigurer;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Mono;

/**
 * Resolves orders from the read model, wherever they appear: queries, a customer's orders, mutation
 * payloads. A customer caller reaches only the orders of its own customer: another's read as absent.
 */
@Controller
class OrderQueries implements RuntimeWiringConfigurer {

    private final OrderReadModel orders;
    private final ReadAccess access;
    private final ConsistencyWaiter consistency;
    private final DocumentsById documents;
    private final String currency;

    OrderQueries(OrderReadModel orders, ReadAccess access, ConsistencyWaiter consistency, DocumentsById documents,
            OrderlyProperties properties) {
        this.orders = orders;
        this.documents = documents;
        this.access = access;
        this.consistency = consistency;
        this.currency = properties.currency();
    }

    @QueryMapping
    Mono<OrderDocument> order(@Argument String id, @ContextValue Caller caller, DataFetchingEnvironment environment) {
        return access.of(caller).flatMap(visibility -> orders.find(id).filter(order -> visibility.sees(order.customerId())))
                .flatMap(order -> loadAhead(environment, "", List.of(order)).thenReturn(order));
    }

    /** All orders for staff; for a customer, its own customer's (another customer's list is empty). */
    @QueryMapping
    Mono<Connection<OrderDocument>> orders(@Argument @Nullable Integer first, @Argument @Nullable String after,
            @Argument @Nullable Integer last, @Argument @Nullable String before,
            @Argument @Nullable String status, @Argument @Nullable String customerId, @ContextValue Caller caller,
            DataFetchingEnvironment environment) {
        return Mono.defer(() -> {
            PageRequest request = PageRequest.of(first, after, last, before);
            return access.of(caller).flatMap(visibility -> {
                if (visibility.all()) {
                    return orders.page(status, customerId, request);
                }
                if (visibility.customerId() == null || (customerId != null && !visibility.sees(customerId))) {
                    return Mono.just(OrderReadModel.none(request));
                }
                return orders.page(status, visibility.customerId(), request);
            });
        }).flatMap(page -> loadAhead(environment, page));
    }

    @SchemaMapping(typeName = "Customer", field = "orders")
    Mono<Connection<OrderDocument>> customerOrders(CustomerDocument customer, @Argument @Nullable Integer first,
            @Argument @Nullable String after, @Argument @Nullable Integer last, @Argument @Nullable String before,
            @Argument @Nullable String status) {
        // No reading ahead here: under a list of customers, each one's would be a round trip of its
        // own, where the batch loaders read those of all the customers together.
        return Mono.defer(() -> orders.page(status, customer.id(), PageRequest.of(first, after, last, before)));
    }

    private Mono<Connection<OrderDocument>> loadAhead(DataFetchingEnvironment environment, Connection<OrderDocument> page) {
        return loadAhead(environment, "edges/node/", page.edges().stream().map(Connection.Edge::node).toList()).thenReturn(page);
    }

    /** The customers and products the selection below these orders asks for, read at once: see {@link DocumentsById}. */
    private Mono<Void> loadAhead(DataFetchingEnvironment environment, String prefix, List<OrderDocument> orders) {
        Map<String, List<String>> ids = new HashMap<>();
        if (environment.getSelectionSet().contains(prefix + "customer")) {
            ids.put(DocumentsById.CUSTOMERS, orders.stream().map(OrderDocument::customerId).filter(Objects::nonNull).toList());
        }
        if (environment.getSelectionSet().contains(prefix + "lines/product")) {
            ids.put(DocumentsById.PRODUCTS, orders.stream().flatMap(order -> order.lines().stream()).map(OrderLineDocument::productId).toList());
        }
        return documents.loadAhead(environment, ids);
    }

    @Override
    public void configure(RuntimeWiring.Builder wiring) {
        wiring.type("Order", type -> type.dataFetcher("total", Money.field(OrderDocument::total, currency)));
        wiring.type("OrderLine", type -> type
                .dataFetcher("unitPrice", Money.field(OrderLineDocument::unitPrice, currency))
                .dataFetcher("lineTotal", Money.field(OrderLineDocument::lineTotal, currency)));
    }

    @SchemaMapping(typeName = "ChangeEvent", field = "order")
    Mono<OrderDocument> changedOrder(ChangeView change) {
        return change.hasDocument(EntityType.ORDER) ? orders.find(change.id()) : Mono.empty();
    }

    @SchemaMapping(typeName = "OrderChange", field = "order")
    Mono<OrderDocument> orderOfChange(ChangeView change) {
        return changedOrder(change);
    }

    /** The order a mutation wrote, once the read model contains the write, with what it names read afresh. */
    @SchemaMapping(typeName = "OrderPayload")
    Mono<OrderDocument> order(MutationPayload payload, DataFetchingEnvironment environment) {
        return consistency.readAfter(payload, orders::find).doOnNext(order -> DocumentsById.forgetLoaded(environment));
    }
}
