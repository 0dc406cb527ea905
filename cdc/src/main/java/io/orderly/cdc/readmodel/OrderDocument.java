package io.orderly.cdc.readmodel;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The read model of one order with its lines, stored as JSON under {@link ReadModelKeys#order(String)}.
 * It is built from the {@code orders} row (the header: customer, status, total, times, version) and
 * the {@code order_lines} rows; until the header is known (lines projected first during a
 * snapshot) it is not {@linkplain #isComplete() complete} and readers treat it as absent.
 */
public record OrderDocument(
        String id,
        @Nullable String customerId,
        @Nullable String status,
        @Nullable BigDecimal total,
        List<OrderLineDocument> lines,
        @Nullable Instant placedAt,
        @Nullable Instant updatedAt,
        int version,
        long lsn) implements ReadModelDocument {

    public static final String CANCELLED = "CANCELLED";

    public OrderDocument {
        // Immutable, so that one decoded document can be shared by concurrent readers.
        lines = List.copyOf(lines);
    }

    public static OrderDocument stub(String id) {
        return new OrderDocument(id, null, null, null, List.of(), null, null, 0, 0);
    }

    public boolean isComplete() {
        return status != null && customerId != null && placedAt != null && total != null;
    }

    /** Whether the order counts towards sales and lifetime value: known and not cancelled. */
    public boolean counts() {
        return isComplete() && !CANCELLED.equals(status);
    }

    /** Neither header nor lines: nothing left to keep. */
    public boolean isEmpty() {
        return status == null && lines.isEmpty();
    }

    public OrderDocument withHeader(String customerId, String status, BigDecimal total, Instant placedAt,
            Instant updatedAt, int version, long lsn) {
        return new OrderDocument(id, customerId, status, total, lines, placedAt, updatedAt, version, lsn);
    }

    public OrderDocument withoutHeader(long lsn) {
        return new OrderDocument(id, null, null, null, lines, null, null, 0, lsn);
    }

    /** This order with the line added or replaced (by line number), lines kept in line-number order. */
    public OrderDocument withLine(OrderLineDocument line, long lsn) {
        List<OrderLineDocument> changed = new ArrayList<>(lines);
        changed.removeIf(existing -> existing.lineNo() == line.lineNo());
        changed.add(line);
        changed.sort(Comparator.comparingInt(OrderLineDocument::lineNo));
        return new OrderDocument(id, customerId, status, total, List.copyOf(changed), placedAt, updatedAt, version, lsn);
    }

    public OrderDocument withoutLine(int lineNo, long lsn) {
        List<OrderLineDocument> changed = new ArrayList<>(lines);
        changed.removeIf(existing -> existing.lineNo() == lineNo);
        return new OrderDocument(id, customerId, status, total, List.copyOf(changed), placedAt, updatedAt, version, lsn);
    }

    /** The member of the order indexes: placement time then id. */
    public String indexMember() {
        if (placedAt == null) {
            throw new IllegalStateException("order " + id + " has no header and no index position");
        }
        return IndexMembers.timeOrdered(placedAt, id);
    }

    @Override
    public EntityType entityType() {
        return EntityType.ORDER;
    }
}
