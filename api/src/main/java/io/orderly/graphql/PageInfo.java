package io.orderly.graphql;

import org.jspecify.annotations.Nullable;

/** Relay page information for forward paging. */
public record PageInfo(boolean hasNextPage, boolean hasPreviousPage, @Nullable String startCursor, @Nullable String endCursor) {
}
