package io.orderly.graphql;

import java.time.Duration;
import java.util.function.LongSupplier;

import graphql.execution.instrumentation.FieldFetchingInstrumentationContext;
import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.parameters.InstrumentationCreateStateParameters;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import graphql.language.OperationDefinition.Operation;
import org.jspecify.annotations.Nullable;

/**
 * Cuts a query short once it has run for longer than the request timeout: no further field is
 * fetched, and the client gets {@code REQUEST_TIMEOUT} instead of a late answer, so the work a
 * heavy query holds is let go of rather than finished for a client that gave up. Mutations are left
 * to finish (bounded by the mutation limit): cut midway, a write that was made would read as
 * failed. Subscriptions live as long as their client wants.
 */
final class RequestDeadline implements Instrumentation {

    private final long timeoutNanos;
    private final LongSupplier nanoTime;

    RequestDeadline(Duration timeout, LongSupplier nanoTime) {
        this.timeoutNanos = timeout.toNanos();
        this.nanoTime = nanoTime;
    }

    @Override
    public InstrumentationState createState(InstrumentationCreateStateParameters parameters) {
        return new Deadline(QueryCost.saturatedAdd(nanoTime.getAsLong(), timeoutNanos));
    }

    @Override
    public @Nullable FieldFetchingInstrumentationContext beginFieldFetching(InstrumentationFieldFetchParameters parameters,
            InstrumentationState state) {
        if (state instanceof Deadline deadline && nanoTime.getAsLong() - deadline.atNanos() > 0
                && parameters.getExecutionContext().getOperationDefinition().getOperation() == Operation.QUERY) {
            throw new LimitExceeded(ErrorCodes.REQUEST_TIMEOUT, "The query ran for longer than "
                    + Duration.ofNanos(timeoutNanos).toMillis() + " ms and was stopped (ask for less, or in several requests)");
        }
        return null;
    }

    private record Deadline(long atNanos) implements InstrumentationState {
    }
}
