package io.orderly.order.command;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.orderly.command.CommandRejectedException;
import io.orderly.command.CommandResult;
import io.orderly.command.CommandTransactions;
import io.orderly.command.Written;
import io.orderly.graphql.UserError;
import io.orderly.graphql.UserErrorCode;
import io.orderly.identity.Caller;
import io.orderly.order.command.OrderRequest.Line;
import io.orderly.order.command.OrderRequest.LineInput;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** Places orders: checks the customer and the products, reserves stock, and records the order with its lines. */
@Service
class PlaceOrderHandler {

    /** The largest {@code numeric(14, 2)}, the type of {@code orders.total}. */
    static final BigDecimal MAX_TOTAL = new BigDecimal("999999999999.99");

    private final CommandTransactions transactions;
    private final JdbcClient jdbc;

    PlaceOrderHandler(CommandTransactions transactions, JdbcClient jdbc) {
        this.transactions = transactions;
        this.jdbc = jdbc;
    }

    /**
     * Places an order for 1 to {@value OrderRequest#MAX_LINES} lines of 1 to
     * {@value OrderRequest#MAX_QUANTITY} units each, in one transaction.
     *
     * <p>Lines for the same product are merged into one line: their quantities are summed (the sum
     * may not exceed {@value OrderRequest#MAX_QUANTITY} either), the line keeps the place where the
     * product first appears, and the lines are numbered 1 to n in that order. Errors about a
     * merged line name the input line where its product first appears.
     *
     * <p>With an {@code idempotencyKey} the command is safe to retry: a key already used for the
     * same customer and merged lines returns the order it placed and writes nothing; a key the
     * customer already used for different lines is refused. Keys of other customers do not count.
     *
     * <p>Refused, all problems at once, when the customer or a product does not exist, a product is
     * inactive, or a product has fewer units in stock than ordered; nothing is written then.
     * Otherwise the ordered units are taken out of stock and each line keeps the product's sku,
     * name and price as they are now.
     *
     * <p>A customer caller places orders only for the customer bound to its subject; any other
     * customer reads as absent ({@code NOT_FOUND}), before any idempotency key is looked at.
     */
    CommandResult<UUID> place(Caller caller, String customerId, List<LineInput> lines, @Nullable String idempotencyKey) {
        OrderRequest request;
        try {
            request = OrderRequest.parse(customerId, lines, idempotencyKey);
        }
        catch (CommandRejectedException e) {
            return new CommandResult.Rejected<>(e.errors());
        }
        return transactions.executeIdempotent(() -> {
            if (caller.isCustomer() && !isBoundTo(request.customerId(), caller.customerSubject())) {
                throw new CommandRejectedException(List.of(customerNotFound(request.customerId())));
            }
            String key = request.idempotencyKey();
            if (key != null) {
                Optional<Written<UUID>> earlier = orderPlacedEarlier(request.customerId(), key, request.fingerprint());
                if (earlier.isPresent()) {
                    return earlier.get();
                }
            }
            return Written.now(placeOrder(request));
        });
    }

