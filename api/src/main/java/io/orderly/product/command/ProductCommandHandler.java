package io.orderly.product.command;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.orderly.command.CommandRejectedException;
import io.orderly.command.CommandResult;
import io.orderly.command.CommandTransactions;
import io.orderly.command.Ids;
import io.orderly.graphql.UserError;
import io.orderly.graphql.UserErrorCode;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Creates, updates and restocks products in PostgreSQL; refuses invalid, duplicate or stale
 * commands. Each of these commands moves the product's version on; the stock that orders reserve
 * and release does not (see the order commands).
 */
@Service
class ProductCommandHandler {

    private final CommandTransactions transactions;
    private final JdbcClient jdbc;

    ProductCommandHandler(CommandTransactions transactions, JdbcClient jdbc) {
        this.transactions = transactions;
        this.jdbc = jdbc;
    }

    /** Creates a product at version 1; an empty description is stored as none. */
    CommandResult<UUID> create(String sku, String name, @Nullable String description, String price, int initialStock) {
        List<UserError> errors = new ArrayList<>(ProductRules.checkSku(sku));
        errors.addAll(ProductRules.checkName(name));
        if (description != null) {
            errors.addAll(ProductRules.checkDescription(description));
        }
        errors.addAll(ProductRules.checkPrice(price));
        errors.addAll(ProductRules.checkInitialStock(initialStock));
        if (!errors.isEmpty()) {
            return new CommandResult.Rejected<>(errors);
        }
        UUID id = UUID.randomUUID();
        return transactions.execute(() -> {
            try {
                jdbc.sql("""
                        INSERT INTO products (id, sku, name, description, price, stock)
                        VALUES (:id, :sku, :name, nullif(:description, ''), :price, :stock)
                        """)
                        .param("id", id)
                        .param("sku", sku)
                        .param("name", name)
                        .param("description", description)
                        .param("price", ProductRules.price(price))
                        .param("stock", initialStock)
                        .update();
            }
            catch (DuplicateKeyException e) {
                throw new CommandRejectedException(UserErrorCode.DUPLICATE,
                        "a product with sku " + sku + " already exists", "input", "sku");
            }
            return id;
        });
    }

    /**
     * Changes the given fields of a product that is still at {@code expectedVersion}; an empty
     * description removes it.
     */
    CommandResult<UUID> update(String id, int expectedVersion, @Nullable String name, @Nullable String description,
            @Nullable String price, @Nullable Boolean active) {
        List<UserError> errors = new ArrayList<>();
        if (name == null && description == null && price == null && active == null) {
            errors.add(UserError.of(UserErrorCode.VALIDATION,
                    "give at least one of name, description, price and active to change", "input"));
        }
        if (name != null) {
            errors.addAll(ProductRules.checkName(name));
        }
        if (description != null) {
            errors.addAll(ProductRules.checkDescription(description));
        }
        if (price != null) {
            errors.addAll(ProductRules.checkPrice(price));
        }
        Optional<UUID> productId = Ids.parse(id);
        if (productId.isEmpty()) {
            errors.add(notFound(id));
        }
        if (!errors.isEmpty()) {
            return new CommandResult.Rejected<>(errors);
        }
        @Nullable BigDecimal newPrice = price == null ? null : ProductRules.price(price);
        return transactions.execute(() -> {
            int updated = jdbc.sql("""
                    UPDATE products
                       SET name = coalesce(:name, name),
                           description = CASE WHEN CAST(:description AS text) IS NULL THEN description
                                              ELSE nullif(:description, '') END,
                           price = coalesce(:price, price),
                           active = coalesce(:active, active),
                           version = version + 1,
                           updated_at = now()
                     WHERE id = :id AND version = :expectedVersion
                    """)
                    .param("id", productId.get())
                    .param("expectedVersion", expectedVersion)
                    .param("name", name)
                    .param("description", description)
                    .param("price", newPrice)
                    .param("active", active)
                    .update();
            if (updated == 0) {
                throw staleOrMissing(productId.get(), expectedVersion);
            }
            return productId.get();
        });
    }

    /** Adds units to a product's stock, which must stay within an {@code int}. */
    CommandResult<UUID> restock(String id, int quantity) {
        List<UserError> errors = new ArrayList<>(ProductRules.checkRestockQuantity(quantity));
        Optional<UUID> productId = Ids.parse(id);
        if (productId.isEmpty()) {
            errors.add(notFound(id));
        }
        if (!errors.isEmpty()) {
            return new CommandResult.Rejected<>(errors);
        }
        return transactions.execute(() -> {
            int stock = jdbc.sql("SELECT stock FROM products WHERE id = :id FOR UPDATE")
                    .param("id", productId.get())
                    .query(Integer.class)
                    .optional()
                    .orElseThrow(() -> new CommandRejectedException(List.of(notFound(id))));
            if (stock > Integer.MAX_VALUE - quantity) {
                throw new CommandRejectedException(UserErrorCode.VALIDATION,
                        "restocking " + quantity + " units would take the stock of " + stock
                                + " above the maximum of " + Integer.MAX_VALUE, "input", "quantity");
            }
            jdbc.sql("""
                    UPDATE products
                       SET stock = stock + :quantity,
                           version = version + 1,
                           updated_at = now()
                     WHERE id = :id
                    """)
                    .param("id", productId.get())
                    .param("quantity", quantity)
                    .update();
            return productId.get();
        });
    }

    private CommandRejectedException staleOrMissing(UUID id, int expectedVersion) {
        return jdbc.sql("SELECT version FROM products WHERE id = :id")
                .param("id", id)
                .query(Integer.class)
                .optional()
                .map(current -> CommandRejectedException.versionConflict("product", id, current, expectedVersion))
                .orElseGet(() -> new CommandRejectedException(List.of(notFound(id.toString()))));
    }

    private static UserError notFound(String id) {
        return UserError.of(UserErrorCode.NOT_FOUND, "no product with id " + id, "input", "id");
    }
}
