package io.orderly.graphql;

import java.util.Map;

/**
 * A refusal a feature throws with the code its client reads: {@link GraphQlErrorHandling} turns any
 * of them into the GraphQL error, so that the error handling knows no feature and no feature needs
 * a handler of its own.
 */
public abstract class OperationRefusedException extends RuntimeException {

    private final ErrorCodes code;

    /** Without a stack trace: a refusal is an answer to the client, not a failure to debug. */
    protected OperationRefusedException(ErrorCodes code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCodes code() {
        return code;
    }

    /** What the client reads in {@code extensions} besides the code. */
    public Map<String, Object> extensions() {
        return Map.of();
    }

    /**
     * Whether the error names the field that failed. An error that ends a subscription's stream
     * does not: it is about the stream, not about one of its events.
     */
    public boolean atField() {
        return true;
    }
}
