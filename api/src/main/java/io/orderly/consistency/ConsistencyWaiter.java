package io.orderly.consistency;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.orderly.cdc.readmodel.ConsistencyToken;
import io.orderly.cdc.readmodel.ReadModelKeys;
import io.orderly.cdc.readmodel.Watermark;
import io.orderly.command.MutationPayload;
import io.orderly.runtime.OrderlyProperties;
import io.orderly.runtime.RequestThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Waits, bounded, until the read models contain the write named by a consistency token.
 *
 * <p>Each wait first asks Redis whether the token is already covered, then completes when the
 * projector announces a covering transaction on {@link ReadModelKeys#APPLIED_CHANNEL}. A slow
 * re-check of all pending waits covers announcements missed while the subscription reconnects.
 * Nothing here queries PostgreSQL.
 */
@Component
public class ConsistencyWaiter implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ConsistencyWaiter.class);
    private static final long RECHECK_MILLIS = 100;

    private final RedisAsyncCommands<String, String> redis;
    private final StatefulRedisPubSubConnection<String, String> announcements;
    private final Duration timeout;
    private final Duration commandTimeout;
    private final Set<Pending> pending = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService recheck = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "orderly-consistency-recheck");
        thread.setDaemon(true);
        return thread;
    });

    ConsistencyWaiter(RedisClient queryRedisClient, StatefulRedisConnection<String, String> queryConnection,
            OrderlyProperties properties) {
        this.redis = queryConnection.async();
        this.timeout = properties.consistency().timeout();
        this.commandTimeout = queryConnection.getTimeout();
        this.announcements = queryRedisClient.connectPubSub();
        this.announcements.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                announced(message);
            }
        });
        this.announcements.sync().subscribe(ReadModelKeys.APPLIED_CHANNEL);
        recheck.scheduleWithFixedDelay(this::recheckPending, RECHECK_MILLIS, RECHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Completes when the token's write is in the read models; fails with {@link ConsistencyTimeoutException}. */
    public Mono<Void> await(ConsistencyToken token) {
        return Mono.defer(() -> {
            Pending wait = new Pending(token, new CompletableFuture<>());
            pending.add(wait);
            check(wait);
            return Mono.fromFuture(wait.done().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                            .whenComplete((ignored, error) -> pending.remove(wait)))
                    .onErrorMap(TimeoutException.class, e -> new ConsistencyTimeoutException(token, timeout));
        });
    }

    /**
     * What a mutation wrote, read once the read models contain it: empty when the command was
     * refused, a {@link ConsistencyTimeoutException} when the projector does not catch up in time.
     */
    public <T> Mono<T> readAfter(MutationPayload payload, Function<String, Mono<T>> read) {
        String id = payload.id();
        String token = payload.consistencyToken();
        if (id == null || token == null) {
            return Mono.empty();
        }
        return await(ConsistencyToken.parse(token)).then(Mono.defer(() -> read.apply(id)));
    }

    /**
     * Whether the token's write is in the read models now. Waits for Redis's answer, one round trip,
     * so only on a thread that {@linkplain RequestThreads#mayBlock() may block}.
     */
    public boolean coveredNow(ConsistencyToken token) {
        var watermark = redis.hgetall(ReadModelKeys.WATERMARK);
        var applied = redis.zscore(ReadModelKeys.APPLIED_TRANSACTIONS, Long.toString(token.txId()));
        return RequestThreads.await(applied, commandTimeout) != null
                || token.isCoveredBy(Watermark.fromHash(RequestThreads.await(watermark, commandTimeout)));
    }

    private void announced(String message) {
        int space = message.indexOf(' ');
        long position = Long.parseLong(message.substring(0, space));
        long txId = Long.parseLong(message.substring(space + 1));
        for (Pending wait : pending) {
            if (wait.token().txId() == txId || wait.token().position() <= position) {
                wait.done().complete(null);
            }
        }
    }

    private void check(Pending wait) {
        var watermark = redis.hgetall(ReadModelKeys.WATERMARK);
        var applied = redis.zscore(ReadModelKeys.APPLIED_TRANSACTIONS, Long.toString(wait.token().txId()));
        watermark.thenCombine(applied, (hash, score) -> score != null || wait.token().isCoveredBy(Watermark.fromHash(hash)))
                .whenComplete((covered, error) -> {
                    if (error != null) {
                        log.debug("Consistency check for {} failed: {}", wait.token(), error.getMessage());
                    }
                    else if (covered) {
                        wait.done().complete(null);
                    }
                });
    }

    private void recheckPending() {
        try {
            pending.forEach(this::check);
        }
        catch (RuntimeException e) {
            log.debug("Re-checking pending consistency waits failed: {}", e.getMessage());
        }
    }

    @Override
    public void destroy() {
        recheck.shutdownNow();
        announcements.close();
    }

    private record Pending(ConsistencyToken token, CompletableFuture<Void> done) {
    }
}
