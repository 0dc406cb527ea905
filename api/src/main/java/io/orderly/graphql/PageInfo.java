package io.orderly.graphql;

import org.jspecify.annotations.Nullable;

/**
 * Relay page information. Whether there are entries beyond the cursor a page was read from is not
 * looked up: {@code hasPreviousPage} of a forward page (and {@code hasNextPage} of a backward one)
 * is true exactly when the page was read from a cursor, as the Relay specification allows.
 */
public record PageInfo(boolean hasNextPage, boolean hasPreviousPage, @Nullable String startCursor, @Nullable String endCursor) {
}
