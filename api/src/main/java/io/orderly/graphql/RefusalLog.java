package io.orderly.graphql;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import graphql.ExecutionResult;
import graphql.GraphQLError;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each request refused before it ran (a document that does not parse or validate, a limit
 * crossed) in one line and without a stack trace: the fault is the client's, and the client has the
 * details. The message is cut short and kept to one line, as it may quote the client's text.
 */
final class RefusalLog extends SimplePerformantInstrumentation {

    private static final Logger log = LoggerFactory.getLogger(RefusalLog.class);

    private static final int MAX_MESSAGE_LENGTH = 200;

    @Override
    public CompletableFuture<ExecutionResult> instrumentExecutionResult(ExecutionResult result,
            InstrumentationExecutionParameters parameters, InstrumentationState state) {
        List<GraphQLError> errors = result.getErrors();
        if (!result.isDataPresent() && !errors.isEmpty() && log.isInfoEnabled()) {
            GraphQLError first = errors.get(0);
            String more = errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : "";
            log.info("Refused a GraphQL request before it ran: {}: {}{}", code(first), oneLine(first.getMessage()), more);
        }
        return CompletableFuture.completedFuture(result);
    }

    private static Object code(GraphQLError error) {
        Map<String, Object> extensions = error.getExtensions();
        Object code = extensions == null ? null : extensions.get("code");
        return code != null ? code : error.getErrorType();
    }

    private static String oneLine(String message) {
        String flat = message.replaceAll("\\p{Cntrl}+", " ");
        return flat.length() > MAX_MESSAGE_LENGTH ? flat.substring(0, MAX_MESSAGE_LENGTH) + "…" : flat;
    }
}
