package io.orderly.order.command;

import java.sql.Types;
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
import io.orderly.identity.Caller;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Moves orders through their life cycle ({@link Order} says which steps are allowed); cancelling
 * gives the reserved stock back. With an {@code expectedVersion} the order must still be at it. A
 * customer caller moves only the orders of its own customer: another's read as absent.
 */
@Service
class OrderTransitionHandler {

    private final CommandTransactions transactions;
    private final JdbcClient jdbc;

    OrderTransitionHandler(CommandTransactions transactions, JdbcClient jdbc) {
        this.transactions = transactions;
        this.jdbc = jdbc;
    }

    CommandResult<UUID> pay(Caller caller, String id, @Nullable Integer expectedVersion) {
        return transition(caller, id, expectedVersion, Order::markPaid);
    }

    CommandResult<UUID> ship(Caller caller, String id, @Nullable Integer expectedVersion) {
        return transition(caller, id, expectedVersion, Order::ship);
    }

    CommandResult<UUID> deliver(Caller caller, String id, @Nullable Integer expectedVersion) {
        return transition(caller, id, expectedVersion, Order::deliver);
    }

    CommandResult<UUID> cancel(Caller caller, String id, @Nullable Integer expectedVersion) {
        return transition(caller, id, expectedVersion, order -> {
            Order cancelled = order.cancel();
            releaseStock(order.id());
            return cancelled;
        });
    }

    private CommandResult<UUID> transition(Caller caller, String id, @Nullable Integer expectedVersion, UnaryOperator<Order> step) {
        Optional<UUID> orderId = Ids.parse(id);
        if (orderId.isEmpty()) {
            return new CommandResult.Rejected<>(List.of(notFound(id)));
        }
        return transactions.execute(() -> {
            Order order = lock(orderId.get(), caller.isCustomer() ? caller.customerSubject() : null);
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

    /** Locks the order; for a customer caller ({@code owner} its subject) only an order of its own customer. */
    private Order lock(UUID id, @Nullable String owner) {
        return jdbc.sql("""
                SELECT o.status, o.version
                  FROM orders o
                  JOIN customers c ON c.id = o.customer_id
                 WHERE o.id = :id
                   AND (CAST(:owner AS text) IS NULL OR c.subject = :owner)
                   FOR UPDATE OF o
                """)
                .param("id", id)
                .param("owner", owner, Types.VARCHAR)
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
