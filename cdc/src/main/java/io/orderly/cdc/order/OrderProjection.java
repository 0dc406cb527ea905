package io.orderly.cdc.order;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.orderly.cdc.apply.Projection;
import io.orderly.cdc.apply.ReadModelBatch;
import io.orderly.cdc.assembly.Row;
import io.orderly.cdc.assembly.RowChange;
import io.orderly.cdc.product.ProductIndexes;
import io.orderly.cdc.readmodel.CustomerDocument;
import io.orderly.cdc.readmodel.IndexMembers;
import io.orderly.cdc.readmodel.Money;
import io.orderly.cdc.readmodel.OrderDocument;
import io.orderly.cdc.readmodel.OrderLineDocument;
import io.orderly.cdc.readmodel.ProductDocument;
import io.orderly.cdc.readmodel.ReadModelKeys;
import org.jspecify.annotations.Nullable;

/**
 * Projects the {@code orders} and {@code order_lines} tables into {@link OrderDocument}s and the
 * order indexes (all orders, by status, by customer, by customer and status), and keeps the
 * statistics that orders feed: a customer's order count, lifetime value and last order time, and
 * a product's units sold.
 *
 * <p>Statistics are updated incrementally and never rescanned: for every change, the projection
 * compares what the order contributed before and after it (an order counts once it is known, and
 * its total and quantities count while it is not cancelled) and applies the difference. That stays
 * right whatever order the rows arrive in, and the watermark and the order document's position
 * make sure no change is counted twice.
 */
public final class OrderProjection implements Projection {

    @Override
    public Set<String> tables() {
        return Set.of("orders", "order_lines");
    }

    @Override
    public void apply(RowChange change, ReadModelBatch batch) {
        if (change.table().equals("orders")) {
            header(change, batch);
        }
        else {
            line(change, batch);
        }
    }

    /** The order; for a header, its customer (statistics); for a line, its product (units sold). */
    @Override
    public Collection<String> documentsRead(RowChange change) {
        Row row = change.row();
        if (change.table().equals("orders")) {
            return row.has("customer_id")
                    ? List.of(ReadModelKeys.order(row.string("id")), ReadModelKeys.customer(row.string("customer_id")))
                    : List.of(ReadModelKeys.order(row.string("id")));
        }
        return row.has("product_id")
                ? List.of(ReadModelKeys.order(row.string("order_id")), ReadModelKeys.product(row.string("product_id")))
                : List.of(ReadModelKeys.order(row.string("order_id")));
    }

    private void header(RowChange change, ReadModelBatch batch) {
        Row row = change.row();
        String key = ReadModelKeys.order(row.string("id"));
        Optional<OrderDocument> before = batch.document(key, OrderDocument.class);
        if (!batch.mayChange(key, before)) {
            return;
        }
        OrderDocument base = before.orElse(OrderDocument.stub(row.string("id")));
        OrderDocument after = change instanceof RowChange.Deleted
                ? base.withoutHeader(batch.position())
                : base.withHeader(row.string("customer_id"), row.string("status"), row.decimal("total"),
                        row.instant("placed_at"), row.instant("updated_at"), row.integer("version"), batch.position());
        replace(before, after, batch);
    }

    private void line(RowChange change, ReadModelBatch batch) {
        Row row = change.row();
        String orderId = row.string("order_id");
        String key = ReadModelKeys.order(orderId);
        Optional<OrderDocument> before = batch.document(key, OrderDocument.class);
        if (!batch.mayChange(key, before)) {
            return;
        }
        OrderDocument base = before.orElse(OrderDocument.stub(orderId));
        OrderDocument after = change instanceof RowChange.Deleted
                ? base.withoutLine(row.integer("line_no"), batch.position())
                : base.withLine(lineOf(row, batch.position()), batch.position());
        replace(before, after, batch);
    }

    private static OrderLineDocument lineOf(Row row, long position) {
        BigDecimal unitPrice = row.decimal("unit_price");
        int quantity = row.integer("quantity");
        return new OrderLineDocument(row.integer("line_no"), row.string("product_id"), row.string("sku"),
                row.string("name"), unitPrice, quantity, unitPrice.multiply(BigDecimal.valueOf(quantity)), position);
    }

    private void replace(Optional<OrderDocument> before, OrderDocument after, ReadModelBatch batch) {
        if (after.isEmpty()) {
            batch.deleteDocument(ReadModelKeys.order(after.id()), OrderDocument.class);
        }
        else {
            batch.putDocument(ReadModelKeys.order(after.id()), after);
        }
        moveIndexEntries(before.filter(OrderDocument::isComplete), after, batch);
        updateCustomerStatistics(before.orElse(null), after, batch);
        updateUnitsSold(before.orElse(null), after, batch);
    }

