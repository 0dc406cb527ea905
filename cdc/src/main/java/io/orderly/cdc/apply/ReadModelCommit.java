package io.orderly.cdc.apply;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.orderly.cdc.assembly.SourceTransaction;
import io.orderly.cdc.readmodel.FeedEntry;
import io.orderly.cdc.readmodel.ReadModelKeys;
import io.orderly.cdc.readmodel.Watermark;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one MULTI/EXEC in which the applier makes transactions visible: their read-model writes and
 * their bookkeeping (watermark, applied-transaction record, notification), all or nothing. It
 * keeps what the applier's ordinary and {@linkplain StagedTransactions staged} transactions share:
 * the watermark this applier last wrote, which fences off any other projector, and the change
 * feed's last sequence.
 */
final class ReadModelCommit {

    private static final Logger log = LoggerFactory.getLogger(ReadModelCommit.class);

    private final StatefulRedisConnection<String, String> connection;
    private final RedisCommands<String, String> redis;
    private final RedisAsyncCommands<String, String> async;
    private final Clock clock;
    private final boolean announce;
    private volatile Watermark watermark;
    private long feedSequence;

    ReadModelCommit(StatefulRedisConnection<String, String> connection, Clock clock, boolean announce) {
        this.connection = connection;
        this.redis = connection.sync();
        this.async = connection.async();
        this.clock = clock;
        this.announce = announce;
        // Read before any left-over copy is finished: a projector that makes a transaction visible
        // after this read moves the watermark, which this applier's fence then refuses.
        this.watermark = Watermark.fromHash(redis.hgetall(ReadModelKeys.WATERMARK));
    }

    /** The watermark this applier read or last wrote. */
    Watermark watermark() {
        return watermark;
    }

    /**
     * Reads the change feed's last sequence, from which this applier numbers the entries it
     * appends, and names the feed's epoch if it has none yet.
     */
    void openFeed() {
        this.feedSequence = redis.xrevrange(ReadModelKeys.FEED, Range.create("-", "+"), Limit.create(0, 1)).stream()
                .map(message -> FeedEntry.sequenceOf(message.getId()))
                .findFirst()
                .orElse(0L);
        // Written only when missing: Redis at its maxmemory refuses even a SETNX that would change nothing.
        if (redis.exists(ReadModelKeys.FEED_EPOCH) == 0) {
            redis.setnx(ReadModelKeys.FEED_EPOCH, UUID.randomUUID().toString().substring(0, 8));
        }
    }

    /** The sequence of the last change-feed entry, as read by {@link #openFeed} and counted on by {@link #appended}. */
    long feedSequence() {
        return feedSequence;
    }

    /**
     * Counts the entries this applier appended to the change feed; each commit that appends some
     * calls it once {@link #run} has returned, or the next ones are numbered wrong.
     */
    void appended(long entries) {
        feedSequence += entries;
    }

    /**
     * Queues WATCH of the watermark and its read, without waiting: other reads may follow in the
     * same round trip before {@link #fence} checks the answer.
     */
    RedisFuture<Map<String, String>> watchWatermark() {
        async.watch(ReadModelKeys.WATERMARK);
        return async.hgetall(ReadModelKeys.WATERMARK);
    }

    /** Fails when the watermark in Redis, read by {@link #watchWatermark}, is not the one this projector last wrote. */
    void fence(RedisFuture<Map<String, String>> storedWatermark) {
        Watermark stored = Watermark.fromHash(
                LettuceFutures.awaitOrCancel(storedWatermark, connection.getTimeout().toNanos(), TimeUnit.NANOSECONDS));
        if (stored.position() != watermark.position()) {
            redis.unwatch();
            throw new ProjectorFencedException(watermark, stored);
        }
    }

