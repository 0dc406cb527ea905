package io.orderly.graphql;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import graphql.GraphQLContext;
import graphql.language.OperationDefinition.Operation;
import graphql.parser.InvalidSyntaxException;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.orderly.identity.Caller;
import io.orderly.runtime.OrderlyProperties;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.http.HttpHeaders;
import reactor.core.publisher.Mono;

/**
 * The rate limit per caller ({@code orderly.limits.rate.*}): a Bucket4j token bucket per subject,
 * or per remote address for anonymous callers, taken from for every operation, over HTTP and
 * graphql-ws alike, once a persisted query is resolved to its text. A caller whose bucket is empty
 * is refused with {@code RATE_LIMITED} and how many seconds to wait ({@code Retry-After} over HTTP,
 * answered with 429), before its document is looked at again. Once the operation's cost is known,
 * {@link #charge} takes one more token per {@code cost-per-token} of it, so that a caller pushing
 * heavy queries is slowed down in proportion to the work it asks for. Buckets live in this process
 * only: each query process limits what reaches it.
 */
final class RateLimit implements WebGraphQlInterceptor {

    /** Where the GraphQL context holds the caller's bucket, for {@link #charge}; absent for exempt callers. */
    private static final String BUCKET = RateLimit.class.getName() + ".bucket";

    private final OrderlyProperties.Limits.Rate rate;
    private final Cache<String, Bucket> buckets;

    RateLimit(OrderlyProperties.Limits.Rate rate) {
        this.rate = rate;
        // An idle bucket is full again after this long, so forgetting it then changes nothing.
        Duration refilled = Duration.ofMillis(-Math.floorDiv(-rate.burst() * 1000L, rate.requestsPerSecond()));
        this.buckets = Caffeine.newBuilder().maximumSize(rate.maxCallers()).expireAfterAccess(refilled).build();
    }

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        Caller caller = Caller.of(request);
        if (rate.exemptStaff() && caller.isStaff()) {
            return chain.next(request);
        }
        Bucket bucket = buckets.get(caller.limitKey(request.getRemoteAddress()), key -> newBucket());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(weight(request));
        if (probe.isConsumed()) {
            request.configureExecutionInput((input, builder) -> builder.graphQLContext(Map.of(BUCKET, bucket)).build());
            return chain.next(request).map(RateLimit::withRetryAfter);
        }
        long seconds = secondsToWait(probe);
        WebGraphQlResponse refused = Requests.refusedOperation(request, ErrorCodes.RATE_LIMITED.error("Too many requests: at most "
                + rate.requestsPerSecond() + " per second (" + rate.burst() + " at once) are accepted from one caller, a mutation counting "
                + rate.mutationWeight() + "; try again in " + seconds + " s", null, Map.of("retryAfterSeconds", seconds)));
        refused.getResponseHeaders().set(HttpHeaders.RETRY_AFTER, String.valueOf(seconds));
        return Mono.just(refused);
    }

    /**
     * Takes one more token from the caller's bucket per {@code cost-per-token} of the operation's
     * cost (never more than a full bucket less one), or refuses the operation with {@code RATE_LIMITED}
     * before any field is fetched.
     */
    void charge(GraphQLContext context, long cost) {
        Bucket bucket = context.get(BUCKET);
        long tokens = Math.min(cost / rate.costPerToken(), rate.burst() - 1L);
        if (bucket == null || tokens <= 0) {
            return;
        }
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(tokens);
        if (!probe.isConsumed()) {
            long seconds = secondsToWait(probe);
            throw new LimitExceeded(ErrorCodes.RATE_LIMITED, "Too much work asked for: this query's cost of " + cost
                    + " takes " + tokens + " more requests' worth of this caller's rate (" + rate.requestsPerSecond()
                    + " per second); try again in " + seconds + " s, or ask for less", Map.of("retryAfterSeconds", seconds));
        }
    }

    private static long secondsToWait(ConsumptionProbe probe) {
        return Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + TimeUnit.SECONDS.toNanos(1) - 1));
    }

    /** A refusal by {@link #charge} happens inside execution; the header comes with its response. */
    private static WebGraphQlResponse withRetryAfter(WebGraphQlResponse response) {
        response.getErrors().stream()
                .filter(error -> ErrorCodes.RATE_LIMITED.name().equals(error.getExtensions().get("code")))
                .map(error -> error.getExtensions().get("retryAfterSeconds"))
                .findFirst()
                .ifPresent(seconds -> response.getResponseHeaders().set(HttpHeaders.RETRY_AFTER, String.valueOf(seconds)));
        return response;
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(rate.burst()).refillGreedy(rate.requestsPerSecond(), Duration.ofSeconds(1)))
                .build();
    }

    /** A mutation weighs more, though never more than a full bucket, so that it can always run after a pause. */
    private long weight(WebGraphQlRequest request) {
        try {
            boolean mutation = Requests.operation(request).map(operation -> operation.getOperation() == Operation.MUTATION).orElse(false);
            return mutation ? Math.min(rate.mutationWeight(), rate.burst()) : 1;
        }
        catch (InvalidSyntaxException e) {
            return 1; // graphql-java reports the syntax error itself
        }
    }
}
