package io.orderly.cdc.readmodel;

import java.math.BigDecimal;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * The read model of one customer, stored as JSON under {@link ReadModelKeys#customer(String)}.
 *
 * <p>The customer row gives the identity fields; the order statistics are kept up to date from the
 * orders. When orders are projected before their customer row (the tables of a snapshot arrive
 * one after the other), the document starts as a stub holding only statistics: it is not
 * {@linkplain #isComplete() complete}, readers treat it as absent, and it is not indexed.
 *
 * <p>{@code subject} is the identity-provider subject the customer is bound to (null when staff
 * registered the customer): what the read side needs to decide whether a caller may see it.
 */
public record CustomerDocument(
        String id,
        @Nullable String email,
        @Nullable String name,
        @Nullable String subject,
        int version,
        int orderCount,
        BigDecimal lifetimeValue,
        @Nullable Instant lastOrderAt,
        @Nullable Instant createdAt,
        @Nullable Instant updatedAt,
        long lsn) implements ReadModelDocument {

    public static CustomerDocument stub(String id) {
        return new CustomerDocument(id, null, null, null, 0, 0, Money.ZERO, null, null, null, 0);
    }

    public boolean isComplete() {
        return email != null && createdAt != null;
    }

    /**
     * The member of {@link ReadModelKeys#CUSTOMERS}: registration time then id, so that the
     * lexicographic order of members is the registration order and never ties.
     */
    public String indexMember() {
        if (createdAt == null) {
            throw new IllegalStateException("customer " + id + " is a stub and has no index position");
        }
        return IndexMembers.timeOrdered(createdAt, id);
    }

    public CustomerDocument withStatistics(int orderCount, BigDecimal lifetimeValue, @Nullable Instant lastOrderAt, long lsn) {
        return new CustomerDocument(id, email, name, subject, version, orderCount, lifetimeValue, lastOrderAt, createdAt, updatedAt, lsn);
    }

    @Override
    public EntityType entityType() {
        return EntityType.CUSTOMER;
    }

    /** A customer belongs to itself: its feed entries carry its own id, as an order's carry its customer's. */
    @Override
    public String customerId() {
        return id;
    }
}
