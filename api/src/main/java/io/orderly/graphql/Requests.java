package io.orderly.graphql;

import java.util.List;
import java.util.Optional;

import graphql.ExecutionResult;
import graphql.GraphQLError;
import graphql.language.OperationDefinition;
import graphql.parser.Parser;
import org.springframework.graphql.execution.SubscriptionPublisherException;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.WebSocketGraphQlRequest;
import org.springframework.graphql.support.DefaultExecutionGraphQlResponse;
import reactor.core.publisher.Flux;

/** Helpers for interceptors that look at a request before it executes. */
public final class Requests {

    private Requests() {
    }

    /**
     * The operation the request will run: the one named by {@code operationName}, or the only one.
     *
     * @throws graphql.parser.InvalidSyntaxException when the document does not parse
     */
    public static Optional<OperationDefinition> operation(WebGraphQlRequest request) {
        List<OperationDefinition> operations = Parser.parse(request.getDocument())
                .getDefinitionsOfType(OperationDefinition.class);
        return operations.stream()
                .filter(operation -> request.getOperationName() == null
                        ? operations.size() == 1
                        : request.getOperationName().equals(operation.getName()))
                .findFirst();
    }

    /**
     * A response that carries only this error, as a refusal of the operation itself: over HTTP the
     * error alone, over graphql-ws an {@code error} message for the subscribe, which ends it (the
     * other operations of the connection go on).
     */
    public static WebGraphQlResponse refusedOperation(WebGraphQlRequest request, GraphQLError error) {
        if (!(request instanceof WebSocketGraphQlRequest)) {
            return refused(request, error);
        }
        Flux<ExecutionResult> failing = Flux.error(new SubscriptionPublisherException(List.of(error), null));
        ExecutionResult result = ExecutionResult.newExecutionResult().data(failing).build();
        return new WebGraphQlResponse(new DefaultExecutionGraphQlResponse(request.toExecutionInput(), result));
    }

    /**
     * A response to an operation whose execution was cut short: {@code data: null} and this error,
     * over HTTP and graphql-ws alike (there, a {@code next} message).
     */
    public static WebGraphQlResponse cutShort(WebGraphQlRequest request, GraphQLError error) {
        ExecutionResult result = ExecutionResult.newExecutionResult().data(null).addError(error).build();
        return new WebGraphQlResponse(new DefaultExecutionGraphQlResponse(request.toExecutionInput(), result));
    }

    /** A response that carries only this error: the operation does not run. */
    public static WebGraphQlResponse refused(WebGraphQlRequest request, GraphQLError error) {
        ExecutionResult result = ExecutionResult.newExecutionResult().addError(error).build();
        return new WebGraphQlResponse(new DefaultExecutionGraphQlResponse(request.toExecutionInput(), result));
    }
}
