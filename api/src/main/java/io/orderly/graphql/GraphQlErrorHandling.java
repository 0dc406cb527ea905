package io.orderly.graphql;

import graphql.GraphQLError;
import graphql.schema.DataFetchingEnvironment;
import io.orderly.consistency.ConsistencyTimeoutException;
import io.orderly.feed.ResyncRequiredException;
import io.orderly.feed.SlowSubscriberException;
import io.orderly.identity.AccessRefusedException;
import org.springframework.graphql.data.method.annotation.GraphQlExceptionHandler;
import org.springframework.web.bind.annotation.ControllerAdvice;

/** The one place that turns exceptions from resolvers into GraphQL errors with an {@code extensions.code}. */
@ControllerAdvice
class GraphQlErrorHandling {

    @GraphQlExceptionHandler
    GraphQLError invalidRequest(InvalidRequestException e, DataFetchingEnvironment environment) {
        return ErrorCodes.BAD_USER_INPUT.error(e.getMessage(), environment);
    }

    @GraphQlExceptionHandler
    GraphQLError accessRefused(AccessRefusedException e, DataFetchingEnvironment environment) {
        return (e.isAuthenticated() ? ErrorCodes.FORBIDDEN : ErrorCodes.UNAUTHENTICATED).error(e.getMessage(), environment);
    }

    @GraphQlExceptionHandler
    GraphQLError resyncRequired(ResyncRequiredException e) {
        return ErrorCodes.RESYNC_REQUIRED.error(e.getMessage(), null);
    }

    @GraphQlExceptionHandler
    GraphQLError slowSubscriber(SlowSubscriberException e) {
        return ErrorCodes.SUBSCRIBER_TOO_SLOW.error(e.getMessage(), null);
    }

    @GraphQlExceptionHandler
    GraphQLError consistencyTimeout(ConsistencyTimeoutException e, DataFetchingEnvironment environment) {
        return ErrorCodes.CONSISTENCY_TIMEOUT.error(e.getMessage(), environment);
    }
}
