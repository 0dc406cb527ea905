package io.orderly.query;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

import graphql.schema.DataFetchingEnvironment;
import org.dataloader.DataLoader;
import org.springframework.graphql.execution.BatchLoaderRegistry;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The batch loaders of read-model documents by id (each reads all the ids one level of a query asks
 * for in one MGET), and the loading of several loaders' documents ahead, in one MGET, as soon as the
 * result they belong to is in hand ({@link #loadAhead}). graphql-java then finds them loaded when
 * it reaches their fields, which {@code LoadedById} hands over as values rather than futures: a
 * page of orders reads its customers and products in one round trip instead of one per level, and
 * has no future per field for graphql-java to chain and complete (some 200 on a page of 50).
 */
@Component
public class DocumentsById {

    /** The batch loader of products by id. */
    public static final String PRODUCTS = "productsById";

    /** The batch loader of customers by id. */
    public static final String CUSTOMERS = "customersById";

    private record Kind<T>(Function<String, String> keyOf, Class<T> type, Predicate<T> visible) {

        boolean visible(Object document) {
            return visible.test(type.cast(document));
        }
    }

    private final ReadModelReader reader;
    private final BatchLoaderRegistry loaders;
    private final Map<String, Kind<?>> kinds = new ConcurrentHashMap<>();

    DocumentsById(ReadModelReader reader, BatchLoaderRegistry loaders) {
        this.reader = reader;
        this.loaders = loaders;
    }

    /** Registers the batch loader {@code name} of the documents stored under {@code keyOf(id)}, those not {@code visible} read as absent. */
    public <T> void register(String name, Function<String, String> keyOf, Class<T> type, Predicate<T> visible) {
        kinds.put(name, new Kind<>(keyOf, type, visible));
        loaders.<String, T>forName(name).registerMappedBatchLoader((ids, environment) -> {
            Map<String, String> idByKey = new LinkedHashMap<>();
            ids.forEach(id -> idByKey.put(keyOf.apply(id), id));
            return reader.documents(idByKey.keySet(), type, visible).map(byKey -> {
                Map<String, T> byId = new LinkedHashMap<>();
                byKey.forEach((key, document) -> byId.put(idByKey.get(key), document));
                return byId;
            });
        });
    }

    /**
     * Reads, in one MGET, the documents with these ids for each named loader that does not hold
     * them yet, and primes the loaders with them (an id whose document is absent or not visible
     * with null, as its batch loader would answer). For queries only: a subscription's events are
     * resolved concurrently, and a priming that lands after the next event's {@link #forgetLoaded}
     * would hand that event documents from before its change.
     */
    public Mono<Void> loadAhead(DataFetchingEnvironment environment, Map<String, ? extends Collection<String>> idsByLoader) {
        Map<String, Class<?>> typeByKey = new LinkedHashMap<>();
        List<Wanted> wanted = new ArrayList<>();
        idsByLoader.forEach((name, ids) -> {
            Kind<?> kind = Objects.requireNonNull(kinds.get(name), name);
            DataLoader<String, Object> loader = Objects.requireNonNull(environment.getDataLoader(name), name);
            for (String id : ids) {
                String key = kind.keyOf().apply(id);
                if (loader.getIfPresent(id).isEmpty() && typeByKey.putIfAbsent(key, kind.type()) == null) {
                    wanted.add(new Wanted(loader, kind, id, key));
                }
            }
        });
        if (wanted.isEmpty()) {
            return Mono.empty();
        }
        return reader.documents(typeByKey).doOnNext(found -> wanted.forEach(each -> {
            Object document = found.get(each.key());
            each.loader().prime(each.id(), document != null && each.kind().visible(document) ? document : null);
        })).then();
    }

    /**
     * Forgets every document the request's loaders hold, so that what is resolved next reads them
     * again: a loader caches for as long as its request lives, which for a subscription is every
     * event it delivers, and for a request of several mutations every payload after each write.
     */
    public static void forgetLoaded(DataFetchingEnvironment environment) {
        environment.getDataLoaderRegistry().getDataLoaders().forEach(DataLoader::clearAll);
    }

    private record Wanted(DataLoader<String, Object> loader, Kind<?> kind, String id, String key) {
    }
}
