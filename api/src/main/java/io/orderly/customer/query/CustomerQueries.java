package io.orderly.customer.query;

import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import io.orderly.cdc.readmodel.CustomerDocument;
import io.orderly.cdc.readmodel.EntityType;
import io.orderly.cdc.readmodel.OrderDocument;
import io.orderly.cdc.readmodel.ReadModelKeys;
import io.orderly.command.MutationPayload;
import io.orderly.consistency.ConsistencyWaiter;
import io.orderly.feed.ChangeView;
import io.orderly.graphql.Connection;
import io.orderly.graphql.LoadedById;
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
 * Resolves customers from the read model, wherever they appear: queries, orders, mutation payloads.
 * A customer caller reaches only its own customer here; every other path to a customer (an order,
 * a change event, a payload) starts from something the caller was already allowed to see.
 */
@Controller
class CustomerQueries implements RuntimeWiringConfigurer {

    private final CustomerReadModel customers;
    private final ReadAccess access;
    private final ConsistencyWaiter consistency;
    private final String currency;

    CustomerQueries(CustomerReadModel customers, ReadAccess access, ConsistencyWaiter consistency, OrderlyProperties properties,
            DocumentsById documents) {
        this.customers = customers;
        this.access = access;
        this.consistency = consistency;
        this.currency = properties.currency();
        documents.register(DocumentsById.CUSTOMERS, ReadModelKeys::customer, CustomerDocument.class, CustomerDocument::isComplete);
    }

    @QueryMapping
    Mono<CustomerDocument> customer(@Argument String id, @ContextValue Caller caller) {
        return access.of(caller).filter(visibility -> visibility.sees(id)).flatMap(visibility -> customers.find(id));
    }

    /** All customers for staff; for a customer, a page holding at most its own customer. */
    @QueryMapping
    Mono<Connection<CustomerDocument>> customers(@Argument @Nullable Integer first, @Argument @Nullable String after,
            @Argument @Nullable Integer last, @Argument @Nullable String before,
            @ContextValue Caller caller) {
        return Mono.defer(() -> {
            PageRequest request = PageRequest.of(first, after, last, before);
            return access.of(caller).flatMap(visibility -> visibility.all()
                    ? customers.page(request)
                    : customers.onlyPage(visibility.customerId(), request));
        });
    }

    /** The customer bound to the caller's subject, if any. */
    @QueryMapping
    Mono<CustomerDocument> me(@ContextValue Caller caller) {
        String subject = caller.subject();
        return subject == null ? Mono.empty() : access.ownCustomerId(subject).flatMap(customers::find);
    }

    /** A customer's lifetime value, and the customer of an order (those of a page in one round trip). */
    @Override
    public void configure(RuntimeWiring.Builder wiring) {
        wiring.type("Customer", type -> type.dataFetcher("lifetimeValue", Money.field(CustomerDocument::lifetimeValue, currency)));
        wiring.type("Order", type -> type.dataFetcher("customer", LoadedById.field(DocumentsById.CUSTOMERS, CustomerDocument.class, OrderDocument::customerId)));
    }

    @SchemaMapping(typeName = "ChangeEvent")
    Mono<CustomerDocument> customer(ChangeView change) {
        return change.hasDocument(EntityType.CUSTOMER) ? customers.find(change.id()) : Mono.empty();
    }

    /** The customer a mutation wrote, once the read model contains the write, with what it names read afresh. */
    @SchemaMapping(typeName = "CustomerPayload")
    Mono<CustomerDocument> customer(MutationPayload payload, DataFetchingEnvironment environment) {
        return consistency.readAfter(payload, customers::find).doOnNext(customer -> DocumentsById.forgetLoaded(environment));
    }
}
