package io.orderly.command;

import java.util.List;

import io.orderly.graphql.UserError;
import io.orderly.graphql.UserErrorCode;

/**
 * Thrown by a command handler to refuse a command; {@link CommandTransactions} rolls the
 * transaction back and turns it into {@link CommandResult.Rejected}.
 */
public class CommandRejectedException extends RuntimeException {

    private final List<UserError> errors;

    public CommandRejectedException(List<UserError> errors) {
        super(errors.isEmpty() ? "rejected" : errors.get(0).message(), null, false, false);
        this.errors = List.copyOf(errors);
    }

    public CommandRejectedException(UserErrorCode code, String message, String... field) {
        this(List.of(UserError.of(code, message, field)));
    }

    /** The refusal of a command based on a version that the object is no longer at. */
    public static CommandRejectedException versionConflict(String kind, Object id, int currentVersion, int expectedVersion) {
        return new CommandRejectedException(UserErrorCode.VERSION_CONFLICT,
                kind + " " + id + " is at version " + currentVersion + ", not " + expectedVersion, "input", "expectedVersion");
    }

    public List<UserError> errors() {
        return errors;
    }
}
