package io.orderly.feed;

import java.util.concurrent.CompletableFuture;

import graphql.ExecutionResult;
import graphql.execution.ExecutionContext;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionParameters;
import graphql.language.OperationDefinition.Operation;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Gives every query response {@code extensions.feedCursor}: a {@code changes(after:)} cursor taken
 * before any of the query's data is read. Subscribing with it misses no change the data does not
 * reflect, since the projector appends a change to the feed in the same atomic step as it changes
 * the documents, or, for a staged transaction, once its documents are in place; a change the data
 * already reflects may come again.
 *
 * <p>The cursor is the last feed entry this process has read ({@link FeedReader#lastRead()}), taken
 * when the operation starts executing, after any consistency wait: it costs the query no Redis
 * command, and it can only be behind what Redis holds, never ahead of the data.
 */
@Component
class FeedCursorExtension extends SimplePerformantInstrumentation {

    static final String EXTENSION = "feedCursor";

    private static final String CURSOR = FeedCursorExtension.class.getName() + ".cursor";

    private final FeedReader feed;

    FeedCursorExtension(FeedReader feed) {
        this.feed = feed;
    }

    @Override
    public @Nullable InstrumentationContext<ExecutionResult> beginExecuteOperation(InstrumentationExecuteOperationParameters parameters,
            InstrumentationState state) {
        ExecutionContext execution = parameters.getExecutionContext();
        if (execution.getOperationDefinition().getOperation() == Operation.QUERY) {
            execution.getGraphQLContext().put(CURSOR, feed.lastRead());
        }
        return null;
    }

    @Override
    public CompletableFuture<ExecutionResult> instrumentExecutionResult(ExecutionResult result, InstrumentationExecutionParameters parameters,
            InstrumentationState state) {
        FeedCursor cursor = parameters.getGraphQLContext().get(CURSOR);
        return CompletableFuture.completedFuture(cursor == null ? result
                : result.transform(response -> response.addExtension(EXTENSION, cursor.encode())));
    }
}
