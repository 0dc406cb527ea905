package io.orderly.order.command;

/** Where an order is in its life cycle; stored as its name in {@code orders.status}. */
enum OrderStatus {
    PLACED,
    PAID,
    SHIPPED,
    DELIVERED,
    CANCELLED
}
