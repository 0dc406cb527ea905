package io.orderly.graphql;

import java.util.List;

import graphql.ExecutionInput;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionParameters;
import graphql.execution.instrumentation.parameters.InstrumentationValidationParameters;
import graphql.parser.ParserOptions;
import graphql.validation.ValidationError;
import io.orderly.runtime.OrderlyProperties.Limits;
import org.jspecify.annotations.Nullable;

/**
 * Bounds the tokens graphql-java's parser reads, then refuses documents whose shape asks for too
 * much ({@link DocumentWalk}) before graphql-java validates them: validation recurses along
 * fragment spreads, and a chain of 1,500 of them overflowed its stack. {@link DocumentCache} keeps
 * only documents that passed, so each distinct document is walked once.
 */
final class DocumentLimits extends SimplePerformantInstrumentation {

    private final Limits limits;
    private final ParserOptions parserOptions;

    DocumentLimits(Limits limits) {
        this.limits = limits;
        this.parserOptions = ParserOptions.getDefaultOperationParserOptions()
                .transform(options -> options.maxTokens(limits.maxTokens()));
    }

    /** graphql-java's parser takes its options for one request from the request's context. */
    @Override
    public ExecutionInput instrumentExecutionInput(ExecutionInput input, InstrumentationExecutionParameters parameters,
            InstrumentationState state) {
        input.getGraphQLContext().put(ParserOptions.class, parserOptions);
        return input;
    }

    @Override
    public @Nullable InstrumentationContext<List<ValidationError>> beginValidation(InstrumentationValidationParameters parameters,
            InstrumentationState state) {
        DocumentWalk.check(parameters.getDocument(), limits);
        return null;
    }
}
