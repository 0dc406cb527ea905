package io.orderly.identity;

import java.util.Map;

import org.springframework.core.annotation.Order;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Puts the {@link Caller} into every request's GraphQL context: over HTTP the one Spring Security
 * authenticated from the request's bearer token, over graphql-ws the one authenticated when the
 * connection was initialised (see {@link WebSocketAuthentication}).
 */
@Component
@Order(-10)
class CallerInterceptor implements WebGraphQlInterceptor {

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        Caller caller = Caller.of(request);
        request.configureExecutionInput((input, builder) -> builder.graphQLContext(Map.of(Caller.CONTEXT_KEY, caller)).build());
        return chain.next(request);
    }
}
