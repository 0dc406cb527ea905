package io.orderly.cdc.readmodel;

import org.jspecify.annotations.Nullable;

/**
 * A document in Redis that remembers the commit position (LSN) of the transaction that produced it,
 * so that an older change arriving again can be recognised and ignored.
 */
public interface ReadModelDocument {

    String id();

    long lsn();

    /** Whether the document is visible to readers (a stub holding only statistics is not). */
    boolean isComplete();

    /** What the change feed calls this kind of document. */
    EntityType entityType();

    /** For the change feed: the customer the document belongs to (an order's customer, a customer itself); null for products. */
    default @Nullable String customerId() {
        return null;
    }
}
