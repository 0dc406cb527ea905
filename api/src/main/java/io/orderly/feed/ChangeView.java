package io.orderly.feed;

import java.time.Instant;

import io.orderly.cdc.readmodel.EntityType;
import io.orderly.cdc.readmodel.FeedEntry;
import org.jspecify.annotations.Nullable;

/**
 * A change event as subscriptions deliver it ({@code ChangeEvent}, {@code OrderChange},
 * {@code ProductChange}); each feature's query side resolves the document it names.
 */
public record ChangeView(
        String cursor,
        EntityType type,
        String id,
        FeedEntry.Operation operation,
        Instant committedAt,
        String consistencyToken,
        @Nullable String customerId) {

    static ChangeView of(FeedEntry entry, String epoch) {
        return new ChangeView(new FeedCursor(epoch, entry.sequence()).encode(), entry.type(), entry.id(),
                entry.operation(), entry.committedAt(), entry.token(), entry.customerId());
    }

    /** Whether the event names a document that still exists, of this type. */
    public boolean hasDocument(EntityType expected) {
        return type == expected && operation != FeedEntry.Operation.DELETED;
    }
}
