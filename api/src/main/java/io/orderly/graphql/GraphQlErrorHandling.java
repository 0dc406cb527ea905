package io.orderly.graphql;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

import graphql.ErrorClassification;
import graphql.ErrorType;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.execution.UnknownOperationException;
import graphql.schema.DataFetchingEnvironment;
import graphql.validation.ValidationError;
import io.orderly.identity.AccessRefusedException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.graphql.data.method.annotation.GraphQlExceptionHandler;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import reactor.core.publisher.Mono;

/**
 * The one place that gives GraphQL errors their {@code extensions.code}: exceptions from resolvers
 * are mapped by the handlers below, and every error that still has no code on its way out (a
 * document that does not parse or validate, a variable that does not coerce, an unresolved
 * exception) gets the code of its kind. As the outermost interceptor it sees every response.
 */
@ControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class GraphQlErrorHandling implements WebGraphQlInterceptor {

    @GraphQlExceptionHandler
    GraphQLError invalidRequest(InvalidRequestException e, DataFetchingEnvironment environment) {
        return ErrorCodes.BAD_USER_INPUT.error(e.getMessage(), environment);
    }

    @GraphQlExceptionHandler
    GraphQLError accessRefused(AccessRefusedException e, DataFetchingEnvironment environment) {
        return (e.isAuthenticated() ? ErrorCodes.FORBIDDEN : ErrorCodes.UNAUTHENTICATED).error(e.getMessage(), environment);
    }

    @GraphQlExceptionHandler
    GraphQLError refused(OperationRefusedException e, DataFetchingEnvironment environment) {
        return e.code().error(e.getMessage(), e.atField() ? environment : null, e.extensions());
    }

    /**
     * A fetch cancelled by the deadline of its query ({@link RequestDeadline}): the client already has
     * its {@code REQUEST_TIMEOUT}, so this error goes nowhere, but it is not a failure to log either.
     */
    @GraphQlExceptionHandler
    GraphQLError cancelled(CancellationException e, DataFetchingEnvironment environment) {
        return ErrorCodes.REQUEST_TIMEOUT.error("The query ran past its deadline and was stopped", environment);
    }

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        return chain.next(request).map(GraphQlErrorHandling::withCodes);
    }

    private static WebGraphQlResponse withCodes(WebGraphQlResponse response) {
        List<GraphQLError> errors = response.getExecutionResult().getErrors();
        if (errors.stream().allMatch(GraphQlErrorHandling::hasCode)) {
            return response;
        }
        return response.transform(result -> result.errors(errors.stream().map(GraphQlErrorHandling::withCode).toList()));
    }

    private static boolean hasCode(GraphQLError error) {
        return error.getExtensions() != null && error.getExtensions().get("code") instanceof String;
    }

    private static GraphQLError withCode(GraphQLError error) {
        if (hasCode(error)) {
            return error;
        }
        Map<String, Object> extensions = new LinkedHashMap<>(error.getExtensions() == null ? Map.of() : error.getExtensions());
        extensions.put("code", codeOf(error).name());
        return GraphqlErrorBuilder.newError()
                .message(error.getMessage())
                .locations(error.getLocations())
                .path(error.getPath())
                .errorType(error.getErrorType())
                .extensions(extensions)
                .build();
    }

    private static ErrorCodes codeOf(GraphQLError error) {
        if (error instanceof ValidationError) {
            return ErrorCodes.GRAPHQL_VALIDATION_FAILED;
        }
        if (error instanceof UnknownOperationException) {
            return ErrorCodes.OPERATION_RESOLUTION_FAILURE;
        }
        ErrorClassification type = error.getErrorType();
        if (type == ErrorType.InvalidSyntax) {
            return ErrorCodes.GRAPHQL_PARSE_FAILED;
        }
        if (type == ErrorType.ValidationError) {
            // graphql-java classifies variable values that do not coerce to their types as validation errors
            return ErrorCodes.BAD_USER_INPUT;
        }
        if (type == ErrorType.OperationNotSupported) {
            return ErrorCodes.BAD_REQUEST;
        }
        if (type instanceof org.springframework.graphql.execution.ErrorType springType) {
            return switch (springType) {
                case BAD_REQUEST, NOT_FOUND -> ErrorCodes.BAD_REQUEST;
                case UNAUTHORIZED -> ErrorCodes.UNAUTHENTICATED;
                case FORBIDDEN -> ErrorCodes.FORBIDDEN;
                case INTERNAL_ERROR -> ErrorCodes.INTERNAL_SERVER_ERROR;
            };
        }
        return ErrorCodes.INTERNAL_SERVER_ERROR;
    }
}
