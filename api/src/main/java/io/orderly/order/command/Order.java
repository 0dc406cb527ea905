package io.orderly.order.command;

import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Collectors;

import io.orderly.command.CommandRejectedException;
import io.orderly.graphql.UserErrorCode;

/**
 * An order as its life cycle sees it: PLACED → PAID → SHIPPED → DELIVERED, and PLACED or PAID →
 * CANCELLED. Each step returns the order at its next version, or refuses with
 * {@code INVALID_TRANSITION} naming the status the order is in.
 */
record Order(UUID id, OrderStatus status, int version) {

    Order markPaid() {
        return moveTo(OrderStatus.PAID, "pay", OrderStatus.PLACED);
    }

    Order ship() {
        return moveTo(OrderStatus.SHIPPED, "ship", OrderStatus.PAID);
    }

    Order deliver() {
        return moveTo(OrderStatus.DELIVERED, "deliver", OrderStatus.SHIPPED);
    }

    Order cancel() {
        return moveTo(OrderStatus.CANCELLED, "cancel", OrderStatus.PLACED, OrderStatus.PAID);
    }

    private Order moveTo(OrderStatus next, String action, OrderStatus... allowedFrom) {
        if (!Arrays.asList(allowedFrom).contains(status)) {
            String allowed = Arrays.stream(allowedFrom).map(OrderStatus::name).collect(Collectors.joining(" or "));
            throw new CommandRejectedException(UserErrorCode.INVALID_TRANSITION,
                    "cannot " + action + " order " + id + ": it is " + status + ", and only " + allowed
                            + " orders can be " + next.name().toLowerCase(),
                    "input", "id");
        }
        return new Order(id, next, version + 1);
    }
}
