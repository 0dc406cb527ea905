package io.orderly.graphql;

import java.util.Map;

import graphql.execution.AbortExecutionException;

/**
 * A request refused for its shape or cost before it runs; carries an {@code extensions.code}. It is
 * a client error, answered and logged without a stack trace, so none is recorded.
 */
final class LimitExceeded extends AbortExecutionException {

    private final ErrorCodes code;

    LimitExceeded(ErrorCodes code, String message) {
        super(message);
        this.code = code;
    }

    @Override
    public Map<String, Object> getExtensions() {
        return Map.of("code", code.name());
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
