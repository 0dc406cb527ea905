package io.orderly.cdc.kafka;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.orderly.cdc.assembly.RowChange;
import io.orderly.cdc.assembly.SourceTransaction;
import io.orderly.cdc.assembly.TransactionAssembler;
import io.orderly.cdc.assembly.TransactionPart;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Struct;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts Debezium's source transactions back together from Kafka, where they arrive in pieces: the
 * END events of the transaction topic come in commit order (PostgreSQL sends transactions whole,
 * in commit order, and the topic has one partition), while the row events of one transaction are
 * spread over the table topics and their partitions and may arrive before or after their END. Rows
 * are buffered by PostgreSQL transaction id (their {@code transaction.id} reads
 * {@code "<txId>:<lsn of BEGIN>"}, the END's {@code "<txId>:<lsn of the commit>"}); a transaction is
 * complete once the rows of every followed table its END counts ({@code data_collections}) have
 * arrived, and transactions are released in the order of their ENDs. Snapshot rows, which belong
 * to no transaction, are released as snapshot chunks, before any transaction completed after them.
 * {@link #resumeOffsets(Map)} says from where a new consumer reads each partition again so that
 * nothing not yet released is lost.
 *
 * <p>Memory stays bounded whatever the size of a transaction. Once every transaction before it was
 * released (its BEGIN or END was read after all earlier ENDs), a transaction is the head: each
 * unbroken run of {@code stagingThreshold} of its rows (by {@code total_order}) after those staged
 * before is handed out as a {@link TransactionPart} ({@link #nextPart}) and no longer held; the
 * rest comes with the transaction. Past the threshold of rows held beyond that run, partitions
 * that ran ahead are to pause ({@link #ahead}, {@link ReadAhead}). Rows of tables not read leave
 * holes in {@code total_order} that no run crosses: such a transaction is held whole.
 *
 * <p>Kafka may hold a record twice (a producer's retry, a connector restarted from an older
 * offset): rows are kept by their place in the transaction ({@code total_order}), and a transaction
 * the read models hold is dropped with its rows, by its END at or below what was released or by
 * its rows alone ({@link AppliedTransactions}); a row that cannot tell waits for its END.
 */
final class TransactionReassembler {

    private static final Logger log = LoggerFactory.getLogger(TransactionReassembler.class);

    /** The tables the projector follows, as {@code schema.table}. */
    private final Set<String> collections;
    private final int stagingThreshold;
    private final SnapshotRows snapshot = new SnapshotRows();
    /** The END events not yet released, in commit order. */
    private final Deque<TransactionEnd> ends = new ArrayDeque<>();
    private final Set<Long> pendingIds = new HashSet<>();
    /** The rows of transactions not yet released, by transaction id, each by its place in its transaction. */
    private final Map<Long, TreeMap<Long, BufferedRow>> rows = new HashMap<>();
    /** What the read models hold: nothing at or below its position is kept, nor any transaction it finished. */
    private final AppliedTransactions applied;
    /** Where the BEGIN of each transaction not yet finished was first read. */
    private final Map<Long, Read> begins = new HashMap<>();
    /** The transaction whose BEGIN was read and whose END not yet: the head once no END waits before it. */
    private @Nullable Begin open;
    /** What was staged of the head transaction, if any. */
    private @Nullable StagedPrefix staged;
    private final ReadAhead readAhead;

    /**
     * @param tables the unqualified names of the tables the projector follows, in schema {@code public}
     * @param applied the position the read models have applied up to, whose transactions need not be assembled again
     * @param appliedCommit the commit position of a streamed transaction the read models hold ({@link #appliedCommit()}), 0 if none
     * @param stagingThreshold how many rows of a transaction are staged at once, and how many may be held beyond them
     */
    TransactionReassembler(Collection<String> tables, long applied, long appliedCommit, int stagingThreshold) {
        this.collections = tables.stream().map(table -> "public." + table).collect(Collectors.toUnmodifiableSet());
        this.applied = new AppliedTransactions(applied, appliedCommit);
        this.stagingThreshold = stagingThreshold;
        this.readAhead = new ReadAhead(stagingThreshold);
    }

    /** Takes a change or transaction event read at {@code offset} of {@code partition}; other events are ignored. */
    void accept(TopicPartition partition, long offset, Struct value) {
        Read read = new Read(partition, offset);
        if (TransactionAssembler.isBoundary(value)) {
            boundary(read, value);
        }
        else if (TransactionAssembler.isSnapshotRow(value)) {
            snapshot.accept(partition, offset, value);
        }
        else if (TransactionAssembler.isStreamedRow(value)) {
            row(read, value);
        }
    }

    private void boundary(Read read, Struct value) {
        String id = value.getString("id");
        long txId = TransactionAssembler.txIdOf(id);
        if ("BEGIN".equals(value.getString("status"))) {
            if (!applied.isFinished(txId) && !pendingIds.contains(txId) && (open == null || open.txId != txId)) {
                open = new Begin(txId, read);
                begins.putIfAbsent(txId, read);
            }
            return;
        }
        if (open != null && open.txId == txId) {
            open = null;
        }
        long position = TransactionAssembler.positionOf(id);
        if (position <= applied.position()) {
            // A replay: the sink ignored whatever parts of it were staged, as it knows it applied it.
            if (staged != null && staged.txId() == txId) {
                staged = null;
            }
            log.debug("Transaction {} read again: its END, at {}, is at or below what was released, {}; its rows are dropped",
                    txId, position, applied.position());
            forget(txId);
            applied.endReadAgain(txId, position);
            return;
        }
        if (applied.isFinished(txId)) {
            throw new IllegalStateException("END of transaction " + id + " above the position released, " + applied.position()
                    + ", after its rows were dropped as applied: the rows' source.sequence does not follow the commit order");
        }
        if (!pendingIds.add(txId)) {
            return;
        }
        TransactionEnd last = ends.peekLast();
        if (last != null && last.position() >= position) {
            throw new IllegalStateException("END of transaction " + id + " after that of " + last.id()
                    + ": the transaction topic must have one partition, in commit order");
        }
        ends.add(TransactionEnd.of(value, collections, read.partition(), read.offset()));
    }

    private void row(Read read, Struct value) {
        if (value.schema().field("transaction") == null || value.getStruct("transaction") == null) {
            throw new IllegalStateException("A row change without transaction metadata on " + read.partition()
                    + ": the connector must run with provide.transaction.metadata=true");
        }
        Struct transaction = value.getStruct("transaction");
        long txId = TransactionAssembler.txIdOf(transaction.getString("id"));
        long place = transaction.getInt64("total_order");
        readAhead.read(read.partition(), txId, place);
        boolean stagedHere = staged != null && staged.txId() == txId;
        if (applied.isFinished(txId) || stagedHere && place <= staged.through()) {
            return;
        }
        if (!stagedHere && !pendingIds.contains(txId) && applied.includesTransactionOf(value)) {
            log.info("Dropping transaction {} as one the read models hold, before its END: a row of it on {} has the source.sequence "
                    + "{}, below the applied commit {}", txId, read.partition(), value.getStruct("source").get("sequence"), applied.commit());
            forget(txId);
            applied.finish(txId);
            return;
        }
        RowChange change = TransactionAssembler.toChange(value);
        Instant changedAt = Instant.ofEpochMilli(value.getStruct("source").getInt64("ts_ms"));
        rows.computeIfAbsent(txId, ignored -> new TreeMap<>())
                .putIfAbsent(place, new BufferedRow(change, changedAt, read.partition(), read.offset()));
    }

    /**
     * What can be applied now, in order, taken out of the buffers: the snapshot rows read so far as
     * one chunk, then every transaction whose rows are all here, in commit order, up to the first
     * that is not, or that has a part to stage first ({@link #nextPart}). A transaction whose
     * first rows were staged comes with the rest of them, counting those staged.
     */
    List<SourceTransaction> release() {
        List<SourceTransaction> complete = new ArrayList<>(releaseSnapshot());
        while (!ends.isEmpty()) {
            TransactionEnd end = ends.peekFirst();
            TreeMap<Long, BufferedRow> buffered = rows.getOrDefault(end.txId(), new TreeMap<>());
            StagedPrefix prefix = staged;
            long stagedRows = stagedThrough(end.txId());
            long arrived = stagedRows + buffered.size();
            if (arrived < end.expectedRows() || partReady(end.txId())) {
                break;
            }
            if (arrived > end.expectedRows()) {
                throw new IllegalStateException("Transaction " + end.id() + " announced " + end.expectedRows()
                        + " rows of the followed tables but " + arrived + " arrived");
            }
            ends.removeFirst();
            pendingIds.remove(end.txId());
            forget(end.txId());
            List<RowChange> changes = buffered.values().stream().map(BufferedRow::change).toList();
            Instant lastChanged = prefix == null || stagedRows == 0 ? end.endedAt() : prefix.lastChangedAt();
            Instant committedAt = buffered.isEmpty() ? lastChanged : buffered.lastEntry().getValue().changedAt();
            complete.add(stagedRows == 0
                    ? SourceTransaction.committed(end.txId(), end.position(), committedAt, changes)
                    : SourceTransaction.endOfStaged(end.txId(), end.position(), committedAt, changes, stagedRows));
            if (stagedRows > 0) {
                staged = null;
            }
            applied.released(end.txId(), end.position());
        }
        return complete;
    }

    /** The commit position of a streamed transaction released or known applied, 0 if none: to store with the offsets. */
    long appliedCommit() {
        return applied.commit();
    }

    /**
     * The next part of the head transaction to stage, taken out of the buffers, once its rows hold
     * an unbroken run of {@code stagingThreshold} after those staged before. Every transaction
     * before it was released: deliver those first.
     */
    Optional<TransactionPart> nextPart() {
        Long head = head();
        if (head == null || !partReady(head)) {
            return Optional.empty();
        }
        StagedPrefix prefix = staged == null ? new StagedPrefix(head) : staged;
        staged = prefix;
        return Optional.of(prefix.take(rows.get(head), stagingThreshold));
    }

    /** The transaction every earlier one of which was released, if its BEGIN or END was read. */
    private @Nullable Long head() {
        TransactionEnd first = ends.peekFirst();
        return first != null ? Long.valueOf(first.txId()) : open == null ? null : open.txId;
    }

    /**
     * Whether the head has a part to stage. Only one transaction is staged at a time: while another
     * one's staging waits for its END (the connector, restarted from an older offset, writes an
     * applied transaction again before it), the head is held whole, and its END, at or below what
     * was released, drops it.
     */
    private boolean partReady(long txId) {
        TreeMap<Long, BufferedRow> buffered = rows.get(txId);
        if (buffered == null || buffered.size() < stagingThreshold || !Long.valueOf(txId).equals(head())
                || staged != null && staged.txId() != txId) {
            return false;
        }
        long from = stagedThrough(txId);
        return StagedPrefix.runEnd(buffered, from) - from >= stagingThreshold;
    }

    private long stagedThrough(long txId) {
        return staged != null && staged.txId() == txId ? staged.through() : 0;
    }

    /** The partitions to pause now ({@link ReadAhead}); every other partition is to read on. */
    Set<TopicPartition> ahead() {
        Long head = head();
        return readAhead.ahead(rows, ends, head, head == null ? 0 : stagedThrough(head));
    }

    /** Forgets a transaction's rows and where its BEGIN was read; the caller marks it finished. */
    private void forget(long txId) {
        rows.remove(txId);
        begins.remove(txId);
    }

    /** The snapshot rows read so far, as one chunk, taken out of the buffers; transactions stay. */
    List<SourceTransaction> releaseSnapshot() {
        return snapshot.drain();
    }

    /** Whether some transaction's END or rows wait for the rest of it. */
    boolean waiting() {
        return !ends.isEmpty() || !rows.isEmpty() || staged != null;
    }

    /**
     * For each partition read, the offset to read again from: that of its first record not yet
     * released, or {@code next} (the consumer's position) when everything read there was.
     */
    Map<TopicPartition, Long> resumeOffsets(Map<TopicPartition, Long> next) {
        Map<TopicPartition, Long> resume = new HashMap<>(next);
        ends.forEach(end -> resume.merge(end.partition(), end.offset(), Math::min));
        if (open != null) {
            resume.merge(open.read.partition(), open.read.offset(), Math::min);
        }
        rows.values().forEach(buffered -> buffered.values().forEach(row -> resume.merge(row.partition(), row.offset(), Math::min)));
        snapshot.resumeFrom(resume);
        if (staged != null) {
            staged.resumeFrom(resume);
        }
        // Rows read again need their transactions' BEGIN and END read again too (a replay's END drops its rows).
        Set<Long> unfinished = new HashSet<>(rows.keySet());
        if (staged != null) {
            unfinished.add(staged.txId());
        }
        unfinished.stream().map(begins::get).filter(Objects::nonNull)
                .forEach(begin -> resume.merge(begin.partition(), begin.offset(), Math::min));
        return resume;
    }

    private record Read(TopicPartition partition, long offset) {
    }

    private record Begin(long txId, Read read) {
    }
}
