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
import io.lettuce.core.RedisFuture;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.orderly.cdc.assembly.RowChange;
import io.orderly.cdc.assembly.SourceTransaction;
import io.orderly.cdc.assembly.TransactionPart;
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
 * watermark, the applied-transaction record, the change-feed entries and the notification (a
 * staged transaction turns visible in one such step and is then copied into place, its feed
 * entries last: {@link StagedSwitch}). Transactions at or below the
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
    private final ProjectionsByTable projections;
    private final ReadModelCommit commits;
    private final Clock clock;
    private final long feedRetention;
    private final boolean announce;
    private volatile Watermark watermark;
    private long feedSequence;
    /** The transaction being staged in parts, if any. */
    private volatile @Nullable StagingArea staging;
    /** Names this applier's stagings, which no other applier writes into. */
    private final String applierId = UUID.randomUUID().toString().substring(0, 8);
    private boolean opened;

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
        this.projections = new ProjectionsByTable(projections);
        this.commits = new ReadModelCommit(connection, announce);
        this.clock = clock;
        this.feedRetention = feedRetention;
        this.announce = announce;
        // Read before any left-over copy is finished: a projector that makes a transaction visible
        // after this read moves the watermark, which this applier's fence then refuses.
        this.watermark = Watermark.fromHash(redis.hgetall(ReadModelKeys.WATERMARK));
    }

    /**
     * Copies one step of a visible staged transaction that a projector which stopped left half-way
     * into place, if there is one; {@link #open()} finishes what is left. In steps, so that a
     * projector can stop between two of them and renew its lease meanwhile.
     *
     * @return whether there is more to copy
     */
    public boolean copyLeftOver() {
        return StagedSwitch.step(redis);
    }

    /** Whether a visible staged transaction is being copied into place: one a projector left half-way, before {@link #open()}. */
    public boolean copyingLeftOver() {
        return redis.exists(ReadModelKeys.SWITCH_STATE) == 1;
    }

    /**
     * Readies the applier before it applies or stages anything: finishes any left-over copy
     * ({@link #copyLeftOver}), whose feed entries come first, then reads the change feed's last
     * sequence and discards the stagings of transactions left unfinished.
     */
    public void open() {
        StagedSwitch.finish(redis);
        if (announce) {
            this.feedSequence = redis.xrevrange(ReadModelKeys.FEED, Range.create("-", "+"), Limit.create(0, 1)).stream()
                    .map(message -> FeedEntry.sequenceOf(message.getId()))
                    .findFirst()
                    .orElse(0L);
            // Written only when missing: Redis at its maxmemory refuses even a SETNX that would change nothing.
            if (redis.exists(ReadModelKeys.FEED_EPOCH) == 0) {
                redis.setnx(ReadModelKeys.FEED_EPOCH, UUID.randomUUID().toString().substring(0, 8));
            }
        }
        int discarded = StagingArea.discardStale(redis);
        if (discarded > 0) {
            log.info("Discarded the staging of {} transaction(s) left unfinished; they are applied again from the source", discarded);
        }
        opened = true;
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
     * fence, MULTI and EXEC are paid once per group rather than once per transaction. A transaction
     * whose first parts were {@linkplain #stage staged} is made visible on its own, in one step, then
     * copied into place ({@link StagedSwitch}) before anything else is applied.
     *
     * @return the transactions written
     * @throws ProjectorFencedException when another projector moved the watermark meanwhile
     */
    public List<SourceTransaction> applyAll(List<SourceTransaction> transactions) {
        requireOpen();
        List<SourceTransaction> applied = new ArrayList<>();
        int from = 0;
        for (int next = 0; next < transactions.size(); next++) {
            SourceTransaction transaction = transactions.get(next);
            if (transaction.staged()) {
                applied.addAll(applyTogether(transactions.subList(from, next)));
                if (applyStaged(transaction)) {
                    applied.add(transaction);
                }
                from = next + 1;
            }
        }
        applied.addAll(applyTogether(transactions.subList(from, transactions.size())));
        return applied;
    }

    /**
     * Projects a part of a transaction too large to hold into staging keys that no reader sees:
     * the documents it reads are those of the committed read models with its own earlier parts
     * over them. The last part comes with the transaction itself, to {@link #applyAll}, which
     * makes the whole of it visible at once. A part of a transaction already applied is ignored.
     */
    public void stage(TransactionPart part) {
        requireOpen();
        if (redis.zscore(ReadModelKeys.APPLIED_TRANSACTIONS, Long.toString(part.txId())) != null) {
            // A replay: its end is skipped too, by the watermark.
            return;
        }
        StagingArea area = staging;
        if (area == null || area.txId() != part.txId() || part.first()) {
            if (area != null) {
                log.warn("Discarding the staging of transaction {}, which never ended", area.txId());
                area.discard(redis);
            }
            log.debug("Staging transaction {}, whose first {} changes make it too large to hold", part.txId(), part.changes().size());
            area = StagingArea.begin(redis, part.txId(), applierId, watermark.position());
            staging = area;
        }
        stageChanges(area, part.changes());
    }

    /** Whether a transaction is being staged; for tests and status. */
    public boolean staging() {
        return staging != null;
    }

    private void stageChanges(StagingArea area, List<RowChange> changes) {
        // The previous part's writes, which Redis carried out while the source read this part.
        area.awaitStaged(timeout);
        long started = System.nanoTime();
        StoredDocuments documents = new StoredDocuments(redis, async, timeout, area.documentsKey());
        documents.fetch(projections.documentsRead(changes.stream()));
        ReadModelBatch batch = new ReadModelBatch(redis, documents, area.provisionalPosition(), false, null);
        projections.project("transaction " + area.txId() + " (a staged part)", changes, batch);
        long projected = System.nanoTime();
        batch.stageInto(async, area, announce);
        area.staged(changes.size());
        log.debug("Staged {} changes of transaction {} ({} so far): read and projected in {} ms, sent in {} ms", changes.size(),
                area.txId(), area.changes(), (projected - started) / 1_000_000, (System.nanoTime() - projected) / 1_000_000);
    }

    /** Stages the last part of a staged transaction, makes all of it visible in one step, then copies it into place. */
    private boolean applyStaged(SourceTransaction transaction) {
        StagingArea area = staging;
        if (transaction.position() <= watermark.position()) {
            if (area != null && area.txId() == transaction.txId()) {
                area.discard(redis);
                staging = null;
            }
            return false;
        }
        if (area == null || area.txId() != transaction.txId() || area.changes() != transaction.stagedChanges()) {
            throw new IllegalStateException("transaction " + transaction.txId() + " came with " + transaction.stagedChanges()
                    + " changes staged before, but this projector staged " + (area == null || area.txId() != transaction.txId()
                            ? "none of them" : area.changes()));
        }
        if (!transaction.changes().isEmpty()) {
            stageChanges(area, transaction.changes());
        }
        area.awaitStaged(timeout);
        long preparing = System.nanoTime();
        // Checked before the index copies are made, and again under WATCH once they are.
        if (!area.whole(redis) || !StagedSwitch.prepare(redis, area) || !area.watchWhole(redis)) {
            staging = null;
            throw new IllegalStateException("the staging of transaction " + transaction.txId()
                    + " was discarded or written into by another projector; is another projector running?");
        }
        async.watch(ReadModelKeys.WATERMARK);
        fence(async.hgetall(ReadModelKeys.WATERMARK));
        List<RedisFuture<Long>> numbered = new ArrayList<>();
        long flipping = System.nanoTime();
        String token = new ConsistencyToken(transaction.position(), transaction.txId()).toString();
        commit(List.of(transaction), nextWatermark(transaction),
                () -> numbered.add(StagedSwitch.queueFlip(async, area, transaction.position(), transaction.committedAt(), token,
                        feedSequence + 1, feedRetention)));
        staging = null;
        long copying = System.nanoTime();
        int steps = StagedSwitch.finish(redis);
        feedSequence += await(numbered.get(0));
        log.info("Applied staged transaction {} at position {}: {} row changes; indexes copied in {} ms, made visible in {} ms, "
                + "copied into place in {} steps, {} ms", transaction.txId(), Lsn.format(transaction.position()), area.changes(),
                (flipping - preparing) / 1_000_000, (copying - flipping) / 1_000_000, steps, (System.nanoTime() - copying) / 1_000_000);
        return true;
    }

    /** Applies ordinary transactions in one MULTI/EXEC; see {@link #applyAll}. */
    private List<SourceTransaction> applyTogether(List<SourceTransaction> transactions) {
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
        documents.fetch(projections.documentsRead(fresh.stream().flatMap(transaction -> transaction.changes().stream())));
        fence(storedWatermark);
        List<ReadModelBatch> batches = new ArrayList<>();
        List<FeedEntry> feed = new ArrayList<>();
        try {
            ReadModelBatch previous = null;
            for (SourceTransaction transaction : fresh) {
                ReadModelBatch batch = new ReadModelBatch(redis, documents, transaction.position(), transaction.snapshot(), previous);
                projections.project("transaction " + transaction.txId() + " at position " + Lsn.format(transaction.position()),
                        transaction.changes(), batch);
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
        commit(fresh, nextWatermark(fresh.get(fresh.size() - 1)), () -> {
            NetWrites writes = new NetWrites();
            batches.forEach(batch -> batch.addTo(writes));
            writes.queueInto(async);
            for (FeedEntry entry : feed) {
                async.xadd(ReadModelKeys.FEED, new XAddArgs().id(entry.streamId()).maxlen(feedRetention).approximateTrimming(),
                        entry.toFields());
            }
        });
        feedSequence += feed.size();
        return fresh;
    }

    private void requireOpen() {
        if (!opened) {
            throw new IllegalStateException("open() the applier before it applies or stages anything");
        }
    }

    /** Fails when the watermark in Redis is not the one this projector last wrote; WATCH is set. */
    private void fence(RedisFuture<Map<String, String>> storedWatermark) {
        Watermark stored = Watermark.fromHash(await(storedWatermark));
        if (stored.position() != watermark.position()) {
            redis.unwatch();
            throw new ProjectorFencedException(watermark, stored);
        }
    }

    /**
     * Commits in one MULTI/EXEC ({@link ReadModelCommit}); the watermark is kept only once EXEC
     * succeeded.
     */
    private void commit(List<SourceTransaction> fresh, @Nullable Watermark next, Runnable queueWrites) {
        commits.run(fresh, next, watermark, queueWrites);
        if (next != null) {
            watermark = next;
        }
    }

    private <T> T await(RedisFuture<T> reply) {
        return LettuceFutures.awaitOrCancel(reply, timeout.toNanos(), TimeUnit.NANOSECONDS);
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
