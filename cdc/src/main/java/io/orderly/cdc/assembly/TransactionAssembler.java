package io.orderly.cdc.assembly;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.jspecify.annotations.Nullable;

/**
 * Groups Debezium's records into {@link SourceTransaction}s: row changes are collected between the
 * BEGIN and END transaction-metadata records and grouped by transaction id. The position of a
 * transaction is the WAL position that its END record reports, which increases in commit order.
 * Snapshot rows, which belong to no streamed transaction, are collected into chunks instead.
 *
 * <p>A transaction is held whole up to {@code stagingThreshold} changes; beyond that its changes
 * are handed out as {@link TransactionPart}s of that size ({@link #drainPart}), for the sink to
 * stage, so that memory does not grow with the transaction.
 */
public final class TransactionAssembler {

    /** The default for {@code orderly.projector.staging-threshold}. */
    public static final int DEFAULT_STAGING_THRESHOLD = 10_000;

    private final int stagingThreshold;

    private @Nullable OpenTransaction open;
    private final List<RowChange> snapshotRows = new ArrayList<>();
    private long snapshotTxId;
    private long snapshotPosition;
    private Instant snapshotTime = Instant.EPOCH;
    private boolean snapshotCompleted;

    public TransactionAssembler() {
        this(DEFAULT_STAGING_THRESHOLD);
    }

    /** @param stagingThreshold how many changes of one transaction are held before they are handed out in parts */
    public TransactionAssembler(int stagingThreshold) {
        if (stagingThreshold < 1) {
            throw new IllegalArgumentException("The staging threshold must be at least 1, not " + stagingThreshold);
        }
        this.stagingThreshold = stagingThreshold;
    }

    /** What a record turned out to be. */
    enum Kind { TRANSACTION_BOUNDARY, ROW_CHANGE, SNAPSHOT_ROW, OTHER }

    /**
     * Takes the next record of the stream.
     *
     * @return the transaction this record completed, if it was an END record
     */
    public Optional<SourceTransaction> accept(SourceRecord record) {
        return record.value() instanceof Struct value ? accept(value) : Optional.empty();
    }

    /**
     * Takes the value of the next record of the stream, however it arrived (from the engine, or
     * decoded from a Kafka topic).
     *
     * @return the transaction this record completed, if it was an END record
     */
    public Optional<SourceTransaction> accept(Struct value) {
        return switch (kindOf(value)) {
            case TRANSACTION_BOUNDARY -> boundary(value);
            case ROW_CHANGE -> {
                rowChange(value);
                yield Optional.empty();
            }
            case SNAPSHOT_ROW -> {
                snapshotRow(value);
                yield Optional.empty();
            }
            case OTHER -> Optional.empty();
        };
    }

    /** Whether a transaction has begun and not yet ended. */
    public boolean inTransaction() {
        return open != null;
    }

    /**
     * The changes of the open transaction collected so far, as a part to stage, once there are
     * {@code stagingThreshold} of them; the transaction that ends it counts them as staged.
     */
    public Optional<TransactionPart> drainPart() {
        OpenTransaction current = open;
        if (current == null || current.changes.size() < stagingThreshold) {
            return Optional.empty();
        }
        TransactionPart part = new TransactionPart(current.txId, current.changes, current.staged == 0);
        current.staged += current.changes.size();
        current.changes.clear();
        return Optional.of(part);
    }

    public boolean hasSnapshotRows() {
        return !snapshotRows.isEmpty();
    }

    /** Whether the snapshot rows collected make a chunk to apply now: {@code rows} of them, or the snapshot's last. */
    public boolean snapshotChunkReady(int rows) {
        return snapshotRows.size() >= rows || (snapshotCompleted && !snapshotRows.isEmpty());
    }

    /** The snapshot rows collected since the last call, as one chunk. */
    public Optional<SourceTransaction> drainSnapshotChunk() {
        if (snapshotRows.isEmpty()) {
            return Optional.empty();
        }
        SourceTransaction chunk = new SourceTransaction(snapshotTxId, snapshotPosition, snapshotTime,
                List.copyOf(snapshotRows), true, snapshotCompleted);
        snapshotRows.clear();
        return Optional.of(chunk);
    }

    /** Whether the record is a row of the initial snapshot. */
    public static boolean isSnapshotRow(SourceRecord record) {
        return record.value() instanceof Struct value && isSnapshotRow(value);
    }

    public static boolean isSnapshotRow(Struct value) {
        return kindOf(value) == Kind.SNAPSHOT_ROW;
    }

    /** Whether the record is a row change streamed after the snapshot, which belongs to a transaction. */
    public static boolean isStreamedRow(Struct value) {
        return kindOf(value) == Kind.ROW_CHANGE;
    }

