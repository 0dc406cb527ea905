package io.orderly.cdc.apply;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.orderly.cdc.assembly.RowChange;
import io.orderly.cdc.assembly.SourceTransaction;
import io.orderly.cdc.assembly.TransactionPart;
import io.orderly.cdc.readmodel.ConsistencyToken;
import io.orderly.cdc.readmodel.Lsn;
import io.orderly.cdc.readmodel.ReadModelKeys;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link TransactionApplier}'s transactions too large to hold, as described in
 * docs/large-transactions.md: it owns the one being staged in parts ({@link StagingArea}), under a
 * name no other applier writes into, makes it visible at its end in one step and copies it into
 * place ({@link StagedSwitch}), and copies into place a visible staged transaction that a projector
 * which stopped left half-way. The watermark that fences it and the change feed's sequence are the
 * applier's, kept in the {@link ReadModelCommit} both commit through.
 *
 * <p>Not thread-safe, like the applier it belongs to.
 */
final class StagedTransactions {

    private static final Logger log = LoggerFactory.getLogger(StagedTransactions.class);

    private final RedisCommands<String, String> redis;
    private final RedisAsyncCommands<String, String> async;
    private final Duration timeout;
    private final ProjectionsByTable projections;
    private final ReadModelCommit commits;
    private final long feedRetention;
    private final boolean announce;
    /** The transaction being staged in parts, if any. */
    private volatile @Nullable StagingArea staging;
    /** Names this applier's stagings, which no other applier writes into. */
    private final String applierId = UUID.randomUUID().toString().substring(0, 8);

    StagedTransactions(StatefulRedisConnection<String, String> connection, ProjectionsByTable projections, ReadModelCommit commits,
            long feedRetention, boolean announce) {
        this.redis = connection.sync();
        this.async = connection.async();
        this.timeout = connection.getTimeout();
        this.projections = projections;
        this.commits = commits;
        this.feedRetention = feedRetention;
        this.announce = announce;
    }

    /** One step of copying a left-over visible staged transaction into place; see {@link TransactionApplier#copyLeftOver}. */
    boolean copyLeftOver() {
        return StagedSwitch.step(redis);
    }

    /** Whether a visible staged transaction is being copied into place; see {@link TransactionApplier#copyingLeftOver}. */
    boolean copyingLeftOver() {
        return redis.exists(ReadModelKeys.SWITCH_STATE) == 1;
    }

    /** Copies what is left of a left-over visible staged transaction into place, its feed entries last. */
    void finishLeftOver() {
        StagedSwitch.finish(redis);
    }

    /** Discards the stagings of transactions left unfinished, which the source delivers again. */
    void discardUnfinished() {
        int discarded = StagingArea.discardStale(redis);
        if (discarded > 0) {
            log.info("Discarded the staging of {} transaction(s) left unfinished; they are applied again from the source", discarded);
        }
    }

    /** Projects a part of a transaction into its staging; see {@link TransactionApplier#stage}. */
    void stage(TransactionPart part) {
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
            area = StagingArea.begin(redis, part.txId(), applierId, commits.watermark().position());
            staging = area;
        }
        stageChanges(area, part.changes());
    }

    /** Whether a transaction is being staged in parts. */
    boolean staging() {
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

    /**
     * Stages the last part of a staged transaction, makes all of it visible in one step, then copies it into place.
     *
     * @return whether anything was written (not if the read models already contain the transaction)
     * @throws ProjectorFencedException when another projector moved the watermark meanwhile
     */
    boolean apply(SourceTransaction transaction) {
        StagingArea area = staging;
        if (transaction.position() <= commits.watermark().position()) {
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
        commits.fence(commits.watchWatermark());
        List<RedisFuture<Long>> numbered = new ArrayList<>();
        long flipping = System.nanoTime();
        String token = new ConsistencyToken(transaction.position(), transaction.txId()).toString();
        commits.run(List.of(transaction),
                () -> numbered.add(StagedSwitch.queueFlip(async, area, transaction.position(), transaction.committedAt(), token,
                        commits.feedSequence() + 1, feedRetention)));
        staging = null;
        long copying = System.nanoTime();
        int steps = StagedSwitch.finish(redis);
        commits.appended(LettuceFutures.awaitOrCancel(numbered.get(0), timeout.toNanos(), TimeUnit.NANOSECONDS));
        log.info("Applied staged transaction {} at position {}: {} row changes; indexes copied in {} ms, made visible in {} ms, "
                + "copied into place in {} steps, {} ms", transaction.txId(), Lsn.format(transaction.position()), area.changes(),
                (flipping - preparing) / 1_000_000, (copying - flipping) / 1_000_000, steps, (System.nanoTime() - copying) / 1_000_000);
        return true;
    }
}
