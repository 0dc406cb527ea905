package io.orderly.graphql;

import java.util.concurrent.CompletableFuture;

import graphql.ExecutionResult;
import graphql.execution.ExecutionContext;
import graphql.execution.ResultNodesInfo;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionParameters;
import graphql.language.OperationDefinition.Operation;
import org.jspecify.annotations.Nullable;

/**
 * Bounds how large a response may grow, by graphql-java's own count of result nodes (every field
 * value and list element): past the limit it fills no further node, and the client then gets only
 * {@code RESPONSE_TOO_LARGE} instead of a result with silent holes. The cost limit weighs what an
 * operation may produce before it runs, on estimates; this bounds what it did produce. Not applied
 * to subscriptions, whose events are each bounded by the cost limit.
 */
final class ResponseSizeLimit extends SimplePerformantInstrumentation {

    private final int maxResultNodes;

    ResponseSizeLimit(int maxResultNodes) {
        this.maxResultNodes = maxResultNodes;
    }

    @Override
    public @Nullable InstrumentationContext<ExecutionResult> beginExecuteOperation(InstrumentationExecuteOperationParameters parameters,
            InstrumentationState state) {
        ExecutionContext execution = parameters.getExecutionContext();
        if (execution.getOperationDefinition().getOperation() != Operation.SUBSCRIPTION) {
            execution.getGraphQLContext().put(ResultNodesInfo.MAX_RESULT_NODES, maxResultNodes);
        }
        return null;
    }

    @Override
    public CompletableFuture<ExecutionResult> instrumentExecutionResult(ExecutionResult result,
            InstrumentationExecutionParameters parameters, InstrumentationState state) {
        ResultNodesInfo nodes = parameters.getGraphQLContext().get(ResultNodesInfo.RESULT_NODES_INFO);
        if (nodes == null || !nodes.isMaxResultNodesExceeded()) {
            return CompletableFuture.completedFuture(result);
        }
        return CompletableFuture.completedFuture(ExecutionResult.newExecutionResult()
                .data(null)
                .addError(ErrorCodes.RESPONSE_TOO_LARGE.error("The response has more than " + maxResultNodes
                        + " values; ask for smaller pages or fewer fields", null))
                .extensions(result.getExtensions())
                .build());
    }
}
