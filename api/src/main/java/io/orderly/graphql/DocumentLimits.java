package io.orderly.graphql;

import java.util.List;

import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimpleInstrumentationContext;
import graphql.execution.instrumentation.parameters.InstrumentationValidationParameters;
import graphql.validation.ValidationError;
import io.orderly.runtime.OrderlyProperties.Limits;

/**
 * Refuses documents whose shape asks for too much ({@link DocumentWalk}) once they are parsed and
 * before graphql-java validates them: validation recurses along fragment spreads, and a chain of
 * 1,500 of them overflowed its stack. {@link DocumentCache} keeps only documents that passed, so
 * each distinct document is walked once.
 */
final class DocumentLimits implements Instrumentation {

    private final Limits limits;

    DocumentLimits(Limits limits) {
        this.limits = limits;
    }

    @Override
    public InstrumentationContext<List<ValidationError>> beginValidation(InstrumentationValidationParameters parameters,
            InstrumentationState state) {
        DocumentWalk.check(parameters.getDocument(), limits);
        return SimpleInstrumentationContext.noOp();
    }
}
