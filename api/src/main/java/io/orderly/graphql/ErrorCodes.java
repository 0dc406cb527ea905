package io.orderly.graphql;

import java.util.LinkedHashMap;
import java.util.Map;

import graphql.ErrorClassification;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.schema.DataFetchingEnvironment;
import org.jspecify.annotations.Nullable;

/**
 * The {@code extensions.code} values of GraphQL errors, with Apollo's names where Apollo has one
 * (domain refusals of commands are not errors: they are {@link UserError}s in the payload).
 * {@link GraphQlErrorHandling} gives every error one of them.
 */
public enum ErrorCodes implements ErrorClassification {
    /** The document does not parse. */
    GRAPHQL_PARSE_FAILED,
    /** The document does not validate against the schema. */
    GRAPHQL_VALIDATION_FAILED,
    /** {@code operationName} names no operation of the document, or it has several and none is named. */
    OPERATION_RESOLUTION_FAILURE,
    /** A query argument, directive value or variable value that cannot be served. */
    BAD_USER_INPUT,
    /** The request is not one this endpoint runs: a persisted query hash that does not match its text, say. */
    BAD_REQUEST,
    /** A JSON array of requests: send each operation in its own request. */
    BATCH_NOT_SUPPORTED,
    /** An automatic persisted query sent as its hash only, which this server does not know: send it again with its text. */
    PERSISTED_QUERY_NOT_FOUND,
    /** Trusted-documents mode: the document is not one of those the server was given. */
    TRUSTED_DOCUMENT_REQUIRED,
    /** A mutation or subscription sent by GET; only POST runs them. */
    METHOD_NOT_ALLOWED,
    /** A failure on the server's side, logged there; the message does not say more. */
    INTERNAL_SERVER_ERROR,
    /** The read model did not reach the requested consistency token in time; {@code retryAfterMillis} says when to try again. */
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
    REQUEST_TIMEOUT,
    /** The caller sent more than {@code orderly.limits.rate.*} allows; {@code retryAfterSeconds} says when to try again. */
    RATE_LIMITED,
    /** An expensive query found every permit of {@code orderly.limits.expensive.*} taken; try again shortly. */
    SERVER_BUSY,
    /** A subscribe past {@code orderly.subscriptions.max-per-connection} or {@code max-per-caller} active subscriptions. */
    TOO_MANY_SUBSCRIPTIONS,
    /** A query or mutation produced more values than {@code orderly.limits.max-result-nodes}; nothing of it is returned. */
    RESPONSE_TOO_LARGE;

    /** An error with this code, located at the field being fetched if there is one. */
    public GraphQLError error(String message, @Nullable DataFetchingEnvironment environment) {
        return error(message, environment, Map.of());
    }

    /** An error with this code and more extensions, located at the field being fetched if there is one. */
    public GraphQLError error(String message, @Nullable DataFetchingEnvironment environment, Map<String, Object> extensions) {
        Map<String, Object> all = new LinkedHashMap<>(extensions);
        all.put("code", name());
        GraphqlErrorBuilder<?> builder = environment == null ? GraphqlErrorBuilder.newError() : GraphqlErrorBuilder.newError(environment);
        return builder.errorType(this).message(message).extensions(all).build();
    }
}
