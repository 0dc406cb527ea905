package io.orderly.graphql;

import java.util.concurrent.CompletionStage;

import graphql.execution.DataFetcherResult;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import graphql.schema.DataFetcher;
import graphql.schema.GraphQLTypeUtil;
import org.springframework.stereotype.Component;

/**
 * Lets a connection field whose resolver failed be null, so that GraphQL's null propagation
 * applies: a refused {@code orders(first: 1000)} nulls its nearest nullable parent, or the whole
 * {@code data}. Spring for GraphQL's connection support, installed by Spring Boot, puts an empty
 * connection of its own in place of a non-null connection field whose resolver reported an error;
 * a client caching with {@code errorPolicy: "all"} then replaced its list by that empty one.
 * Orderly's resolvers build their own {@link Connection} and need nothing of that support.
 */
@Component
class FailedConnections extends SimplePerformantInstrumentation {

    @Override
    public DataFetcher<?> instrumentDataFetcher(DataFetcher<?> dataFetcher, InstrumentationFieldFetchParameters parameters,
            InstrumentationState state) {
        // Connections come from resolvers, never from plain properties: asking a field for its type
        // makes graphql-java build its whole environment, which it spares those fields.
        if (parameters.isTrivialDataFetcher()
                || !GraphQLTypeUtil.unwrapAll(parameters.getField().getType()).getName().endsWith("Connection")) {
            return dataFetcher;
        }
        return environment -> {
            Object value = dataFetcher.get(environment);
            return value instanceof CompletionStage<?> stage ? stage.thenApply(FailedConnections::withoutData) : withoutData(value);
        };
    }

    private static Object withoutData(Object value) {
        if (value instanceof DataFetcherResult<?> result && result.hasErrors()) {
            return DataFetcherResult.newResult().errors(result.getErrors()).localContext(result.getLocalContext()).build();
        }
        return value;
    }
}
