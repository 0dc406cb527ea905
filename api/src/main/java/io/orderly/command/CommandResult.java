package io.orderly.command;

import java.util.List;

import io.orderly.cdc.readmodel.ConsistencyToken;
import io.orderly.graphql.UserError;

/** The outcome of a command: committed with a consistency token, or refused having written nothing. */
public sealed interface CommandResult<T> {

    record Accepted<T>(T value, ConsistencyToken token) implements CommandResult<T> {
    }

    record Rejected<T>(List<UserError> errors) implements CommandResult<T> {
    }
}
