package io.orderly.graphql;

/** Why a command was refused; the GraphQL enum of the same name. */
public enum UserErrorCode {
    VALIDATION,
    NOT_FOUND,
    VERSION_CONFLICT,
    INSUFFICIENT_STOCK,
    INVALID_TRANSITION,
    DUPLICATE,
    INACTIVE_PRODUCT
}
