package io.orderly.consistency;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import graphql.schema.DataFetcher;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.stereotype.Component;

/**
 * Fails every root field of a query whose consistency wait timed out, with the
 * {@link ConsistencyTimeoutException}: the fields are null with a {@code CONSISTENCY_TIMEOUT} error
 * each, and nulls propagate as for any field error, so {@code data} has the shape GraphQL
 * prescribes and the response is a 200.
 */
@Component
class TimedOutReads extends SimplePerformantInstrumentation {

    private static final String TIMEOUT = TimedOutReads.class.getName() + ".timeout";

    static void failRootFields(WebGraphQlRequest request, ConsistencyTimeoutException timeout) {
        request.configureExecutionInput((input, builder) -> builder.graphQLContext(Map.of(TIMEOUT, timeout)).build());
    }

    @Override
    public DataFetcher<?> instrumentDataFetcher(DataFetcher<?> dataFetcher, InstrumentationFieldFetchParameters parameters,
            InstrumentationState state) {
        ConsistencyTimeoutException timeout = parameters.getExecutionContext().getGraphQLContext().get(TIMEOUT);
        if (timeout == null || parameters.getExecutionStepInfo().getPath().getLevel() != 1) {
            return dataFetcher;
        }
        return environment -> CompletableFuture.failedFuture(timeout);
    }
}
