package io.orderly.consistency;

import java.util.Map;
import java.util.Optional;

import graphql.language.Argument;
import graphql.language.Directive;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.language.VariableReference;
import graphql.parser.InvalidSyntaxException;
import io.orderly.cdc.readmodel.ConsistencyToken;
import io.orderly.graphql.ErrorCodes;
import io.orderly.graphql.Requests;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Implements {@code @consistentWith(token:)} on query operations: the operation runs only once the
 * read models contain the token's write. Past the bound it runs with every root field failing
 * with {@code CONSISTENCY_TIMEOUT} ({@link TimedOutReads}), so that the response is shaped as any
 * other execution error. A null token, or none, waits for nothing.
 */
@Component
class ConsistentWithInterceptor implements WebGraphQlInterceptor {

    private static final String DIRECTIVE = "consistentWith";

    private final ConsistencyWaiter waiter;

    ConsistentWithInterceptor(ConsistencyWaiter waiter) {
        this.waiter = waiter;
    }

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        if (!request.getDocument().contains(DIRECTIVE)) {
            return chain.next(request);
        }
        Optional<ConsistencyToken> token;
        try {
            token = requestedToken(request).map(ConsistencyToken::parse);
        }
        catch (InvalidSyntaxException e) {
            return chain.next(request); // graphql-java reports the syntax error itself
        }
        catch (IllegalArgumentException e) {
            return Mono.just(Requests.refused(request, ErrorCodes.BAD_USER_INPUT.error(e.getMessage(), null)));
        }
        if (token.isEmpty()) {
            return chain.next(request);
        }
        return waiter.await(token.get())
                .then(Mono.defer(() -> chain.next(request)))
                .onErrorResume(ConsistencyTimeoutException.class, e -> {
                    TimedOutReads.failRootFields(request, e);
                    return chain.next(request);
                });
    }

    private static Optional<String> requestedToken(WebGraphQlRequest request) {
        return Requests.operation(request)
                .flatMap(operation -> operation.getDirectives(DIRECTIVE).stream().findFirst())
                .flatMap(directive -> tokenValue(directive, request.getVariables()));
    }

    /** The token's text; empty for null or none, and for values of another type, which validation refuses. */
    private static Optional<String> tokenValue(Directive directive, Map<String, Object> variables) {
        Argument argument = directive.getArgument("token");
        Value<?> value = argument == null ? null : argument.getValue();
        if (value instanceof StringValue text) {
            return Optional.of(text.getValue());
        }
        if (value instanceof VariableReference variable && variables.get(variable.getName()) instanceof String text) {
            return Optional.of(text);
        }
        return Optional.empty();
    }

}
