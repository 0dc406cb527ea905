package io.orderly.feed;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import graphql.language.OperationDefinition.Operation;
import graphql.parser.InvalidSyntaxException;
import io.orderly.graphql.ErrorCodes;
import io.orderly.graphql.Requests;
import io.orderly.identity.Caller;
import io.orderly.runtime.OrderlyProperties;
import org.reactivestreams.Publisher;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.WebSocketGraphQlRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Caps the subscriptions that are active at once: per graphql-ws connection
 * ({@code orderly.subscriptions.max-per-connection}) and per caller across the connections of this
 * process ({@code max-per-caller}; a subject, or an address when anonymous). A subscribe past a cap
 * is answered with an {@code error} message carrying {@code TOO_MANY_SUBSCRIPTIONS}; the other
 * subscriptions go on. A subscription counts from its subscribe until it ends, however it ends.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 17)
class SubscriptionCaps implements WebGraphQlInterceptor {

    private final int perConnection;
    private final int perCaller;
    private final Map<String, Integer> byConnection = new ConcurrentHashMap<>();
    private final Map<String, Integer> byCaller = new ConcurrentHashMap<>();

    SubscriptionCaps(OrderlyProperties properties) {
        this.perConnection = properties.subscriptions().maxPerConnection();
        this.perCaller = properties.subscriptions().maxPerCaller();
    }

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        if (!(request instanceof WebSocketGraphQlRequest socketRequest) || !isSubscription(request)) {
            return chain.next(request);
        }
        String connection = socketRequest.getSessionInfo().getId();
        String caller = Caller.of(request).limitKey(request.getRemoteAddress());
        if (!take(byConnection, connection, perConnection)) {
            return refused(request, "This connection has " + perConnection + " active subscriptions, the most allowed; "
                    + "complete one first, or open another connection");
        }
        if (!take(byCaller, caller, perCaller)) {
            give(byConnection, connection);
            return refused(request, "You have " + perCaller + " active subscriptions, the most allowed; complete one first");
        }
        AtomicBoolean counted = new AtomicBoolean(true);
        Runnable release = () -> {
            if (counted.compareAndSet(true, false)) {
                give(byConnection, connection);
                give(byCaller, caller);
            }
        };
        return chain.next(request)
                .map(response -> {
                    if (!(response.getData() instanceof Publisher<?> events)) {
                        release.run(); // refused before it ran: nothing to count
                        return response;
                    }
                    return response.transform(builder -> builder.data(Flux.from(events).doFinally(signal -> release.run())));
                })
                .doOnError(error -> release.run())
                .doOnCancel(release);
    }

    /** How many subscriptions this caller key has active in this process. */
    int activeFor(String callerKey) {
        return byCaller.getOrDefault(callerKey, 0);
    }

    private static boolean isSubscription(WebGraphQlRequest request) {
        try {
            return Requests.operation(request).map(operation -> operation.getOperation() == Operation.SUBSCRIPTION).orElse(false);
        }
        catch (InvalidSyntaxException e) {
            return false; // graphql-java reports the syntax error itself
        }
    }

    private static boolean take(Map<String, Integer> counts, String key, int max) {
        boolean[] taken = {false};
        counts.compute(key, (name, count) -> {
            int current = count == null ? 0 : count;
            if (current >= max) {
                return count;
            }
            taken[0] = true;
            return current + 1;
        });
        return taken[0];
    }

    private static void give(Map<String, Integer> counts, String key) {
        counts.computeIfPresent(key, (name, count) -> count <= 1 ? null : count - 1);
    }

    private static Mono<WebGraphQlResponse> refused(WebGraphQlRequest request, String message) {
        return Mono.just(Requests.refusedOperation(request, ErrorCodes.TOO_MANY_SUBSCRIPTIONS.error(message, null)));
    }
}
