package io.orderly.consistency;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import graphql.language.OperationDefinition.Operation;
import graphql.schema.DataFetcher;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.orderly.cdc.readmodel.ReadModelKeys;
import io.orderly.command.MutationPayload;
import io.orderly.identity.Caller;
import io.orderly.runtime.OrderlyProperties;
import io.orderly.runtime.RequestThreads;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Records the consistency token of each authenticated caller's latest write under
 * {@link ReadModelKeys#subjectToken}, for {@code orderly.consistency.own-write-expiry}, so that
 * the caller's later queries and subscriptions, on any process, wait for it without being given the
 * token. It is set once the mutation has committed and before its response is sent.
 *
 * <p>It sits with the consistency machinery rather than with the commands: they never touch Redis,
 * and this marker is only ever written here, never read to decide what a command writes.
 * Concurrent writes by one subject leave the token of whichever is recorded last. A failed write of
 * the marker is logged and the mutation's response goes out regardless: its write has committed,
 * and only the caller's next reads may then miss it (as without a marker).
 */
@Component
class LatestWrites extends SimplePerformantInstrumentation {

    private static final Logger log = LoggerFactory.getLogger(LatestWrites.class);

    private final RedisAsyncCommands<String, String> redis;
    private final Duration expiry;
    private final Duration commandTimeout;

    LatestWrites(StatefulRedisConnection<String, String> readModelConnection, OrderlyProperties properties) {
        this.redis = readModelConnection.async();
        this.expiry = properties.consistency().ownWriteExpiry();
        this.commandTimeout = readModelConnection.getTimeout();
    }

    @Override
    public DataFetcher<?> instrumentDataFetcher(DataFetcher<?> dataFetcher, InstrumentationFieldFetchParameters parameters,
            InstrumentationState state) {
        if (parameters.getExecutionContext().getOperationDefinition().getOperation() != Operation.MUTATION
                || parameters.getExecutionStepInfo().getPath().getLevel() != 1) {
            return dataFetcher;
        }
        return environment -> {
            Object result = dataFetcher.get(environment);
            Caller caller = environment.getGraphQlContext().get(Caller.CONTEXT_KEY);
            if (caller == null || caller.subject() == null) {
                return result;
            }
            String subject = caller.subject();
            if (result instanceof CompletionStage<?> pending) {
                return pending.thenCompose(value -> recorded(subject, value));
            }
            return recorded(subject, result);
        };
    }

    private CompletableFuture<@Nullable Object> recorded(String subject, @Nullable Object result) {
        if (!(result instanceof MutationPayload payload) || payload.consistencyToken() == null) {
            return CompletableFuture.completedFuture(result);
        }
        var recorded = redis.set(ReadModelKeys.subjectToken(subject), payload.consistencyToken(), SetArgs.Builder.px(expiry.toMillis()));
        if (RequestThreads.mayBlock()) {
            // Waiting here lets the mutation's response be written at once, on the request's thread.
            try {
                RequestThreads.await(recorded, commandTimeout);
            }
            catch (RuntimeException e) {
                notRecorded(subject, e);
            }
            return CompletableFuture.completedFuture(result);
        }
        return recorded.toCompletableFuture().handle((ok, error) -> {
            if (error != null) {
                notRecorded(subject, error);
            }
            return result;
        });
    }

    private static void notRecorded(String subject, Throwable error) {
        log.warn("Recording the latest write of {} failed, its next reads may not see it: {}", subject, error.getMessage());
    }
}
