package io.orderly.query;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import graphql.schema.idl.RuntimeWiring;
import io.orderly.cdc.readmodel.CustomerDocument;
import io.orderly.cdc.readmodel.EntityType;
import io.orderly.cdc.readmodel.OrderDocument;
import io.orderly.cdc.readmodel.ProductDocument;
import io.orderly.cdc.readmodel.ReadModelDocument;
import io.orderly.cdc.readmodel.ReadModelKeys;
import io.orderly.command.Ids;
import io.orderly.graphql.InvalidRequestException;
import io.orderly.graphql.PageRequest;
import io.orderly.identity.Caller;
import io.orderly.query.ReadAccess.Visibility;
import org.jspecify.annotations.Nullable;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.ContextValue;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.execution.RuntimeWiringConfigurer;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Mono;

/**
 * Relay's {@code node} and {@code nodes}: any customer, product or order by id. Ids are UUIDs,
 * unique across the three, so an id is looked up under all three document keys in one MGET.
 * What the caller may see is decided per document, as the type's own queries decide it: products
 * are public, a customer sees its own customer and that customer's orders, staff see everything.
 */
@Controller
class NodeQueries implements RuntimeWiringConfigurer {

    private final ReadModelReader reader;
    private final ReadAccess access;

    NodeQueries(ReadModelReader reader, ReadAccess access) {
        this.reader = reader;
        this.access = access;
    }

    @QueryMapping
    Mono<ReadModelDocument> node(@Argument String id, @ContextValue Caller caller) {
        return find(List.of(id), caller).mapNotNull(found -> found.get(0));
    }

    @QueryMapping
    Mono<List<@Nullable ReadModelDocument>> nodes(@Argument List<String> ids, @ContextValue Caller caller) {
        return Mono.defer(() -> {
            if (ids.size() > PageRequest.MAX_PAGE_SIZE) {
                return Mono.error(new InvalidRequestException("nodes takes at most " + PageRequest.MAX_PAGE_SIZE
                        + " ids, was given " + ids.size()));
            }
            return find(ids, caller);
        });
    }

    /** The visible document of each id, in their order; null where there is none to see. */
    private Mono<List<@Nullable ReadModelDocument>> find(List<String> ids, Caller caller) {
        Map<String, Class<?>> typeByKey = new LinkedHashMap<>();
        ids.stream().filter(id -> Ids.parse(id).isPresent()).forEach(id -> {
            typeByKey.put(ReadModelKeys.customer(id), CustomerDocument.class);
            typeByKey.put(ReadModelKeys.product(id), ProductDocument.class);
            typeByKey.put(ReadModelKeys.order(id), OrderDocument.class);
        });
        return Mono.zip(access.of(caller), reader.documents(typeByKey)).map(both -> {
            Visibility visibility = both.getT1();
            Map<String, ReadModelDocument> byId = new LinkedHashMap<>();
            both.getT2().values().stream()
                    .map(ReadModelDocument.class::cast)
                    .filter(document -> document.isComplete() && (document.entityType() == EntityType.PRODUCT
                            || visibility.sees(document.customerId())))
                    .forEach(document -> byId.put(document.id(), document));
            List<@Nullable ReadModelDocument> found = new ArrayList<>();
            ids.forEach(id -> found.add(byId.get(id)));
            return found;
        });
    }

    /** Which object type a {@code Node} is: the one its document is of. */
    @Override
    public void configure(RuntimeWiring.Builder builder) {
        builder.type("Node", type -> type.typeResolver(environment -> {
            ReadModelDocument document = environment.getObject();
            return environment.getSchema().getObjectType(switch (document.entityType()) {
                case CUSTOMER -> "Customer";
                case PRODUCT -> "Product";
                case ORDER -> "Order";
            });
        }));
    }
}
