package io.orderly.customer.command;

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

/** Registers and updates customers in PostgreSQL; refuses invalid, duplicate or stale commands. */
@Service
class CustomerCommandHandler {

    private final CommandTransactions transactions;
    private final JdbcClient jdbc;

    CustomerCommandHandler(CommandTransactions transactions, JdbcClient jdbc) {
        this.transactions = transactions;
        this.jdbc = jdbc;
    }

    CommandResult<UUID> register(String email, String name) {
        List<UserError> errors = new ArrayList<>(CustomerRules.checkEmail(email));
        errors.addAll(CustomerRules.checkName(name));
        if (!errors.isEmpty()) {
            return new CommandResult.Rejected<>(errors);
        }
        UUID id = UUID.randomUUID();
        String storedEmail = CustomerRules.normalizedEmail(email);
        return transactions.execute(() -> {
            try {
                jdbc.sql("""
                        INSERT INTO customers (id, email, name)
                        VALUES (:id, :email, :name)
                        """)
                        .param("id", id)
                        .param("email", storedEmail)
                        .param("name", name)
                        .update();
            }
            catch (DuplicateKeyException e) {
                throw duplicateEmail(storedEmail);
            }
            return id;
        });
    }

    CommandResult<UUID> update(String id, int expectedVersion, @Nullable String email, @Nullable String name) {
        List<UserError> errors = new ArrayList<>();
        if (email == null && name == null) {
            errors.add(UserError.of(UserErrorCode.VALIDATION, "give at least one of email and name to change", "input"));
        }
        if (email != null) {
            errors.addAll(CustomerRules.checkEmail(email));
        }
        if (name != null) {
            errors.addAll(CustomerRules.checkName(name));
        }
        Optional<UUID> customerId = Ids.parse(id);
        if (customerId.isEmpty()) {
            errors.add(notFound(id));
        }
        if (!errors.isEmpty()) {
            return new CommandResult.Rejected<>(errors);
        }
        @Nullable String storedEmail = email == null ? null : CustomerRules.normalizedEmail(email);
        return transactions.execute(() -> {
            int updated;
            try {
                updated = jdbc.sql("""
                        UPDATE customers
                           SET email = coalesce(:email, email),
                               name = coalesce(:name, name),
                               version = version + 1,
                               updated_at = now()
                         WHERE id = :id AND version = :expectedVersion
                        """)
                        .param("id", customerId.get())
                        .param("expectedVersion", expectedVersion)
                        .param("email", storedEmail)
                        .param("name", name)
                        .update();
            }
            catch (DuplicateKeyException e) {
                throw duplicateEmail(storedEmail);
            }
            if (updated == 0) {
                throw staleOrMissing(customerId.get(), expectedVersion);
            }
            return customerId.get();
        });
    }

    private CommandRejectedException staleOrMissing(UUID id, int expectedVersion) {
        return jdbc.sql("SELECT version FROM customers WHERE id = :id")
                .param("id", id)
                .query(Integer.class)
                .optional()
                .map(current -> CommandRejectedException.versionConflict("customer", id, current, expectedVersion))
                .orElseGet(() -> new CommandRejectedException(List.of(notFound(id.toString()))));
    }

    private static CommandRejectedException duplicateEmail(@Nullable String email) {
        return new CommandRejectedException(UserErrorCode.DUPLICATE,
                "a customer with email " + email + " already exists", "input", "email");
    }

    private static UserError notFound(String id) {
        return UserError.of(UserErrorCode.NOT_FOUND, "no customer with id " + id, "input", "id");
    }
}
