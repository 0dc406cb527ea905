package io.orderly.graphql;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
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
 * answered with 429), before its document is looked at again. Buckets live in this process only:
 * each query process limits what reaches it.
 */
final class RateLimit implements WebGraphQlInterceptor {

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
        ConsumptionProbe probe = buckets.get(caller.limitKey(request.getRemoteAddress()), key -> newBucket())
                .tryConsumeAndReturnRemaining(weight(request));
        if (probe.isConsumed()) {
            return chain.next(request);
        }
        long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + TimeUnit.SECONDS.toNanos(1) - 1));
        WebGraphQlResponse refused = Requests.refusedOperation(request, ErrorCodes.RATE_LIMITED.error("Too many requests: at most "
                + rate.requestsPerSecond() + " per second (" + rate.burst() + " at once) are accepted from one caller, a mutation counting "
                + rate.mutationWeight() + "; try again in " + seconds + " s", null, Map.of("retryAfterSeconds", seconds)));
        refused.getResponseHeaders().set(HttpHeaders.RETRY_AFTER, String.valueOf(seconds));
        return Mono.just(refused);
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
