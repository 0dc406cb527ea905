package io.orderly.graphql;

import java.util.List;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import graphql.ExecutionResult;
import graphql.GraphQLError;
import graphql.language.Document;
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

    /**
     * Documents parsed for the interceptors, by their text: several of them look at the operation of
     * every request, and clients send the same few documents again and again. Bounded by the size of
     * the texts kept; one that does not parse is not kept.
     */
    private static final Cache<String, Document> PARSED = Caffeine.newBuilder()
            .maximumWeight(8L * 1024 * 1024)
            .weigher((String text, Document document) -> text.length())
            .build();

    private Requests() {
    }

    /**
     * The operation the request will run: the one named by {@code operationName}, or the only one.
     *
     * @throws graphql.parser.InvalidSyntaxException when the document does not parse
     */
    public static Optional<OperationDefinition> operation(WebGraphQlRequest request) {
        List<OperationDefinition> operations = PARSED.get(request.getDocument(), Parser::parse)
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
