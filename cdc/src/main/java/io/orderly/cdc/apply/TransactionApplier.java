package io.orderly.cdc.apply;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.orderly.cdc.assembly.RowChange;
import io.orderly.cdc.assembly.SourceTransaction;
import io.orderly.cdc.readmodel.ConsistencyToken;
import io.orderly.cdc.readmodel.FeedEntry;
import io.orderly.cdc.readmodel.Lsn;
import io.orderly.cdc.readmodel.ReadModelKeys;
import io.orderly.cdc.readmodel.Watermark;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies source transactions to the read models, each in one MULTI/EXEC together with the
 * watermark, the applied-transaction record, the change-feed entries and the notification. Transactions at or below the
 * watermark were applied before and are skipped, so replaying the stream changes nothing.
 *
 * <p>An applier that builds a new generation of the read models beside the served one does not
 * {@code announce}: it appends nothing to the change feed and publishes nothing, as the served
 * generation's applier does that for the same transactions.
 *
 * <p>Not thread-safe: the projector applies from one thread, on a connection of its own.
 */
public final class TransactionApplier {

    private static final Logger log = LoggerFactory.getLogger(TransactionApplier.class);

    private final RedisCommands<String, String> redis;
    private final RedisAsyncCommands<String, String> async;
    private final Duration timeout;
    private final Map<String, List<Projection>> projectionsByTable;
    private final Clock clock;
    private final long feedRetention;
    private final boolean announce;
    private volatile Watermark watermark;
    private long feedSequence;

