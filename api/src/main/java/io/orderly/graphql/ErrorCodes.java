package io.orderly.graphql;

import java.util.Map;

import graphql.ErrorClassification;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.schema.DataFetchingEnvironment;
import org.jspecify.annotations.Nullable;

/**
 * The {@code extensions.code} values of GraphQL errors that Orderly raises itself (domain refusals
 * of commands are not errors: they are {@link UserError}s in the payload).
 */
public enum ErrorCodes implements ErrorClassification {
    /** A query argument or directive value that cannot be served. */
    BAD_USER_INPUT,
    /** The read model did not reach the requested consistency token in time. */
    CONSISTENCY_TIMEOUT,
    /** The change feed no longer holds what follows the subscription's cursor. */
    RESYNC_REQUIRED,
    /** A subscription fell too far behind and was ended; resume from its last cursor. */
    SUBSCRIBER_TOO_SLOW,
    /** The operation needs a signed-in caller and the request carried no token. */
    UNAUTHENTICATED,
    /** The caller's roles do not allow the operation. */
    FORBIDDEN,
    /** The operation needs a role ({@code orderly.roles}) that this process does not run. */
    ROLE_NOT_SERVED,
    /** Fields nest deeper than {@code orderly.limits.max-depth}. */
    QUERY_TOO_DEEP,
    /** The operation's cost is over {@code orderly.limits.max-complexity}. */
    QUERY_TOO_COMPLEX,
    /** More aliased fields than {@code orderly.limits.max-aliases}. */
    TOO_MANY_ALIASES,
    /** An operation with more root fields than {@code orderly.limits.max-root-fields}. */
    TOO_MANY_ROOT_FIELDS,
    /** A mutation operation with more root fields than {@code orderly.limits.max-mutations}. */
    TOO_MANY_MUTATIONS,
    /** More selections, fragments expanded, than {@code orderly.limits.max-nodes}. */
    TOO_MANY_NODES,
    /** More fragment definitions than {@code orderly.limits.max-fragments}. */
    TOO_MANY_FRAGMENTS,
    /** Fragment spreads nested deeper than {@code orderly.limits.max-fragment-depth}. */
    FRAGMENTS_TOO_DEEP,
    /** A query ran past {@code orderly.limits.request-timeout} and was stopped. */
    REQUEST_TIMEOUT;

    /** An error with this code, located at the field being fetched if there is one. */
    public GraphQLError error(String message, @Nullable DataFetchingEnvironment environment) {
        GraphqlErrorBuilder<?> builder = environment == null ? GraphqlErrorBuilder.newError() : GraphqlErrorBuilder.newError(environment);
        return builder.errorType(this).message(message).extensions(Map.of("code", name())).build();
    }
}
