package io.orderly.order.command;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

import io.orderly.command.CommandRejectedException;
import io.orderly.command.CommandResult;
import io.orderly.command.CommandTransactions;
import io.orderly.command.Ids;
import io.orderly.graphql.UserError;
import io.orderly.graphql.UserErrorCode;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Moves orders through their life cycle ({@link Order} says which steps are allowed); cancelling
 * gives the reserved stock back. With an {@code expectedVersion} the order must still be at it.
 */
@Service
class OrderTransitionHandler {

    private final CommandTransactions transactions;
    private final JdbcClient jdbc;

    OrderTransitionHandler(CommandTransactions transactions, JdbcClient jdbc) {
        this.transactions = transactions;
        this.jdbc = jdbc;
    }

    CommandResult<UUID> pay(String id, @Nullable Integer expectedVersion) {
        return transition(id, expectedVersion, Order::markPaid);
    }

    CommandResult<UUID> ship(String id, @Nullable Integer expectedVersion) {
        return transition(id, expectedVersion, Order::ship);
    }

    CommandResult<UUID> deliver(String id, @Nullable Integer expectedVersion) {
        return transition(id, expectedVersion, Order::deliver);
    }

    CommandResult<UUID> cancel(String id, @Nullable Integer expectedVersion) {
        return transition(id, expectedVersion, order -> {
            Order cancelled = order.cancel();
            releaseStock(order.id());
            return cancelled;
        });
    }

    private CommandResult<UUID> transition(String id, @Nullable Integer expectedVersion, UnaryOperator<Order> step) {
        Optional<UUID> orderId = Ids.parse(id);
        if (orderId.isEmpty()) {
            return new CommandResult.Rejected<>(List.of(notFound(id)));
        }
        return transactions.execute(() -> {
            Order order = lock(orderId.get());
            if (expectedVersion != null && expectedVersion != order.version()) {
                throw CommandRejectedException.versionConflict("order", order.id(), order.version(), expectedVersion);
            }
            Order next = step.apply(order);
            jdbc.sql("""
                    UPDATE orders
                       SET status = :status,
                           version = :version,
                           updated_at = now()
                     WHERE id = :id
                    """)
                    .param("id", next.id())
                    .param("status", next.status().name())
                    .param("version", next.version())
                    .update();
            return next.id();
        });
    }

    private Order lock(UUID id) {
        return jdbc.sql("SELECT status, version FROM orders WHERE id = :id FOR UPDATE")
                .param("id", id)
                .query((row, rowNumber) -> new Order(id, OrderStatus.valueOf(row.getString("status")), row.getInt("version")))
                .optional()
                .orElseThrow(() -> new CommandRejectedException(List.of(notFound(id.toString()))));
    }

    /**
     * Puts the order's units back into stock. The products are locked in id order first, as
     * placing an order locks them, so the two never wait for each other. The products' versions
     * stay: stock moves are not catalog changes.
     */
    private void releaseStock(UUID orderId) {
        jdbc.sql("""
                SELECT p.id
                  FROM products p
                  JOIN order_lines line ON line.product_id = p.id
                 WHERE line.order_id = :orderId
                 ORDER BY p.id
                   FOR UPDATE OF p
                """)
                .param("orderId", orderId)
                .query(UUID.class)
                .list();
        jdbc.sql("""
                UPDATE products p
                   SET stock = p.stock + line.quantity,
                       updated_at = now()
                  FROM order_lines line
                 WHERE line.order_id = :orderId
                   AND p.id = line.product_id
                """)
                .param("orderId", orderId)
                .update();
    }

    private static UserError notFound(String id) {
        return UserError.of(UserErrorCode.NOT_FOUND, "no order with id " + id, "input", "id");
    }
}
