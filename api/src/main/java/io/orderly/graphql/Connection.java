package io.orderly.graphql;

import java.util.List;
import java.util.function.Function;

/** A Relay connection: one page of nodes with their cursors, and the size of the whole list. */
public record Connection<T>(List<Edge<T>> edges, PageInfo pageInfo, long totalCount) {

    public record Edge<T>(String cursor, T node) {
    }

    /**
     * A page from the first {@code request.first() + 1} entries after the cursor: the extra one, if
     * present, only tells that there is a next page.
     */
    public static <T> Connection<T> of(List<T> fetched, PageRequest request, Function<T, String> cursorOf, long totalCount) {
        boolean hasNextPage = fetched.size() > request.first();
        List<Edge<T>> edges = fetched.stream()
                .limit(request.first())
                .map(node -> new Edge<>(cursorOf.apply(node), node))
                .toList();
        PageInfo pageInfo = new PageInfo(
                hasNextPage,
                request.after() != null,
                edges.isEmpty() ? null : edges.get(0).cursor(),
                edges.isEmpty() ? null : edges.get(edges.size() - 1).cursor());
        return new Connection<>(edges, pageInfo, totalCount);
    }
}