    /**
     * @param feedRetention about how many entries the change feed keeps (trimmed approximately,
     * in whole blocks, which is far cheaper than exact trimming)
     * @param announce whether to append to the change feed and announce each transaction
     */
    public TransactionApplier(StatefulRedisConnection<String, String> connection, List<Projection> projections, Clock clock,
            long feedRetention, boolean announce) {
        this.redis = connection.sync();
        this.timeout = connection.getTimeout();
        this.async = connection.async();
        this.projectionsByTable = projections.stream()
                .flatMap(projection -> projection.tables().stream().map(table -> Map.entry(table, projection)))
                .collect(Collectors.groupingBy(Map.Entry::getKey,
                        Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
        this.clock = clock;
        this.feedRetention = feedRetention;
        this.announce = announce;
        this.watermark = Watermark.fromHash(redis.hgetall(ReadModelKeys.WATERMARK));
        if (announce) {
            this.feedSequence = redis.xrevrange(ReadModelKeys.FEED, Range.create("-", "+"), Limit.create(0, 1)).stream()
                    .map(message -> FeedEntry.sequenceOf(message.getId()))
                    .findFirst()
                    .orElse(0L);
            redis.setnx(ReadModelKeys.FEED_EPOCH, UUID.randomUUID().toString().substring(0, 8));
        }
    }

    public Watermark watermark() {
        return watermark;
    }

    /**
     * Applies the transaction unless the read models already contain it.
     *
     * @return whether anything was written
     * @throws ProjectorFencedException when another projector moved the watermark meanwhile
     */
    public boolean apply(SourceTransaction transaction) {
        return !applyAll(List.of(transaction)).isEmpty();
    }

    /**
     * Applies consecutive transactions, in commit order, in one MULTI/EXEC: each sees the writes of
     * those before it, and readers see all of them at once, never part of one. Transactions the
     * read models already contain are skipped. Grouping is what lets the projector catch up: the
     * fence, MULTI and EXEC are paid once per group rather than once per transaction.
     *
     * @return the transactions written
     * @throws ProjectorFencedException when another projector moved the watermark meanwhile
     */
    public List<SourceTransaction> applyAll(List<SourceTransaction> transactions) {
        List<SourceTransaction> fresh = transactions.stream()
                .filter(transaction -> transaction.snapshot() || transaction.position() > watermark.position())
                .toList();
        if (fresh.size() < transactions.size()) {
            log.debug("Skipping {} transactions already applied (watermark {})", transactions.size() - fresh.size(),
                    watermark.position());
        }
        if (fresh.isEmpty()) {
            return List.of();
        }
        // One round trip: the fence (WATCH, then the watermark) and the documents the group reads.
        async.watch(ReadModelKeys.WATERMARK);
        RedisFuture<Map<String, String>> storedWatermark = async.hgetall(ReadModelKeys.WATERMARK);
        StoredDocuments documents = new StoredDocuments(redis, async, timeout);
        documents.fetch(fresh.stream()
                .flatMap(transaction -> transaction.changes().stream())
                .flatMap(change -> projectionsByTable.getOrDefault(change.table(), List.of()).stream()
                        .flatMap(projection -> projection.documentsRead(change).stream()))
                .toList());
        Watermark stored = Watermark.fromHash(await(storedWatermark));
        if (stored.position() != watermark.position()) {
            redis.unwatch();
            throw new ProjectorFencedException(watermark, stored);
        }
        List<ReadModelBatch> batches = new ArrayList<>();
        List<FeedEntry> feed = new ArrayList<>();
        try {
            ReadModelBatch previous = null;
            for (SourceTransaction transaction : fresh) {
                ReadModelBatch batch = new ReadModelBatch(redis, documents, transaction.position(), transaction.snapshot(), previous);
                project(transaction, batch);
                if (announce && !transaction.snapshot()) {
                    feed.addAll(batch.feedEntries(feedSequence + feed.size() + 1, transaction.committedAt(),
                            new ConsistencyToken(transaction.position(), transaction.txId()).toString()));
                }
                batches.add(batch);
                previous = batch;
            }
        }
        catch (RuntimeException e) {
            redis.unwatch();
            throw e;
        }
        Watermark next = nextWatermark(fresh.get(fresh.size() - 1));
        TransactionResult result;
        try {
            // One burst: MULTI, the writes and EXEC are sent without waiting for each reply.
            async.multi();
            batches.forEach(batch -> batch.queueInto(async));
            for (FeedEntry entry : feed) {
                async.xadd(ReadModelKeys.FEED, new XAddArgs().id(entry.streamId()).maxlen(feedRetention).approximateTrimming(),
                        entry.toFields());
            }
            if (next != null) {
                async.hset(ReadModelKeys.WATERMARK, next.toHash());
            }
            List<SourceTransaction> streamed = fresh.stream().filter(transaction -> !transaction.snapshot()).toList();
            for (SourceTransaction transaction : streamed) {
                async.zadd(ReadModelKeys.APPLIED_TRANSACTIONS, transaction.position(), Long.toString(transaction.txId()));
            }
            if (!streamed.isEmpty()) {
                async.zremrangebyrank(ReadModelKeys.APPLIED_TRANSACTIONS, 0, -(ReadModelKeys.APPLIED_TRANSACTIONS_KEPT + 1));
            }
            if (announce) {
                for (SourceTransaction transaction : streamed) {
                    async.publish(ReadModelKeys.APPLIED_CHANNEL, transaction.position() + " " + transaction.txId());
                }
            }
            result = await(async.exec());
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
        feedSequence += feed.size();
        return fresh;
    }

    /** Stages the transaction's changes; a change that cannot be projected names its transaction. */
    private void project(SourceTransaction transaction, ReadModelBatch batch) {
        try {
            for (RowChange change : transaction.changes()) {
                projectionsByTable.getOrDefault(change.table(), List.of()).forEach(projection -> projection.apply(change, batch));
            }
        }
        catch (RuntimeException e) {
            throw new IllegalStateException("transaction " + transaction.txId() + " at position " + Lsn.format(transaction.position())
                    + " cannot be projected: " + e.getMessage(), e);
        }
    }

    private <T> T await(RedisFuture<T> reply) {
        return LettuceFutures.awaitOrCancel(reply, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void discardQuietly() {
        try {
            redis.discard();
        }
        catch (RuntimeException e) {
            log.debug("DISCARD after a failed transaction failed too: {}", e.getMessage());
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
}
