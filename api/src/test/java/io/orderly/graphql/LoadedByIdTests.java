package io.orderly.graphql;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import graphql.schema.DataFetchingEnvironment;
import graphql.schema.DataFetchingEnvironmentImpl;
import org.dataloader.DataLoader;
import org.dataloader.DataLoaderFactory;
import org.dataloader.DataLoaderRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A field loaded by id hands graphql-java the document itself once it is loaded (read ahead with
 * the result it belongs to), and the loader's future only while it is not.
 */
class LoadedByIdTests {

    private record Line(String productId) {
    }

    private final List<Set<String>> batches = new ArrayList<>();

    private final DataLoader<String, String> products = DataLoaderFactory.newMappedDataLoader(ids -> {
        batches.add(Set.copyOf(ids));
        return CompletableFuture.completedFuture(Map.of("p1", "Apples", "p2", "Bread"));
    });

    private final LoadedById<Line, String> product = LoadedById.field("products", String.class, Line::productId);

    @Test
    void aLoadedDocumentIsHandedOverAsItIs() throws Exception {
        products.load("p1");
        products.load("p2");
        products.dispatch();

        assertThat(product.get(environmentOf(new Line("p2")))).isEqualTo("Bread");
        assertThat(batches).containsExactly(Set.of("p1", "p2"));
    }

    @Test
    void aDocumentNotLoadedYetComesFromTheLoaderWhenItDispatches() throws Exception {
        Object fetched = product.get(environmentOf(new Line("p1")));

        assertThat(fetched).isInstanceOf(CompletableFuture.class);
        assertThat(batches).isEmpty();
        products.dispatch();
        assertThat(((CompletableFuture<?>) fetched).join()).isEqualTo("Apples");
        assertThat(batches).containsExactly(Set.of("p1"));
    }

    private DataFetchingEnvironment environmentOf(Line source) {
        DataLoaderRegistry registry = DataLoaderRegistry.newRegistry().register("products", products).build();
        return DataFetchingEnvironmentImpl.newDataFetchingEnvironment().source(source).dataLoaderRegistry(registry).build();
    }
}
