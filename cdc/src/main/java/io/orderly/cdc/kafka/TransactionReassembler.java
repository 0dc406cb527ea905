package io.orderly.cdc.kafka;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.orderly.cdc.assembly.RowChange;
import io.orderly.cdc.assembly.SourceTransaction;
import io.orderly.cdc.assembly.TransactionAssembler;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Struct;

/**
 * Puts Debezium's source transactions back together from Kafka, where they arrive in pieces: the
 * END events of the transaction topic come in commit order (PostgreSQL sends transactions whole,
 * in commit order, and the topic has one partition), while the row events of one transaction are
 * spread over the table topics and their partitions and may arrive before or after their END. Rows
 * are buffered by PostgreSQL transaction id (their {@code transaction.id} reads
 * {@code "<txId>:<lsn of BEGIN>"}, the END's {@code "<txId>:<lsn of the commit>"}); a transaction is
 * complete once the rows of every followed table its END counts ({@code data_collections}) have
 * arrived, and transactions are released in the order of their ENDs. Snapshot rows, which belong to no transaction, are released as snapshot
 * chunks, before any transaction completed after them.
 *
 * <p>Kafka may hold a record twice (a producer's retry, a connector restarted from an older
 * offset): rows are kept by their place in the transaction ({@code total_order}), and a transaction
 * at or below what was released is dropped with its rows, so neither counts twice.
 *
 * <p>Also says, for each partition, from where a new consumer must read again so that nothing
 * not yet released is lost: {@link #resumeOffsets(Map)}.
 */
final class TransactionReassembler {

    /** How many finished transactions are remembered, against late copies of their rows. */
    static final int DONE_KEPT = 100_000;