    /**
     * Runs, in one MULTI/EXEC sent in one burst, the read-model writes {@code queueWrites} queues
     * and the bookkeeping of {@code fresh}: the watermark (that of the last of them), the
     * applied-transaction record and the notification. Returns once EXEC succeeded, waiting for it
     * as long as the connection's timeout; only then is the new watermark kept.
     */
    void run(List<SourceTransaction> fresh, Runnable queueWrites) {
        @Nullable Watermark next = nextWatermark(fresh.get(fresh.size() - 1));
        TransactionResult result;
        List<RedisFuture<?>> bookkeeping = new ArrayList<>();
        Duration timeout = connection.getTimeout();
        try {
            // One burst: MULTI, the writes and EXEC are sent without waiting for each reply.
            async.multi();
            queueWrites.run();
            if (next != null) {
                bookkeeping.add(async.hset(ReadModelKeys.WATERMARK, next.toHash()));
            }
            List<SourceTransaction> streamed = fresh.stream().filter(transaction -> !transaction.snapshot()).toList();
            for (SourceTransaction transaction : streamed) {
                bookkeeping.add(async.zadd(ReadModelKeys.APPLIED_TRANSACTIONS, transaction.position(), Long.toString(transaction.txId())));
            }
            if (!streamed.isEmpty()) {
                async.zremrangebyrank(ReadModelKeys.APPLIED_TRANSACTIONS, 0, -(ReadModelKeys.APPLIED_TRANSACTIONS_KEPT + 1));
            }
            if (announce) {
                for (SourceTransaction transaction : streamed) {
                    async.publish(ReadModelKeys.APPLIED_CHANNEL, transaction.position() + " " + transaction.txId());
                }
            }
            result = LettuceFutures.awaitOrCancel(async.exec(), timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        catch (RedisCommandExecutionException e) {
            discardQuietly();
            throw refused(fresh, e, bookkeeping);
        }
        catch (RuntimeException e) {
            discardQuietly();
            throw e;
        }
        if (result.wasDiscarded()) {
            throw new ProjectorFencedException(watermark, Watermark.fromHash(redis.hgetall(ReadModelKeys.WATERMARK)));
        }
        for (Object reply : result) {
            if (reply instanceof Exception refused) {
                // Redis ran the rest of the transaction: the read models need a look, or a rebuild.
                throw new IllegalStateException("Redis refused a command while applying transactions " + fresh.get(0).txId()
                        + " to " + fresh.get(fresh.size() - 1).txId() + ": " + refused.getMessage(), refused);
            }
        }
        if (next != null) {
            watermark = next;
        }
    }

    private @Nullable Watermark nextWatermark(SourceTransaction transaction) {
        if (transaction.position() < watermark.position()) {
            // Never move the watermark backwards (a snapshot older than what was already applied).
            return null;
        }
        if (transaction.snapshot() && !transaction.completesSnapshot()) {
            // Until the snapshot is complete the read models are not a consistent picture of any
            // commit; without a watermark a restart starts the snapshot over.
            return null;
        }
        return new Watermark(transaction.position(), transaction.txId(), transaction.committedAt(), clock.instant());
    }

    /**
     * The error for a MULTI/EXEC that Redis refused as a whole, naming the reason: EXEC answers
     * only EXECABORT when Redis refused to queue a command (out of memory under {@code noeviction},
     * say), and the command's own reply says why. Nothing of the transactions was written.
     */
    private static IllegalStateException refused(List<SourceTransaction> fresh, RedisCommandExecutionException exec,
            List<RedisFuture<?>> queued) {
        String reason = exec.getMessage();
        for (RedisFuture<?> reply : queued) {
            if (reply.isDone() && reply.getError() != null && !reply.getError().startsWith("EXECABORT")) {
                reason = reply.getError();
                break;
            }
        }
        return new IllegalStateException("Redis refused to apply transactions " + fresh.get(0).txId() + " to "
                + fresh.get(fresh.size() - 1).txId() + " and wrote none of them: " + reason, exec);
    }

    private void discardQuietly() {
        try {
            redis.discard();
        }
        catch (RuntimeException e) {
            log.debug("DISCARD after a failed transaction failed too: {}", e.getMessage());
        }
    }
}
