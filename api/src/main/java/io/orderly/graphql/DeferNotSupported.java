package io.orderly.graphql;

import java.util.List;
import java.util.concurrent.CompletionStage;

import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import graphql.execution.instrumentation.parameters.InstrumentationValidationParameters;
import graphql.introspection.IntrospectionDataFetcher;
import graphql.language.Directive;
import graphql.language.Node;
import graphql.language.NodeTraverser;
import graphql.language.NodeVisitorStub;
import graphql.schema.DataFetcher;
import graphql.schema.GraphQLDirective;
import graphql.util.TraversalControl;
import graphql.util.TraverserContext;
import graphql.validation.ValidationError;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code @defer} out of the API: Spring for GraphQL does not deliver incremental responses
 * over Orderly's transports, so a deferred fragment would arrive in one whole response, which
 * clients that asked for {@code @defer} do not expect. graphql-java puts the directive into every
 * schema; here introspection leaves it out, and a document that uses it is refused as one using an
 * unknown directive would be ({@code GRAPHQL_VALIDATION_FAILED}).
 */
@Component
class DeferNotSupported extends SimplePerformantInstrumentation {

    private static final String DEFER = "defer";

    @Override
    public @Nullable InstrumentationContext<List<ValidationError>> beginValidation(InstrumentationValidationParameters parameters,
            InstrumentationState state) {
        if (parameters.getQuery().contains(DEFER) && usesDefer(parameters.getDocument())) {
            throw new LimitExceeded(ErrorCodes.GRAPHQL_VALIDATION_FAILED,
                    "Unknown directive @defer: this API answers every operation in one response; remove @defer");
        }
        return null;
    }

    @Override
    public DataFetcher<?> instrumentDataFetcher(DataFetcher<?> dataFetcher, InstrumentationFieldFetchParameters parameters,
            InstrumentationState state) {
        // Introspection's fetchers first: asking any field for its name or type makes graphql-java
        // build its whole environment, which it spares the fields of plain properties.
        if (!(dataFetcher instanceof IntrospectionDataFetcher) || !parameters.getField().getName().equals("directives")
                || !parameters.getExecutionStepInfo().getObjectType().getName().equals("__Schema")) {
            return dataFetcher;
        }
        return environment -> {
            Object directives = dataFetcher.get(environment);
            return directives instanceof CompletionStage<?> stage ? stage.thenApply(DeferNotSupported::withoutDefer)
                    : withoutDefer(directives);
        };
    }

    private static Object withoutDefer(Object directives) {
        if (directives instanceof List<?> list) {
            return list.stream().filter(directive -> !(directive instanceof GraphQLDirective known && known.getName().equals(DEFER))).toList();
        }
        return directives;
    }

    private static boolean usesDefer(Node<?> document) {
        boolean[] found = {false};
        new NodeTraverser().depthFirst(new NodeVisitorStub() {
            @Override
            public TraversalControl visitDirective(Directive node, TraverserContext<Node> context) {
                found[0] |= node.getName().equals(DEFER);
                return found[0] ? TraversalControl.QUIT : TraversalControl.CONTINUE;
            }
        }, document);
        return found[0];
    }
}
