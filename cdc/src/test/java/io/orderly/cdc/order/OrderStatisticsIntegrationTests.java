package io.orderly.cdc.order;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.orderly.cdc.ProjectedRedis;
import io.orderly.cdc.Rows;
import io.orderly.cdc.assembly.SourceTransaction;
import io.orderly.cdc.readmodel.CustomerDocument;
import io.orderly.cdc.readmodel.OrderDocument;
import io.orderly.cdc.readmodel.OrderLineDocument;
import io.orderly.cdc.readmodel.ProductDocument;
import io.orderly.cdc.readmodel.ReadModelKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.orderly.cdc.Rows.deleted;
import static io.orderly.cdc.Rows.inserted;
import static io.orderly.cdc.Rows.updated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The statistics orders feed, kept by differences: a customer's order count, lifetime value and
 * last order time, a product's units sold, and the order indexes, across placing, cancelling,
 * moving and deleting orders, rows arriving out of order and transactions applied twice.
 */
class OrderStatisticsIntegrationTests {

    private static final Instant FIRST_PLACED = Instant.parse("2026-11-20T10:00:00Z");
    private static final Instant SECOND_PLACED = Instant.parse("2026-11-21T10:00:00Z");

    private final String ann = UUID.randomUUID().toString();
    private final String bob = UUID.randomUUID().toString();
    private final String chair = UUID.randomUUID().toString();
    private final String lamp = UUID.randomUUID().toString();
    private final String order = UUID.randomUUID().toString();
    private ProjectedRedis projected;

    @BeforeEach
    void customersAndProducts() {
        projected = new ProjectedRedis(2);
        projected.commit(inserted("customers", Rows.customer(ann)), inserted("customers", Rows.customer(bob)),
                inserted("products", Rows.product(chair)), inserted("products", Rows.product(lamp)));
    }

    @AfterEach
    void close() {
        projected.close();
    }

    @Test
    void placedOrderCountsForItsCustomerAndItsProducts() {
        placeOrder(order, ann, FIRST_PLACED);

        assertThat(customer(ann).orderCount()).isEqualTo(1);
        assertThat(customer(ann).lifetimeValue()).isEqualByComparingTo("35.00");
        assertThat(customer(ann).lastOrderAt()).isEqualTo(FIRST_PLACED);
        assertThat(product(chair).unitsSold()).isEqualTo(2);
        assertThat(product(lamp).unitsSold()).isEqualTo(1);
        OrderDocument placed = order(order);
        assertThat(placed.lines()).extracting(OrderLineDocument::lineNo, OrderLineDocument::lineTotal)
                .containsExactly(tuple(1, new BigDecimal("20.00")),
                        tuple(2, new BigDecimal("15.00")));
        assertThat(projected.redis().zrange(ReadModelKeys.customerOrdersWithStatus(ann, "PLACED"), 0, -1))
                .containsExactly(placed.indexMember());
    }

    @Test
    void cancelledOrderGivesBackItsValueAndUnitsButStillCounts() {
        placeOrder(order, ann, FIRST_PLACED);

        projected.commit(updated("orders", Rows.order(order, ann, "CANCELLED", "35.00", FIRST_PLACED.toString())));

        assertThat(customer(ann).orderCount()).isEqualTo(1);
        assertThat(customer(ann).lifetimeValue()).isEqualByComparingTo("0");
        assertThat(product(chair).unitsSold()).isZero();
        assertThat(product(lamp).unitsSold()).isZero();
        String member = order(order).indexMember();
        assertThat(projected.redis().zrange(ReadModelKeys.ordersWithStatus("PLACED"), 0, -1)).doesNotContain(member);
        assertThat(projected.redis().zrange(ReadModelKeys.ordersWithStatus("CANCELLED"), 0, -1)).containsExactly(member);
    }