    /**
     * The order an earlier request of this customer with this key placed, if any. Keys are scoped
     * to the customer, so that nobody can claim another customer's key first. The lock on customer
     * and key serializes concurrent retries, so only the first of them gets past this point to
     * place the order.
     */
    private Optional<Written<UUID>> orderPlacedEarlier(UUID customerId, String key, String fingerprint) {
        // A statement of its own: in READ COMMITTED the lookup below then takes its snapshot after
        // the lock is granted, and so sees an order that the lock's previous holder committed.
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtext(:customerId), hashtext(:key))")
                .param("customerId", customerId.toString())
                .param("key", key)
                .query().singleRow();
        Optional<EarlierOrder> earlier = jdbc.sql("""
                SELECT id, request_fingerprint, xmin::text::bigint AS transaction_id
                  FROM orders
                 WHERE customer_id = :customerId AND idempotency_key = :key
                """)
                .param("customerId", customerId)
                .param("key", key)
                .query(EarlierOrder.class)
                .optional();
        if (earlier.isEmpty()) {
            return Optional.empty();
        }
        if (!earlier.get().requestFingerprint().equals(fingerprint)) {
            throw new CommandRejectedException(UserErrorCode.VALIDATION,
                    "this idempotencyKey was already used for a different order", "input", "idempotencyKey");
        }
        return Optional.of(Written.earlier(earlier.get().id(), earlier.get().transactionId()));
    }

    private UUID placeOrder(OrderRequest request) {
        List<UserError> errors = new ArrayList<>();
        if (!customerExists(request.customerId())) {
            errors.add(customerNotFound(request.customerId()));
        }
        Map<UUID, StockedProduct> products = lockProducts(request.productIds());
        request.lines().forEach(line -> checkLine(line, products.get(line.productId())).ifPresent(errors::add));
        if (!errors.isEmpty()) {
            throw new CommandRejectedException(errors);
        }
        BigDecimal total = total(request.lines(), products);
        if (total.compareTo(MAX_TOTAL) > 0) {
            throw new CommandRejectedException(UserErrorCode.VALIDATION,
                    "the order would total " + total.toPlainString() + ", above the maximum of " + MAX_TOTAL.toPlainString(),
                    "input", "lines");
        }
        UUID orderId = UUID.randomUUID();
        reserveStock(request);
        insertOrder(orderId, request, total);
        insertLines(orderId, request);
        return orderId;
    }

    private static Optional<UserError> checkLine(Line line, @Nullable StockedProduct product) {
        if (product == null) {
            return Optional.of(UserError.of(UserErrorCode.NOT_FOUND, "no product with id " + line.productId(),
                    line.field("productId")));
        }
        if (!product.active()) {
            return Optional.of(UserError.of(UserErrorCode.INACTIVE_PRODUCT,
                    "product " + product.sku() + " is inactive and cannot be ordered", line.field("productId")));
        }
        if (product.stock() < line.quantity()) {
            return Optional.of(UserError.of(UserErrorCode.INSUFFICIENT_STOCK,
                    "not enough " + product.sku() + " in stock: " + line.quantity() + " requested, "
                            + product.stock() + " available", line.field()));
        }
        return Optional.empty();
    }

    /** The exact sum of the line totals, with two decimals like the prices. */
    private static BigDecimal total(List<Line> lines, Map<UUID, StockedProduct> products) {
        return lines.stream()
                .map(line -> products.get(line.productId()).price().multiply(BigDecimal.valueOf(line.quantity())))
                .reduce(BigDecimal.ZERO.setScale(2), BigDecimal::add);
    }

    private void insertOrder(UUID orderId, OrderRequest request, BigDecimal total) {
        String key = request.idempotencyKey();
        jdbc.sql("""
                INSERT INTO orders (id, customer_id, total, idempotency_key, request_fingerprint)
                VALUES (:id, :customerId, :total, :key, :fingerprint)
                """)
                .param("id", orderId)
                .param("customerId", request.customerId())
                .param("total", total)
                .param("key", key)
                .param("fingerprint", key == null ? null : request.fingerprint())
                .update();
    }

    /** Copies each product's sku, name and price into its line; the products are locked, so they are what the total used. */
    private void insertLines(UUID orderId, OrderRequest request) {
        jdbc.sql("""
                INSERT INTO order_lines (order_id, line_no, product_id, sku, name, unit_price, quantity)
                SELECT :orderId, line.line_no, p.id, p.sku, p.name, p.price, line.quantity
                  FROM unnest(:productIds::uuid[], :quantities::integer[]) WITH ORDINALITY AS line (product_id, quantity, line_no)
                  JOIN products p ON p.id = line.product_id
                 ORDER BY line.line_no
                """)
                .param("orderId", orderId)
                .param("productIds", request.productIds())
                .param("quantities", request.quantities())
                .update();
    }

    private static UserError customerNotFound(UUID customerId) {
        return UserError.of(UserErrorCode.NOT_FOUND, "no customer with id " + customerId, "input", "customerId");
    }

    /** Whether the customer is bound to this subject: a customer caller orders only for itself. */
    private boolean isBoundTo(UUID customerId, String subject) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM customers WHERE id = :id AND subject = :subject)")
                .param("id", customerId)
                .param("subject", subject)
                .query(Boolean.class)
                .single();
    }

    private boolean customerExists(UUID customerId) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM customers WHERE id = :id)")
                .param("id", customerId)
                .query(Boolean.class)
                .single();
    }

    /**
     * Locks the ordered products until the transaction ends, in id order, as every command that
     * locks several products does, so that two of them never wait for each other.
     */
    private Map<UUID, StockedProduct> lockProducts(UUID[] productIds) {
        return jdbc.sql("""
                SELECT id, sku, price, stock, active
                  FROM products
                 WHERE id = ANY(:ids::uuid[])
                 ORDER BY id
                   FOR UPDATE
                """)
                .param("ids", productIds)
                .query(StockedProduct.class)
                .stream()
                .collect(Collectors.toMap(StockedProduct::id, Function.identity()));
    }

    /** Takes the ordered units out of stock. The product's version stays: stock moves are not catalog changes. */
    private void reserveStock(OrderRequest request) {
        jdbc.sql("""
                UPDATE products p
                   SET stock = p.stock - line.quantity,
                       updated_at = now()
                  FROM unnest(:productIds::uuid[], :quantities::integer[]) AS line (product_id, quantity)
                 WHERE p.id = line.product_id
                """)
                .param("productIds", request.productIds())
                .param("quantities", request.quantities())
                .update();
    }

    private record StockedProduct(UUID id, String sku, BigDecimal price, int stock, boolean active) {
    }

    private record EarlierOrder(UUID id, String requestFingerprint, long transactionId) {
    }
}
