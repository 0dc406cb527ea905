package io.orderly.graphql;

import graphql.ExecutionResult;
import graphql.execution.ExecutionContext;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.language.OperationDefinition.Operation;
import org.jspecify.annotations.Nullable;

/**
 * Refuses an operation whose {@link QueryCost} is over the limit with {@code QUERY_TOO_COMPLEX},
 * after its variables are known and before any field is fetched; charges the caller's rate for
 * that cost ({@link RateLimit#charge}); and a query below it but expensive runs only once
 * {@link ExpensiveQueries} admits it.
 */
final class CostLimit extends SimplePerformantInstrumentation {

    private final long maxCost;
    private final ExpensiveQueries expensive;
    private final RateLimit rate;

    CostLimit(long maxCost, ExpensiveQueries expensive, RateLimit rate) {
        this.maxCost = maxCost;
        this.expensive = expensive;
        this.rate = rate;
    }

    @Override
    public @Nullable InstrumentationContext<ExecutionResult> beginExecuteOperation(InstrumentationExecuteOperationParameters parameters,
            InstrumentationState state) {
        ExecutionContext execution = parameters.getExecutionContext();
        long cost = QueryCost.of(execution.getGraphQLSchema(), execution.getDocument(),
                execution.getExecutionInput().getOperationName(), execution.getCoercedVariables());
        if (cost > maxCost) {
            throw new LimitExceeded(ErrorCodes.QUERY_TOO_COMPLEX, "The query's complexity is " + cost + "; at most " + maxCost
                    + " is allowed (ask for smaller pages or fewer nested fields)");
        }
        rate.charge(execution.getGraphQLContext(), cost);
        if (execution.getOperationDefinition().getOperation() == Operation.QUERY) {
            expensive.admit(execution.getGraphQLContext(), cost);
        }
        return null;
    }
}
