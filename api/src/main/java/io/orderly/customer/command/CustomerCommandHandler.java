package io.orderly.customer.command;

import java.sql.Types;
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
import io.orderly.identity.Caller;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Registers and updates customers in PostgreSQL; refuses invalid, duplicate or stale commands. A
 * customer caller registers the customer bound to its own subject (one per subject) and updates
 * only that one: another customer reads as absent. Staff register unbound customers and update any.
 */
@Service
class CustomerCommandHandler {

    private final CommandTransactions transactions;
    private final JdbcClient jdbc;

    CustomerCommandHandler(CommandTransactions transactions, JdbcClient jdbc) {
        this.transactions = transactions;
        this.jdbc = jdbc;
    }

    CommandResult<UUID> register(Caller caller, String email, String name) {
        List<UserError> errors = new ArrayList<>(CustomerRules.checkEmail(email));
        errors.addAll(CustomerRules.checkName(name));
        if (!errors.isEmpty()) {
            return new CommandResult.Rejected<>(errors);
        }
        UUID id = UUID.randomUUID();
        String subject = caller.isCustomer() ? caller.customerSubject() : null;
        String storedEmail = CustomerRules.normalizedEmail(email);
        return transactions.execute(() -> {
            try {
                jdbc.sql("""
                        INSERT INTO customers (id, email, name, subject)
                        VALUES (:id, :email, :name, :subject)
                        """)
                        .param("id", id)
                        .param("email", storedEmail)
                        .param("name", name)
                        .param("subject", subject, Types.VARCHAR)
                        .update();
            }
            catch (DuplicateKeyException e) {
                throw isSubjectTaken(e) ? subjectTaken() : duplicateEmail(storedEmail);
            }
            return id;
        });
    }

    CommandResult<UUID> update(Caller caller, String id, int expectedVersion, @Nullable String email, @Nullable String name) {
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
        String owner = caller.isCustomer() ? caller.customerSubject() : null;
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
                           AND (CAST(:owner AS text) IS NULL OR subject = :owner)
                        """)
                        .param("id", customerId.get())
                        .param("expectedVersion", expectedVersion)
                        .param("email", storedEmail)
                        .param("name", name)
                        .param("owner", owner, Types.VARCHAR)
                        .update();
            }
            catch (DuplicateKeyException e) {
                throw duplicateEmail(storedEmail);
            }
            if (updated == 0) {
                throw staleOrMissing(customerId.get(), owner, expectedVersion);
            }
            return customerId.get();
        });
    }

    /** Why an update matched no row: the customer moved on, or there is none the caller may change. */
    private CommandRejectedException staleOrMissing(UUID id, @Nullable String owner, int expectedVersion) {
        return jdbc.sql("SELECT version FROM customers WHERE id = :id AND (CAST(:owner AS text) IS NULL OR subject = :owner)")
                .param("id", id)
                .param("owner", owner, Types.VARCHAR)
                .query(Integer.class)
                .optional()
                .map(current -> CommandRejectedException.versionConflict("customer", id, current, expectedVersion))
                .orElseGet(() -> new CommandRejectedException(List.of(notFound(id.toString()))));
    }

    private static boolean isSubjectTaken(DuplicateKeyException e) {
        return String.valueOf(e.getMessage()).contains("customers_subject_unique");
    }

    private static CommandRejectedException subjectTaken() {
        return new CommandRejectedException(UserErrorCode.DUPLICATE,
                "a customer is already registered for this sign-in; query me to get it", "input");
    }

    private static CommandRejectedException duplicateEmail(@Nullable String email) {
        return new CommandRejectedException(UserErrorCode.DUPLICATE,
                "a customer with email " + email + " already exists", "input", "email");
    }

    private static UserError notFound(String id) {
        return UserError.of(UserErrorCode.NOT_FOUND, "no customer with id " + id, "input", "id");
    }
}
