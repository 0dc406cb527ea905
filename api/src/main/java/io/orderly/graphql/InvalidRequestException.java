package io.orderly.graphql;

/** A query argument that cannot be served (page size, cursor, token); reported as {@code BAD_USER_INPUT}. */
public class InvalidRequestException extends RuntimeException {

    public InvalidRequestException(String message) {
        super(message);
    }
}
