package io.orderly.command;

import java.util.List;
import java.util.Map;

import graphql.language.OperationDefinition.Operation;
import graphql.parser.InvalidSyntaxException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.orderly.graphql.Requests;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Times every mutation and counts its outcome ({@code orderly.commands}, tagged with the mutation
 * and {@code ACCEPTED} or the first error code; {@code UNKNOWN} when the client did not select
 * {@code errors}).
 */
@Component
class CommandMetricsInterceptor implements WebGraphQlInterceptor {

    private final MeterRegistry meters;

    CommandMetricsInterceptor(MeterRegistry meters) {
        this.meters = meters;
    }

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        if (!isMutation(request)) {
            return chain.next(request);
        }
        Timer.Sample sample = Timer.start(meters);
        return chain.next(request).doOnNext(response -> record(sample, response));
    }

    /** By the operation itself: the word "mutation" may appear anywhere in a query, in a string or a name. */
    private static boolean isMutation(WebGraphQlRequest request) {
        if (!request.getDocument().contains("mutation")) {
            return false;
        }
        try {
            return Requests.operation(request).map(operation -> operation.getOperation() == Operation.MUTATION).orElse(false);
        }
        catch (InvalidSyntaxException e) {
            return false; // graphql-java reports the syntax error itself, without executing anything
        }
    }

    private void record(Timer.Sample sample, WebGraphQlResponse response) {
        if (!(response.getData() instanceof Map<?, ?> data)) {
            return;
        }
        data.forEach((mutation, payload) -> sample.stop(Timer.builder("orderly.commands")
                .description("Mutations handled, by outcome")
                .tag("mutation", String.valueOf(mutation))
                .tag("outcome", outcome(payload))
                .register(meters)));
    }

    private static String outcome(Object payload) {
        if (!(payload instanceof Map<?, ?> fields) || !(fields.get("errors") instanceof List<?> errors)) {
            return "UNKNOWN";
        }
        if (errors.isEmpty()) {
            return "ACCEPTED";
        }
        return errors.get(0) instanceof Map<?, ?> error ? String.valueOf(error.get("code")) : "REFUSED";
    }
}