    /** The tables the projector follows, as {@code schema.table}. */
    private final Set<String> collections;
    /** Collects the snapshot rows into chunks, as the embedded engine's assembler does. */
    private final TransactionAssembler snapshot = new TransactionAssembler();
    /** Where each pending snapshot row was read. */
    private final List<Read> snapshotReads = new ArrayList<>();
    /** The END events not yet released, in commit order. */
    private final Deque<End> ends = new ArrayDeque<>();
    private final Set<Long> pendingIds = new HashSet<>();
    /** The rows of transactions not yet released, by transaction id, each by its place in its transaction. */
    private final Map<Long, TreeMap<Long, BufferedRow>> rows = new HashMap<>();
    /** The latest transactions released or dropped, whose rows are dropped if Kafka delivers them again. */
    private final Set<Long> done = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
            return size() > DONE_KEPT;
        }
    });
    /** The position of the last transaction released, or of the read models' watermark; nothing at or below it is kept. */
    private long released;

    /**
     * @param tables the unqualified names of the tables the projector follows, in schema {@code public}
     * @param applied the position the read models have applied up to, whose transactions need not be assembled again
     */
    TransactionReassembler(Collection<String> tables, long applied) {
        this.collections = tables.stream().map(table -> "public." + table).collect(Collectors.toUnmodifiableSet());
        this.released = applied;
    }

    /** Takes a change or transaction event read at {@code offset} of {@code partition}; other events are ignored. */
    void accept(TopicPartition partition, long offset, Struct value) {
        Read read = new Read(partition, offset);
        if (TransactionAssembler.isBoundary(value)) {
            boundary(read, value);
        }
        else if (TransactionAssembler.isSnapshotRow(value)) {
            snapshot.accept(value);
            snapshotReads.add(read);
        }
        else if (TransactionAssembler.isStreamedRow(value)) {
            row(read, value);
        }
    }

    private void boundary(Read read, Struct value) {
        if (!"END".equals(value.getString("status"))) {
            return;
        }
        String id = value.getString("id");
        long txId = TransactionAssembler.txIdOf(id);
        long position = TransactionAssembler.positionOf(id);
        if (position <= released) {
            finished(txId);
            return;
        }
        if (!pendingIds.add(txId)) {
            return;
        }
        End last = ends.peekLast();
        if (last != null && last.position >= position) {
            throw new IllegalStateException("END of transaction " + id + " after that of " + last.id
                    + ": the transaction topic must have one partition, in commit order");
        }
        ends.add(new End(id, txId, position, expectedRows(value), Instant.ofEpochMilli(value.getInt64("ts_ms")), read));
    }

    /** How many rows of the followed tables the END counts. */
    private long expectedRows(Struct end) {
        List<Object> perCollection = end.getArray("data_collections");
        if (perCollection == null) {
            return end.getInt64("event_count");
        }
        long expected = 0;
        for (Object entry : perCollection) {
            Struct collection = (Struct) entry;
            if (collections.contains(schemaAndTable(collection.getString("data_collection")))) {
                expected += collection.getInt64("event_count");
            }
        }
        return expected;
    }

    private static String schemaAndTable(String collection) {
        int last = collection.lastIndexOf('.');
        int before = last <= 0 ? -1 : collection.lastIndexOf('.', last - 1);
        return collection.substring(before + 1);
    }

    private void row(Read read, Struct value) {
        if (value.schema().field("transaction") == null || value.getStruct("transaction") == null) {
            throw new IllegalStateException("A row change without transaction metadata on " + read.partition()
                    + ": the connector must run with provide.transaction.metadata=true");
        }
        Struct transaction = value.getStruct("transaction");
        long txId = TransactionAssembler.txIdOf(transaction.getString("id"));
        if (done.contains(txId)) {
            return;
        }
        RowChange change = TransactionAssembler.toChange(value);
        Instant changedAt = Instant.ofEpochMilli(value.getStruct("source").getInt64("ts_ms"));
        rows.computeIfAbsent(txId, ignored -> new TreeMap<>())
                .putIfAbsent(transaction.getInt64("total_order"), new BufferedRow(change, changedAt, read));
    }

    /**
     * What can be applied now, in order, taken out of the buffers: the snapshot rows read so far as
     * one chunk, then every transaction whose rows are all here, in commit order, up to the first
     * that is not.
     */
    List<SourceTransaction> release() {
        List<SourceTransaction> complete = new ArrayList<>(releaseSnapshot());
        while (!ends.isEmpty()) {
            End end = ends.peekFirst();
            TreeMap<Long, BufferedRow> buffered = rows.getOrDefault(end.txId, new TreeMap<>());
            if (buffered.size() < end.expectedRows) {
                break;
            }
            if (buffered.size() > end.expectedRows) {
                throw new IllegalStateException("Transaction " + end.id + " announced " + end.expectedRows
                        + " rows of the followed tables but " + buffered.size() + " arrived");
            }
            ends.removeFirst();
            pendingIds.remove(end.txId);
            finished(end.txId);
            Instant committedAt = buffered.isEmpty() ? end.endedAt : buffered.lastEntry().getValue().changedAt();
            complete.add(SourceTransaction.committed(end.txId, end.position, committedAt,
                    buffered.values().stream().map(BufferedRow::change).toList()));
            released = end.position;
        }
        return complete;
    }

    /** Forgets a transaction's rows, and drops any that arrive later. */
    private void finished(long txId) {
        rows.remove(txId);
        done.add(txId);
    }

    /** The snapshot rows read so far, as one chunk, taken out of the buffers; transactions stay. */
    List<SourceTransaction> releaseSnapshot() {
        List<SourceTransaction> chunk = snapshot.drainSnapshotChunk().stream().toList();
        snapshotReads.clear();
        return chunk;
    }

    /** Whether some transaction's END or rows wait for the rest of it. */
    boolean waiting() {
        return !ends.isEmpty() || !rows.isEmpty();
    }

    /**
     * For each partition read, the offset to read again from: that of its first record not yet
     * released, or {@code next} (the consumer's position) when everything read there was.
     */
    Map<TopicPartition, Long> resumeOffsets(Map<TopicPartition, Long> next) {
        Map<TopicPartition, Long> resume = new HashMap<>(next);
        List<Read> unreleased = new ArrayList<>(snapshotReads);
        ends.forEach(end -> unreleased.add(end.read));
        rows.values().forEach(buffered -> buffered.values().forEach(row -> unreleased.add(row.read())));
        for (Read read : unreleased) {
            resume.merge(read.partition(), read.offset(), Math::min);
        }
        return resume;
    }

    private record Read(TopicPartition partition, long offset) {
    }

    private record BufferedRow(RowChange change, Instant changedAt, Read read) {
    }

    private record End(String id, long txId, long position, long expectedRows, Instant endedAt, Read read) {
    }
}
