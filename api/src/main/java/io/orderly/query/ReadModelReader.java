package io.orderly.query;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.orderly.cdc.readmodel.IndexMembers;
import io.orderly.cdc.readmodel.SwitchedReads;
import io.orderly.cdc.readmodel.ReadModelKeys;
import io.orderly.graphql.Connection;
import io.orderly.graphql.PageRequest;
import io.orderly.runtime.OrderlyProperties;
import io.orderly.runtime.RequestThreads;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Reads documents and index pages from the read-model Redis over one shared connection, on which
 * concurrent requests pipeline. On a thread that may wait ({@link RequestThreads}) a read waits for
 * its reply and the query goes on where it is; elsewhere the reply is handed to threads of its own.
 * Every read of documents and values also reads {@link ReadModelKeys#SWITCH}, so that a staged
 * transaction already visible reads whole while it is being copied into place.
 */
@Component
public class ReadModelReader implements DisposableBean {

    private final RedisAsyncCommands<String, String> redis;
    private final Duration timeout;
    private final DecodedDocuments decoded;
    /*
     * Every reply is handed to these threads, one per core, before anything else happens: decoding
     * and the rest of the GraphQL execution that the reply lets go on would otherwise run on the
     * connection's one I/O thread, and all reads would queue there behind each other.
     */
    private final Scheduler replies = Schedulers.newParallel("orderly-query", Runtime.getRuntime().availableProcessors(), true);

    ReadModelReader(StatefulRedisConnection<String, String> queryConnection, OrderlyProperties properties) {
        this.redis = queryConnection.async();
        this.timeout = queryConnection.getTimeout();
        this.decoded = new DecodedDocuments(properties.query().decodedDocuments());
    }

    @Override
    public void destroy() {
        replies.dispose();
    }

    /** The document at {@code key}, if present and {@code visible} (stubs are not). */
    public <T> Mono<T> document(String key, Class<T> type, Predicate<T> visible) {
        return value(key)
                .map(json -> decoded.read(key, json, type))
                .filter(visible);
    }

    /** A plain string value, such as a lookup from a natural key to an id. */
    public Mono<String> value(String key) {
        return read(key).mapNotNull(values -> values.get(0).getValueOrElse(null));
    }

    /** The visible documents among {@code keys}, in one MGET, by key. */
    public <T> Mono<Map<String, T>> documents(Collection<String> keys, Class<T> type, Predicate<T> visible) {
        Map<String, Class<?>> typeByKey = new LinkedHashMap<>();
        keys.forEach(key -> typeByKey.put(key, type));
        return documents(typeByKey).map(found -> {
            Map<String, T> documents = new LinkedHashMap<>();
            found.forEach((key, document) -> {
                T typed = type.cast(document);
                if (visible.test(typed)) {
                    documents.put(key, typed);
                }
            });
            return documents;
        });
    }

    /** The documents stored under these keys, each decoded as the type given for its key, in one MGET. */
    public Mono<Map<String, Object>> documents(Map<String, Class<?>> typeByKey) {
        if (typeByKey.isEmpty()) {
            return Mono.just(Map.of());
        }
        return read(typeByKey.keySet().toArray(String[]::new))
                .map(values -> {
                    Map<String, Object> documents = new LinkedHashMap<>();
                    for (KeyValue<String, String> value : values) {
                        if (value.hasValue()) {
                            documents.put(value.getKey(), decoded.read(value.getKey(), value.getValue(), typeByKey.get(value.getKey())));
                        }
                    }
                    return documents;
                });
    }

    /**
     * One page of a lexicographic index, then its documents: two round trips whatever the page
     * size (the index range and its size together, then one MGET).
     *
     * @param descending list the index from its end (newest or largest first)
     * @param keyOfId the document key of an id taken from a member
     */
    public <T> Mono<Connection<T>> page(String index, boolean descending, PageRequest request,
            Function<String, String> keyOfId, Class<T> type, Function<T, String> memberOf) {
        // A backward page reads the index the other way from its cursor, nearest first.
        boolean reversed = descending != request.backward();
        return indexPage(index, reversed, request.cursor(), request.size() + 1L).flatMap(found -> {
            List<String> keys = found.members().stream().map(IndexMembers::id).map(keyOfId).toList();
            return documents(keys, type, document -> true).map(byKey -> {
                List<T> nodes = keys.stream().map(byKey::get).filter(Objects::nonNull).toList();
                return Connection.of(nodes, request, node -> PageRequest.encodeCursor(memberOf.apply(node)), found.size());
            });
        });
    }

    /**
     * Members of an index after {@code cursor} and its size: the range, the size and
     * {@link ReadModelKeys#SWITCH} in one round trip, and only while that marker is set the page
     * again through the switch ({@link SwitchedReads}), which may have the index's copy in its place.
     */
    private Mono<SwitchedReads.IndexPage> indexPage(String index, boolean reversed, @Nullable String cursor, long count) {
        Limit limit = Limit.create(0, count);
        return Mono.defer(() -> {
            RedisFuture<String> marker = redis.get(ReadModelKeys.SWITCH);
            RedisFuture<List<String>> members = reversed
                    ? redis.zrevrangebylex(index, rangeBefore(cursor), limit)
                    : redis.zrangebylex(index, rangeAfter(cursor), limit);
            return pageReplies(marker, members, redis.zcard(index));
        }).flatMap(replies -> replies.switched()
                ? reply(() -> SwitchedReads.sendPage(redis, index, reversed, cursor, count)).map(SwitchedReads::page)
                : Mono.just(replies.page()));
    }

    /** The replies of a page's marker, range and size, sent together in one round trip. */
    private record PageReplies(boolean switched, SwitchedReads.IndexPage page) {
    }

    private Mono<PageReplies> pageReplies(RedisFuture<String> marker, RedisFuture<List<String>> members, RedisFuture<Long> size) {
        if (RequestThreads.mayBlock()) {
            boolean switched = RequestThreads.await(marker, timeout) != null;
            return Mono.just(new PageReplies(switched,
                    new SwitchedReads.IndexPage(RequestThreads.await(members, timeout), RequestThreads.await(size, timeout))));
        }
        return Mono.zip(Mono.fromCompletionStage(marker.thenApply(Optional::ofNullable)), Mono.fromCompletionStage(members),
                Mono.fromCompletionStage(size))
                .map(sent -> new PageReplies(sent.getT1().isPresent(), new SwitchedReads.IndexPage(sent.getT2(), sent.getT3())))
                .publishOn(replies);
    }

    /**
     * The values of these keys as they are after the visible transaction, in their order: one MGET
     * of {@link ReadModelKeys#SWITCH} and the keys, and only while that marker is set (a staged
     * transaction still being copied into place) the same keys again, read through its staged
     * writes in one script ({@link SwitchedReads}). The two replies are never mixed.
     */
    private Mono<List<KeyValue<String, String>>> read(String... keys) {
        String[] withMarker = SwitchedReads.withMarker(keys);
        return reply(() -> redis.mget(withMarker)).flatMap(values -> values.get(0).hasValue()
                ? reply(() -> SwitchedReads.send(redis, withMarker)).map(reply -> SwitchedReads.values(withMarker, reply))
                : Mono.just(values.subList(1, values.size())));
    }

    private <T> Mono<T> reply(Supplier<RedisFuture<T>> command) {
        return Mono.defer(() -> RequestThreads.mayBlock()
                ? Mono.justOrEmpty(RequestThreads.await(command.get(), timeout))
                : Mono.fromCompletionStage(command.get()).publishOn(replies));
    }

    private static Range<String> rangeAfter(@Nullable String cursor) {
        return cursor == null ? Range.unbounded() : Range.from(Range.Boundary.excluding(cursor), Range.Boundary.unbounded());
    }

    private static Range<String> rangeBefore(@Nullable String cursor) {
        return cursor == null ? Range.unbounded() : Range.from(Range.Boundary.unbounded(), Range.Boundary.excluding(cursor));
    }
}
