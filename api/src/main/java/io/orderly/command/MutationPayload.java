package io.orderly.command;

import java.util.List;
import java.util.UUID;

import io.orderly.graphql.UserError;
import org.jspecify.annotations.Nullable;

/**
 * What every mutation returns: the id of the written object and the consistency token of the
 * commit, or the errors that refused the command. The object itself is resolved by the read side,
 * from the read model, once it contains the token.
 */
public record MutationPayload(@Nullable String id, @Nullable String consistencyToken, List<UserError> errors) {

    public static MutationPayload of(CommandResult<UUID> result) {
        if (result instanceof CommandResult.Accepted<UUID> accepted) {
            return new MutationPayload(accepted.value().toString(), accepted.token().toString(), List.of());
        }
        return new MutationPayload(null, null, ((CommandResult.Rejected<UUID>) result).errors());
    }
}
