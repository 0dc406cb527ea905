package io.orderly.feed;

import java.util.concurrent.CompletableFuture;

import graphql.ExecutionResult;
import graphql.execution.ExecutionContext;
import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionParameters;
import graphql.language.OperationDefinition.Operation;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Gives every query response {@code extensions.feedCursor}: a {@code changes(after:)} cursor at
 * the end of the feed, read before any of the query's data. Subscribing with it misses no change
 * the data does not reflect, since the projector appends a change to the feed in the same atomic
 * step as it changes the documents; a change the data already reflects may come again.
 *
 * <p>The cursor is requested when the operation starts executing, after any consistency wait, and
 * its two Redis commands go out ahead of the first field's reads on the same connection, so the
 * query does not wait for it: only the response does.
 */
@Component
class FeedCursorExtension implements Instrumentation {

    static final String EXTENSION = "feedCursor";

    private static final Logger log = LoggerFactory.getLogger(FeedCursorExtension.class);
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
            execution.getGraphQLContext().put(CURSOR, feed.end());
        }
        return null;
    }

    @Override
    public CompletableFuture<ExecutionResult> instrumentExecutionResult(ExecutionResult result, InstrumentationExecutionParameters parameters,
            InstrumentationState state) {
        CompletableFuture<FeedCursor> cursor = parameters.getGraphQLContext().get(CURSOR);
        if (cursor == null) {
            return CompletableFuture.completedFuture(result);
        }
        return cursor.handle((taken, error) -> {
            if (error != null) {
                // The query's own reads went through the same connection and will have failed as well.
                log.debug("Reading the end of the change feed failed: {}", error.getMessage());
                return result;
            }
            return result.transform(response -> response.addExtension(EXTENSION, taken.encode()));
        });
    }
}
