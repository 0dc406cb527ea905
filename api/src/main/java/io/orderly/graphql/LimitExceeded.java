package io.orderly.graphql;

import java.util.LinkedHashMap;
import java.util.Map;

import graphql.execution.AbortExecutionException;

/**
 * A request refused for its shape or cost before it runs; carries an {@code extensions.code}. It is
 * a client error, answered and logged without a stack trace, so none is recorded.
 */
final class LimitExceeded extends AbortExecutionException {

    private final ErrorCodes code;
    private final Map<String, Object> details;

    LimitExceeded(ErrorCodes code, String message) {
        this(code, message, Map.of());
    }

    /** With more {@code extensions} next to the code, e.g. when to retry. */
    LimitExceeded(ErrorCodes code, String message, Map<String, Object> details) {
        super(message);
        this.code = code;
        this.details = details;
    }

    @Override
    public Map<String, Object> getExtensions() {
        Map<String, Object> extensions = new LinkedHashMap<>(details);
        extensions.put("code", code.name());
        return extensions;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
