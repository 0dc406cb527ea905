package io.orderly.cdc.apply;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.orderly.cdc.assembly.SourceTransaction;
import io.orderly.cdc.assembly.TransactionPart;
import io.orderly.cdc.readmodel.ConsistencyToken;
import io.orderly.cdc.readmodel.FeedEntry;
import io.orderly.cdc.readmodel.Lsn;
import io.orderly.cdc.readmodel.ReadModelKeys;
import io.orderly.cdc.readmodel.Watermark;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies source transactions to the read models, each in one MULTI/EXEC together with the
 * watermark, the applied-transaction record, the change-feed entries and the notification (a
 * staged transaction, {@link StagedTransactions}, turns visible in one such step and is then
 * copied into place, its feed entries last: {@link StagedSwitch}). Transactions at or below the
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
    private final StagedTransactions staged;
    private final long feedRetention;
    private final boolean announce;
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
        this.commits = new ReadModelCommit(connection, clock, announce);
        this.staged = new StagedTransactions(connection, this.projections, commits, feedRetention, announce);
        this.feedRetention = feedRetention;
        this.announce = announce;
    }

    /**
     * Copies one step of a visible staged transaction that a projector which stopped left half-way
     * into place, if there is one; {@link #open()} finishes what is left. In steps, so that a
     * projector can stop between two of them and renew its lease meanwhile.
     *
     * @return whether there is more to copy
     */
    public boolean copyLeftOver() {
        return staged.copyLeftOver();
    }

    /** Whether a visible staged transaction is being copied into place: one a projector left half-way, before {@link #open()}. */
    public boolean copyingLeftOver() {
        return staged.copyingLeftOver();
    }

    /**
     * Readies the applier before it applies or stages anything: finishes any left-over copy
     * ({@link #copyLeftOver}), whose feed entries come first, then reads the change feed's last
     * sequence and discards the stagings of transactions left unfinished.
     */
    public void open() {
        staged.finishLeftOver();
        if (announce) {
            commits.openFeed();
        }
        staged.discardUnfinished();
        opened = true;
    }

    public Watermark watermark() {
        return commits.watermark();
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
                if (staged.apply(transaction)) {
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
        staged.stage(part);
    }

    /** Whether a transaction is being staged; for tests and status. */
    public boolean staging() {
        return staged.staging();
    }

    /** Applies ordinary transactions in one MULTI/EXEC; see {@link #applyAll}. */
    private List<SourceTransaction> applyTogether(List<SourceTransaction> transactions) {
        List<SourceTransaction> fresh = transactions.stream()
                .filter(transaction -> transaction.snapshot() || transaction.position() > commits.watermark().position())
                .toList();
        if (fresh.size() < transactions.size()) {
            log.debug("Skipping {} transactions already applied (watermark {})", transactions.size() - fresh.size(),
                    commits.watermark().position());
        }
        if (fresh.isEmpty()) {
            return List.of();
        }
        // One round trip: the fence (WATCH, then the watermark) and the documents the group reads.
        RedisFuture<Map<String, String>> storedWatermark = commits.watchWatermark();
        StoredDocuments documents = new StoredDocuments(redis, async, timeout);
        documents.fetch(projections.documentsRead(fresh.stream().flatMap(transaction -> transaction.changes().stream())));
        commits.fence(storedWatermark);
        List<ReadModelBatch> batches = new ArrayList<>();
        List<FeedEntry> feed = new ArrayList<>();
        try {
            ReadModelBatch previous = null;
            for (SourceTransaction transaction : fresh) {
                ReadModelBatch batch = new ReadModelBatch(redis, documents, transaction.position(), transaction.snapshot(), previous);
                projections.project("transaction " + transaction.txId() + " at position " + Lsn.format(transaction.position()),
                        transaction.changes(), batch);
                if (announce && !transaction.snapshot()) {
                    feed.addAll(batch.feedEntries(commits.feedSequence() + feed.size() + 1, transaction.committedAt(),
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
        commits.run(fresh, () -> {
            NetWrites writes = new NetWrites();
            batches.forEach(batch -> batch.addTo(writes));
            writes.queueInto(async);
            for (FeedEntry entry : feed) {
                async.xadd(ReadModelKeys.FEED, new XAddArgs().id(entry.streamId()).maxlen(feedRetention).approximateTrimming(),
                        entry.toFields());
            }
        });
        commits.appended(feed.size());
        return fresh;
    }

    private void requireOpen() {
        if (!opened) {
            throw new IllegalStateException("open() the applier before it applies or stages anything");
        }
    }
}
