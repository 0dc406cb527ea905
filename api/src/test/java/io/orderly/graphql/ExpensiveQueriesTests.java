package io.orderly.graphql;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import graphql.GraphQLContext;
import io.orderly.runtime.OrderlyProperties;
import org.junit.jupiter.api.Test;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.util.LinkedMultiValueMap;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

class ExpensiveQueriesTests {

    private final ExpensiveQueries expensive = new ExpensiveQueries(new OrderlyProperties.Limits.Expensive(10, 1, Duration.ofMillis(10)));

    /** As when the request deadline cancels a query while graphql-java is still on its way to the cost check. */
    @Test
    void givesBackAPermitTakenAfterItsQueryWasCancelled() {
        AtomicReference<GraphQLContext> context = new AtomicReference<>();
        Disposable running = expensive.intercept(request(), request -> {
            context.set(request.toExecutionInput().getGraphQLContext());
            return Mono.never();
        }).subscribe();

        running.dispose();
        expensive.admit(context.get(), 11);

        assertThat(expensive.permits().availablePermits()).isEqualTo(1);
    }

    private static WebGraphQlRequest request() {
        return new WebGraphQlRequest(URI.create("http://localhost/graphql"), new HttpHeaders(), new LinkedMultiValueMap<>(),
                Map.of(), Map.of("query", "{ products { totalCount } }"), "1", Locale.ENGLISH);
    }
}
