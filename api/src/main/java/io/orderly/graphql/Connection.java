package io.orderly.graphql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/** A Relay connection: one page of nodes with their cursors, and the size of the whole list. */
public record Connection<T>(List<Edge<T>> edges, PageInfo pageInfo, long totalCount) {

    public record Edge<T>(String cursor, T node) {
    }

    /**
     * A page from the first {@code request.size() + 1} entries read away from the cursor (towards
     * the end of the list, or towards its start for a backward page, nearest first): the extra one,
     * if present, only tells that there are more in that direction.
     */
    public static <T> Connection<T> of(List<T> fetched, PageRequest request, Function<T, String> cursorOf, long totalCount) {
        boolean more = fetched.size() > request.size();
        List<T> page = new ArrayList<>(fetched.subList(0, Math.min(fetched.size(), request.size())));
        if (request.backward()) {
            Collections.reverse(page);
        }
        List<Edge<T>> edges = page.stream().map(node -> new Edge<>(cursorOf.apply(node), node)).toList();
        boolean pastCursor = request.cursor() != null;
        PageInfo pageInfo = new PageInfo(
                request.backward() ? pastCursor : more,
                request.backward() ? more : pastCursor,
                edges.isEmpty() ? null : edges.get(0).cursor(),
                edges.isEmpty() ? null : edges.get(edges.size() - 1).cursor());
        return new Connection<>(edges, pageInfo, totalCount);
    }
}
