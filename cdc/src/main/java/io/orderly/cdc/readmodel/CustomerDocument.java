package io.orderly.cdc.readmodel;

import java.math.BigDecimal;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * The read model of one customer, stored as JSON under {@link ReadModelKeys#customer(String)}.
 * The order statistics stay at zero until orders are projected.
 */
public record CustomerDocument(
        String id,
        String email,
        String name,
        int version,
        int orderCount,
        BigDecimal lifetimeValue,
        @Nullable Instant lastOrderAt,
        Instant createdAt,
        Instant updatedAt,
        long lsn) implements ReadModelDocument {

    /**
     * The member of {@link ReadModelKeys#CUSTOMERS}: registration time then id, so that the
     * lexicographic order of members is the registration order and never ties.
     */
    public String indexMember() {
        return IndexMembers.timeOrdered(createdAt, id);
    }
}