    /** Whether the record is a BEGIN or END of a transaction. */
    public static boolean isBoundary(Struct value) {
        return kindOf(value) == Kind.TRANSACTION_BOUNDARY;
    }

    static Kind kindOf(Struct value) {
        if (has(value, "status") && has(value, "id")) {
            return Kind.TRANSACTION_BOUNDARY;
        }
        if (!has(value, "op")) {
            return Kind.OTHER;
        }
        String snapshot = value.getStruct("source").getString("snapshot");
        boolean fromSnapshot = snapshot != null && !snapshot.equals("false") && !snapshot.equals("incremental");
        return fromSnapshot ? Kind.SNAPSHOT_ROW : Kind.ROW_CHANGE;
    }

    private Optional<SourceTransaction> boundary(Struct value) {
        String status = value.getString("status");
        String id = value.getString("id");
        long txId = txIdOf(id);
        if (status.equals("BEGIN")) {
            if (open != null) {
                throw new IllegalStateException("BEGIN of transaction " + txId + " while " + open.txId + " is still open");
            }
            open = new OpenTransaction(txId);
            return Optional.empty();
        }
        if (!status.equals("END")) {
            throw new IllegalStateException("Unknown transaction status " + status + " in " + id);
        }
        OpenTransaction ending = open;
        if (ending == null || ending.txId != txId) {
            throw new IllegalStateException("END of transaction " + txId + " but the open one is "
                    + (ending == null ? "none" : ending.txId));
        }
        Long eventCount = value.getInt64("event_count");
        long arrived = ending.staged + ending.changes.size();
        if (eventCount != null && eventCount != arrived) {
            throw new IllegalStateException("Transaction " + txId + " announced " + eventCount
                    + " events but " + arrived + " arrived");
        }
        open = null;
        Instant committedAt = ending.committedAt != null ? ending.committedAt : Instant.ofEpochMilli(value.getInt64("ts_ms"));
        return Optional.of(ending.staged > 0
                ? SourceTransaction.endOfStaged(txId, positionOf(id), committedAt, ending.changes, ending.staged)
                : SourceTransaction.committed(txId, positionOf(id), committedAt, ending.changes));
    }

    private void rowChange(Struct value) {
        Struct source = value.getStruct("source");
        long txId = source.getInt64("txId");
        OpenTransaction current = open;
        if (current == null || current.txId != txId) {
            throw new IllegalStateException("Row change of transaction " + txId + " outside its BEGIN/END (open: "
                    + (current == null ? "none" : current.txId) + ")");
        }
        current.changes.add(toChange(value));
        current.committedAt = Instant.ofEpochMilli(source.getInt64("ts_ms"));
    }

    private void snapshotRow(Struct value) {
        Struct source = value.getStruct("source");
        snapshotRows.add(toChange(value));
        snapshotTxId = source.getInt64("txId");
        snapshotPosition = source.getInt64("lsn");
        snapshotTime = Instant.ofEpochMilli(source.getInt64("ts_ms"));
        snapshotCompleted = "last".equals(source.getString("snapshot"));
    }

    /** The row change a Debezium change event (an envelope with {@code op}, {@code before}, {@code after}, {@code source}) reports. */
    public static RowChange toChange(Struct value) {
        String table = value.getStruct("source").getString("table");
        String op = value.getString("op");
        return switch (op) {
            case "c", "r" -> new RowChange.Inserted(table, row(value.getStruct("after")));
            case "u" -> new RowChange.Updated(table, row(value.getStruct("after")));
            case "d" -> new RowChange.Deleted(table, row(value.getStruct("before")));
            default -> throw new IllegalStateException("Unsupported operation '" + op + "' on " + table);
        };
    }

    private static Row row(Struct struct) {
        Map<String, @Nullable Object> values = new HashMap<>();
        for (Field field : struct.schema().fields()) {
            values.put(field.name(), struct.get(field));
        }
        return new Row(values);
    }

    /** Transaction ids in metadata records read {@code "<txId>:<lsn>"}. */
    public static long txIdOf(String id) {
        int colon = id.indexOf(':');
        return Long.parseLong(colon < 0 ? id : id.substring(0, colon));
    }

    /** The WAL position in a transaction id {@code "<txId>:<lsn>"}: that of the transaction's commit. */
    public static long positionOf(String id) {
        int colon = id.indexOf(':');
        if (colon < 0) {
            throw new IllegalStateException("Transaction id without a position: " + id);
        }
        return Long.parseLong(id.substring(colon + 1));
    }

    private static boolean has(Struct value, String field) {
        return value.schema().field(field) != null;
    }

    private static final class OpenTransaction {
        final long txId;
        final List<RowChange> changes = new ArrayList<>();
        /** How many changes were handed out as parts. */
        long staged;
        @Nullable Instant committedAt;

        OpenTransaction(long txId) {
            this.txId = txId;
        }
    }
}