    private static void moveIndexEntries(Optional<OrderDocument> indexedBefore, OrderDocument after, ReadModelBatch batch) {
        Map<String, String> oldEntries = indexedBefore.map(OrderProjection::indexEntries).orElse(Map.of());
        Map<String, String> newEntries = after.isComplete() ? indexEntries(after) : Map.of();
        oldEntries.forEach((index, member) -> {
            if (!member.equals(newEntries.get(index))) {
                batch.removeFromIndex(index, member);
            }
        });
        newEntries.forEach(batch::addToIndex);
    }

    /** The indexes a complete order belongs to, each with its member. */
    private static Map<String, String> indexEntries(OrderDocument order) {
        String member = order.indexMember();
        String customerId = order.customerId();
        String status = order.status();
        return Map.of(
                ReadModelKeys.ORDERS, member,
                ReadModelKeys.ordersWithStatus(status), member,
                ReadModelKeys.customerOrders(customerId), member,
                ReadModelKeys.customerOrdersWithStatus(customerId, status), member);
    }

    private static void updateCustomerStatistics(@Nullable OrderDocument before, OrderDocument after, ReadModelBatch batch) {
        Set<String> customers = new HashSet<>();
        if (before != null && before.isComplete()) {
            customers.add(before.customerId());
        }
        if (after.isComplete()) {
            customers.add(after.customerId());
        }
        for (String customerId : customers) {
            int countDelta = orderCount(after, customerId) - orderCount(before, customerId);
            BigDecimal valueDelta = value(after, customerId).subtract(value(before, customerId));
            boolean placedHere = after.isComplete() && after.customerId().equals(customerId);
            boolean wasPlacedHere = before != null && before.isComplete() && before.customerId().equals(customerId);
            if (countDelta == 0 && valueDelta.signum() == 0 && placedHere == wasPlacedHere) {
                continue;
            }
            String key = ReadModelKeys.customer(customerId);
            CustomerDocument customer = batch.document(key, CustomerDocument.class).orElse(CustomerDocument.stub(customerId));
            Instant lastOrderAt = placedHere
                    ? latest(customer.lastOrderAt(), after.placedAt())
                    : latestOtherOrder(customerId, after.id(), batch);
            batch.putDocument(key, customer.withStatistics(customer.orderCount() + countDelta,
                    customer.lifetimeValue().add(valueDelta), lastOrderAt, batch.position()));
        }
    }

    private static int orderCount(@Nullable OrderDocument order, String customerId) {
        return order != null && order.isComplete() && order.customerId().equals(customerId) ? 1 : 0;
    }

    private static BigDecimal value(@Nullable OrderDocument order, String customerId) {
        return order != null && order.counts() && order.customerId().equals(customerId) ? order.total() : Money.ZERO;
    }

    private static @Nullable Instant latest(@Nullable Instant current, @Nullable Instant candidate) {
        if (current == null) {
            return candidate;
        }
        return candidate == null || current.isAfter(candidate) ? current : candidate;
    }

    /** When an order leaves a customer (deleted, moved): the placement time of their newest remaining order. */
    private static @Nullable Instant latestOtherOrder(String customerId, String orderId, ReadModelBatch batch) {
        return batch.lastIndexMembers(ReadModelKeys.customerOrders(customerId), 2).stream()
                .filter(member -> !IndexMembers.id(member).equals(orderId))
                .findFirst()
                .flatMap(member -> batch.document(ReadModelKeys.order(IndexMembers.id(member)), OrderDocument.class))
                .map(OrderDocument::placedAt)
                .orElse(null);
    }

    private static void updateUnitsSold(@Nullable OrderDocument before, OrderDocument after, ReadModelBatch batch) {
        Map<String, Integer> delta = new HashMap<>(unitsByProduct(after));
        unitsByProduct(before).forEach((productId, units) -> delta.merge(productId, -units, Integer::sum));
        delta.forEach((productId, units) -> {
            if (units == 0) {
                return;
            }
            Optional<ProductDocument> product = batch.document(ReadModelKeys.product(productId), ProductDocument.class);
            ProductDocument current = product.orElse(ProductDocument.stub(productId));
            ProductIndexes.put(product, current.withUnitsSold(current.unitsSold() + units, batch.position()), batch);
        });
    }

    private static Map<String, Integer> unitsByProduct(@Nullable OrderDocument order) {
        Map<String, Integer> units = new HashMap<>();
        if (order != null && order.counts()) {
            order.lines().forEach(line -> units.merge(line.productId(), line.quantity(), Integer::sum));
        }
        return units;
    }
}
