package io.orderly.command;

import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
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
        if (!request.getDocument().contains("mutation")) {
            return chain.next(request);
        }
        Timer.Sample sample = Timer.start(meters);
        return chain.next(request).doOnNext(response -> record(sample, response));
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
