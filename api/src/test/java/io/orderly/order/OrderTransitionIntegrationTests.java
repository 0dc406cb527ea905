package io.orderly.order;

import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.orderly.IntegrationTest;
import io.orderly.Orders;
import io.orderly.Orders.Placed;
import io.orderly.Orders.Transition;
import io.orderly.Payload;
import io.orderly.Products;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static io.orderly.Orders.line;
import static org.assertj.core.api.Assertions.assertThat;

/** payOrder, shipOrder, deliverOrder, cancelOrder: the life cycle, versions, and stock given back. */
class OrderTransitionIntegrationTests extends IntegrationTest {

    private static final Map<String, List<Transition>> PATH_TO = new LinkedHashMap<>();
    private static final Map<String, String> ALLOWED = Map.of(
            "PLACED PAY", "PAID",
            "PLACED CANCEL", "CANCELLED",
            "PAID SHIP", "SHIPPED",
            "PAID CANCEL", "CANCELLED",
            "SHIPPED DELIVER", "DELIVERED");

    static {
        PATH_TO.put("PLACED", List.of());
        PATH_TO.put("PAID", List.of(Transition.PAY));
        PATH_TO.put("SHIPPED", List.of(Transition.PAY, Transition.SHIP));
        PATH_TO.put("DELIVERED", List.of(Transition.PAY, Transition.SHIP, Transition.DELIVER));
        PATH_TO.put("CANCELLED", List.of(Transition.CANCEL));
    }

    /** Every step from every status, with the status it leads to, or null where the life cycle forbids it. */
    static Stream<Arguments> everyStepFromEveryStatus() {
        return PATH_TO.keySet().stream().flatMap(from -> Stream.of(Transition.values())
                .map(step -> Arguments.of(from, step, ALLOWED.get(from + " " + step))));
    }

    @ParameterizedTest(name = "{1} a {0} order: {2}")
    @MethodSource("everyStepFromEveryStatus")
    void movesOrdersOnlyAlongTheLifeCycle(String from, Transition step, @Nullable String to) {
        String orderId = orderIn(from);
        Map<String, Object> before = Orders.stored(jdbc, orderId);
        int version = (Integer) before.get("version");

        Payload payload = step.apply(graphQl, orderId);

        if (to == null) {
            payload.assertRefused("INVALID_TRANSITION", List.of("input", "id"), "it is " + from);
            assertThat(Orders.stored(jdbc, orderId)).isEqualTo(before);
        }
        else {
            assertThat(payload.acceptedId()).isEqualTo(orderId);
            Map<String, Object> after = Orders.stored(jdbc, orderId);
            assertThat(after).containsEntry("status", to).containsEntry("version", version + 1);
            assertThat((Timestamp) after.get("updated_at")).isAfter((Timestamp) before.get("updated_at"));
        }
    }

    @Test
    void checksTheExpectedVersionWhenOneIsGiven() {
        String orderId = Orders.placedOrder(graphQl, 1, 10).orderId();

        Transition.PAY.apply(graphQl, orderId, 2)
                .assertRefused("VERSION_CONFLICT", List.of("input", "expectedVersion"), "is at version 1, not 2");
        assertThat(Orders.stored(jdbc, orderId)).containsEntry("status", "PLACED").containsEntry("version", 1);

        Transition.PAY.apply(graphQl, orderId, 1).acceptedId();
        Transition.CANCEL.apply(graphQl, orderId, 1)
                .assertRefused("VERSION_CONFLICT", List.of("input", "expectedVersion"), "is at version 2, not 1");
        assertThat(Orders.stored(jdbc, orderId)).containsEntry("status", "PAID").containsEntry("version", 2);
    }

    @ParameterizedTest
    @EnumSource(Transition.class)
    void refusesStepsForUnknownOrders(Transition step) {
        step.apply(graphQl, "6f1c1a52-0000-4000-8000-000000000000")
                .assertRefused("NOT_FOUND", List.of("input", "id"), "no order with id 6f1c1a52-0000-4000-8000-000000000000");
        step.apply(graphQl, "order-1")
                .assertRefused("NOT_FOUND", List.of("input", "id"), "no order with id order-1");
    }

    @ParameterizedTest
    @ValueSource(strings = { "PLACED", "PAID" })
    void cancellingGivesTheReservedStockBack(String status) {
        String customer = Orders.customer(graphQl);
        String desk = Products.create(graphQl, "100.00", 10);
        String lamp = Products.create(graphQl, "20.00", 10);
        String orderId = Orders.place(graphQl, customer, List.of(line(lamp, 4), line(desk, 3), line(lamp, 1))).acceptedId();
        moveTo(status, orderId);
        assertThat(Products.stock(jdbc, desk)).isEqualTo(7);
        assertThat(Products.stock(jdbc, lamp)).isEqualTo(5);

        Transition.CANCEL.apply(graphQl, orderId).acceptedId();

        assertThat(Products.stored(jdbc, desk)).containsEntry("stock", 10).containsEntry("version", 1);
        assertThat(Products.stored(jdbc, lamp)).containsEntry("stock", 10).containsEntry("version", 1);
        assertThat(Orders.stored(jdbc, orderId)).containsEntry("status", "CANCELLED");
    }

    @Test
    void aShippedOrderCannotBeCancelledAndKeepsItsStock() {
        Placed order = Orders.placedOrder(graphQl, 3, 10);
        Transition.PAY.apply(graphQl, order.orderId()).acceptedId();
        Transition.SHIP.apply(graphQl, order.orderId()).acceptedId();

        Transition.CANCEL.apply(graphQl, order.orderId())
                .assertRefused("INVALID_TRANSITION", List.of("input", "id"), "it is SHIPPED");

        assertThat(Products.stock(jdbc, order.productId())).isEqualTo(7);
        assertThat(Orders.stored(jdbc, order.orderId())).containsEntry("status", "SHIPPED");
    }

    @Test
    void cancellingTwiceGivesTheStockBackOnce() {
        Placed order = Orders.placedOrder(graphQl, 3, 10);
        Transition.CANCEL.apply(graphQl, order.orderId()).acceptedId();

        Transition.CANCEL.apply(graphQl, order.orderId())
                .assertRefused("INVALID_TRANSITION", List.of("input", "id"), "it is CANCELLED");

        assertThat(Products.stock(jdbc, order.productId())).isEqualTo(10);
    }

    /** A fresh order, moved along the life cycle until it is in {@code status}. */
    private String orderIn(String status) {
        String orderId = Orders.placedOrder(graphQl, 1, 10).orderId();
        moveTo(status, orderId);
        return orderId;
    }

    private void moveTo(String status, String orderId) {
        PATH_TO.get(status).forEach(step -> step.apply(graphQl, orderId).acceptedId());
        assertThat(Orders.stored(jdbc, orderId)).containsEntry("status", status);
    }
}
