package io.orderly.graphql;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import graphql.GraphQLContext;
import io.orderly.runtime.OrderlyProperties;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.http.HttpHeaders;
import reactor.core.publisher.Mono;

/**
 * Bounded concurrency for expensive queries ({@code orderly.limits.expensive.*}): a query whose
 * {@link QueryCost} is above the threshold runs only while one of a few permits is free, waited for
 * briefly, and is otherwise refused with {@code SERVER_BUSY} (HTTP 503, {@code Retry-After: 1}). So
 * however many heavy queries arrive, they hold at most that many request threads and Redis
 * round trips at once, and cheap queries keep the rest.
 *
 * <p>{@link CostLimit}, which knows the cost once the variables are coerced, takes the permit; this
 * interceptor gives it back when the response is done, whichever way execution ended.
 */
final class ExpensiveQueries implements WebGraphQlInterceptor {

    private static final String HELD = ExpensiveQueries.class.getName() + ".held";

    private final long threshold;
    private final Duration wait;
    private final Semaphore permits;

    ExpensiveQueries(OrderlyProperties.Limits.Expensive limits) {
        this.threshold = limits.cost();
        this.wait = limits.maxWait();
        this.permits = new Semaphore(limits.concurrency());
    }

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        Permit permit = new Permit();
        request.configureExecutionInput((input, builder) -> builder.graphQLContext(Map.of(HELD, permit)).build());
        return chain.next(request)
                .doOnNext(response -> {
                    if (permit.refused) {
                        response.getResponseHeaders().set(HttpHeaders.RETRY_AFTER, "1");
                    }
                })
                .doFinally(signal -> permit.release());
    }

    /**
     * Takes a permit for a query of this cost if it is expensive, or refuses it.
     *
     * @throws LimitExceeded with {@code SERVER_BUSY} when no permit came free in time
     */
    void admit(GraphQLContext context, long cost) {
        Permit permit = context.get(HELD);
        if (cost <= threshold || permit == null) {
            return;
        }
        boolean acquired;
        try {
            acquired = permits.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            permit.refused = true;
            throw new LimitExceeded(ErrorCodes.SERVER_BUSY, "The server is busy with other expensive queries (a cost of " + cost
                    + ", above " + threshold + "); try again in a second, or ask for less");
        }
        permit.held.set(true);
        if (permit.done) {
            permit.release(); // the response ended (cancelled by its deadline) while this waited
        }
    }

    /** The permits themselves, for tests that take them to see what is refused. */
    Semaphore permits() {
        return permits;
    }

    private final class Permit {

        final AtomicBoolean held = new AtomicBoolean();
        volatile boolean refused;
        volatile boolean done;

        /** Once the response is done; a permit taken after that is given back at once. */
        void release() {
            done = true;
            if (held.compareAndSet(true, false)) {
                permits.release();
            }
        }
    }
}