    @Test
    void linesProjectedBeforeTheirHeaderCountOnceTheHeaderArrives() {
        projected.commit(inserted("order_lines", Rows.line(order, 1, chair, "10.00", 2)));

        assertThat(product(chair).unitsSold()).isZero();
        assertThat(order(order).isComplete()).isFalse();
        assertThat(customer(ann).orderCount()).isZero();

        projected.commit(inserted("orders", Rows.order(order, ann, "PLACED", "20.00", FIRST_PLACED.toString())));

        assertThat(product(chair).unitsSold()).isEqualTo(2);
        assertThat(customer(ann).orderCount()).isEqualTo(1);
        assertThat(customer(ann).lifetimeValue()).isEqualByComparingTo("20.00");
    }

    @Test
    void transactionAppliedTwiceCountsOnce() {
        SourceTransaction placing = placeOrder(order, ann, FIRST_PLACED);

        assertThat(projected.replay(placing)).isFalse();

        assertThat(customer(ann).orderCount()).isEqualTo(1);
        assertThat(customer(ann).lifetimeValue()).isEqualByComparingTo("35.00");
        assertThat(product(chair).unitsSold()).isEqualTo(2);
    }

    @Test
    void orderMovedToAnotherCustomerMovesItsStatistics() {
        placeOrder(order, ann, FIRST_PLACED);

        projected.commit(updated("orders", Rows.order(order, bob, "PLACED", "35.00", FIRST_PLACED.toString())));

        assertThat(customer(ann)).extracting(CustomerDocument::orderCount, CustomerDocument::lastOrderAt).containsExactly(0, null);
        assertThat(customer(ann).lifetimeValue()).isEqualByComparingTo("0");
        assertThat(customer(bob).orderCount()).isEqualTo(1);
        assertThat(customer(bob).lifetimeValue()).isEqualByComparingTo("35.00");
        assertThat(product(chair).unitsSold()).isEqualTo(2);
        assertThat(projected.redis().zcard(ReadModelKeys.customerOrders(ann))).isZero();
        assertThat(projected.redis().zcard(ReadModelKeys.customerOrders(bob))).isOne();
    }

    @Test
    void deletedNewestOrderLeavesTheCustomerWithTheOneBefore() {
        String newer = UUID.randomUUID().toString();
        placeOrder(order, ann, FIRST_PLACED);
        placeOrder(newer, ann, SECOND_PLACED);
        assertThat(customer(ann).lastOrderAt()).isEqualTo(SECOND_PLACED);

        projected.commit(deleted("order_lines", Map.of("order_id", newer, "line_no", 1)),
                deleted("order_lines", Map.of("order_id", newer, "line_no", 2)),
                deleted("orders", Map.of("id", newer)));

        assertThat(customer(ann).orderCount()).isEqualTo(1);
        assertThat(customer(ann).lifetimeValue()).isEqualByComparingTo("35.00");
        assertThat(customer(ann).lastOrderAt()).isEqualTo(FIRST_PLACED);
        assertThat(product(chair).unitsSold()).isEqualTo(2);
        assertThat(projected.document(ReadModelKeys.order(newer), OrderDocument.class)).isEmpty();
    }

    /** Two chairs at 10.00 and a lamp at 15.00, in one transaction as the write side commits it. */
    private SourceTransaction placeOrder(String id, String customerId, Instant placedAt) {
        return projected.commit(inserted("orders", Rows.order(id, customerId, "PLACED", "35.00", placedAt.toString())),
                inserted("order_lines", Rows.line(id, 1, chair, "10.00", 2)),
                inserted("order_lines", Rows.line(id, 2, lamp, "15.00", 1)));
    }

    private CustomerDocument customer(String id) {
        return projected.document(ReadModelKeys.customer(id), CustomerDocument.class).orElseThrow();
    }

    private ProductDocument product(String id) {
        return projected.document(ReadModelKeys.product(id), ProductDocument.class).orElseThrow();
    }

    private OrderDocument order(String id) {
        return projected.document(ReadModelKeys.order(id), OrderDocument.class).orElseThrow();
    }
}
