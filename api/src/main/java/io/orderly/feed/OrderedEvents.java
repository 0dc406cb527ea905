package io.orderly.feed;

import java.util.Map;

import graphql.execution.SubscriptionExecutionStrategy;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Sends a subscription's events in the feed's order. graphql-java otherwise sends each event as
 * soon as its fields are resolved, and the fields of consecutive events resolve on different
 * threads (Redis replies are handed to a pool), so a later event could overtake an earlier one.
 */
@Component
class OrderedEvents implements WebGraphQlInterceptor {

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        request.configureExecutionInput((input, builder) -> builder
                .graphQLContext(Map.of(SubscriptionExecutionStrategy.KEEP_SUBSCRIPTION_EVENTS_ORDERED, true)).build());
        return chain.next(request);
    }
}
