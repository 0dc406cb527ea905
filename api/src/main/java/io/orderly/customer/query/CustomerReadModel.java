package io.orderly.customer.query;

import java.util.List;
import java.util.Objects;

import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.orderly.cdc.readmodel.CustomerDocument;
import io.orderly.cdc.readmodel.IndexMembers;
import io.orderly.cdc.readmodel.ReadModelJson;
import io.orderly.cdc.readmodel.ReadModelKeys;
import io.orderly.command.Ids;
import io.orderly.graphql.Connection;
import io.orderly.graphql.PageRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Reads customer documents and the registration-order index from Redis. */
@Component
class CustomerReadModel {

    private final RedisAsyncCommands<String, String> redis;

    CustomerReadModel(StatefulRedisConnection<String, String> readModelConnection) {
        this.redis = readModelConnection.async();
    }

    Mono<CustomerDocument> find(String id) {
        if (Ids.parse(id).isEmpty()) {
            return Mono.empty();
        }
        return Mono.fromCompletionStage(() -> redis.get(ReadModelKeys.customer(id)))
                .map(json -> ReadModelJson.read(json, CustomerDocument.class));
    }

    /** One page in registration order: one round trip for the index and the count, one for the documents. */
    Mono<Connection<CustomerDocument>> page(PageRequest request) {
        Range<String> afterCursor = request.after() == null
                ? Range.unbounded()
                : Range.from(Range.Boundary.excluding(request.after()), Range.Boundary.unbounded());
        Mono<List<String>> members = Mono.fromCompletionStage(() ->
                redis.zrangebylex(ReadModelKeys.CUSTOMERS, afterCursor, Limit.create(0, request.first() + 1L)));
        Mono<Long> total = Mono.fromCompletionStage(() -> redis.zcard(ReadModelKeys.CUSTOMERS));
        return Mono.zip(members, total).flatMap(both -> documents(both.getT1())
                .map(customers -> Connection.of(customers, request,
                        customer -> PageRequest.encodeCursor(customer.indexMember()), both.getT2())));
    }

    private Mono<List<CustomerDocument>> documents(List<String> members) {
        if (members.isEmpty()) {
            return Mono.just(List.of());
        }
        String[] keys = members.stream().map(IndexMembers::id).map(ReadModelKeys::customer).toArray(String[]::new);
        return Mono.fromCompletionStage(() -> redis.mget(keys))
                .flatMapMany(Flux::fromIterable)
                .filter(KeyValue::hasValue)
                .map(KeyValue::getValue)
                .filter(Objects::nonNull)
                .map(json -> ReadModelJson.read(json, CustomerDocument.class))
                .collectList();
    }
}
