package io.orderly.cdc.assembly;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class TransactionAssemblerTests {

    private final TransactionAssembler assembler = new TransactionAssembler();

    @Test
    void groupsChangesBetweenBeginAndEnd() {
        assembler.accept(Records.begin(771, 1000));
        assembler.accept(Records.insert(771, "c-1", "Ada"));
        assembler.accept(Records.update(771, "c-1", "Ada Lovelace"));

        var transaction = assembler.accept(Records.end(771, 1000, 2L));

        assertThat(transaction).hasValueSatisfying(tx -> {
            assertThat(tx.txId()).isEqualTo(771);
            assertThat(tx.position()).isEqualTo(1000);
            assertThat(tx.committedAt()).isEqualTo(Records.COMMITTED_AT);
            assertThat(tx.snapshot()).isFalse();
            assertThat(tx.changes()).containsExactly(
                    new RowChange.Inserted("customer", Records.row("c-1", "Ada")),
                    new RowChange.Updated("customer", Records.row("c-1", "Ada Lovelace")));
        });
        assertThat(assembler.inTransaction()).isFalse();
    }

    @Test
    void takesPositionFromTheEndRecord() {
        assembler.accept(Records.begin(771, 1000));
        assembler.accept(Records.insert(771, "c-1", "Ada"));

        var transaction = assembler.accept(Records.end(771, 2500, null));

        assertThat(transaction).map(SourceTransaction::position).hasValue(2500L);
    }

    @Test
    void mapsOperationsToRowChanges() {
        assembler.accept(Records.begin(5, 10));
        assembler.accept(Records.change("c", 5, null, Records.rowStruct("c-1", "Ada"), null));
        assembler.accept(Records.change("r", 5, null, Records.rowStruct("c-2", "Grace"), null));
        assembler.accept(Records.change("u", 5, Records.rowStruct("c-1", "Ada"), Records.rowStruct("c-1", "Ada L."), null));
        assembler.accept(Records.change("d", 5, Records.rowStruct("c-2", "Grace"), null, null));

        var transaction = assembler.accept(Records.end(5, 10, 4L));

        assertThat(transaction).map(SourceTransaction::changes).hasValue(List.of(
                new RowChange.Inserted("customer", Records.row("c-1", "Ada")),
                new RowChange.Inserted("customer", Records.row("c-2", "Grace")),
                new RowChange.Updated("customer", Records.row("c-1", "Ada L.")),
                new RowChange.Deleted("customer", Records.row("c-2", "Grace"))));
    }

    @Test
    void completesNothingBeforeTheEnd() {
        assertThat(assembler.accept(Records.begin(771, 1000))).isEmpty();
        assertThat(assembler.accept(Records.insert(771, "c-1", "Ada"))).isEmpty();

        assertThat(assembler.inTransaction()).isTrue();
    }

    @Test
    void handsOutALargeTransactionInPartsOfTheThresholdAndEndsItWithTheRest() {
        TransactionAssembler staging = new TransactionAssembler(2);
        staging.accept(Records.begin(771, 1000));
        staging.accept(Records.insert(771, "c-1", "Ada"));
        assertThat(staging.drainPart()).isEmpty();
        staging.accept(Records.insert(771, "c-2", "Grace"));

        assertThat(staging.drainPart()).hasValue(new TransactionPart(771, List.of(
                new RowChange.Inserted("customer", Records.row("c-1", "Ada")),
                new RowChange.Inserted("customer", Records.row("c-2", "Grace"))), true));
        staging.accept(Records.insert(771, "c-3", "Edsger"));
        var transaction = staging.accept(Records.end(771, 2500, 3L));

        assertThat(transaction).hasValueSatisfying(end -> {
            assertThat(end.position()).isEqualTo(2500);
            assertThat(end.stagedChanges()).isEqualTo(2);
            assertThat(end.changes()).containsExactly(new RowChange.Inserted("customer", Records.row("c-3", "Edsger")));
        });
    }

    @Test
    void refusesChangeOutsideTransaction() {
        assertThatIllegalStateException()
                .isThrownBy(() -> assembler.accept(Records.insert(771, "c-1", "Ada")))
                .withMessageContaining("771");
    }

    @Test
    void refusesChangeOfAnotherTransaction() {
        assembler.accept(Records.begin(771, 1000));

        assertThatIllegalStateException()
                .isThrownBy(() -> assembler.accept(Records.insert(772, "c-1", "Ada")));
    }

    @Test
    void refusesEndWhoseEventCountDisagrees() {
        assembler.accept(Records.begin(771, 1000));
        assembler.accept(Records.insert(771, "c-1", "Ada"));

        assertThatIllegalStateException()
                .isThrownBy(() -> assembler.accept(Records.end(771, 1000, 2L)))
                .withMessageContaining("announced 2 events but 1 arrived");
    }

    @Test
    void refusesEndWithoutBegin() {
        assertThatIllegalStateException()
                .isThrownBy(() -> assembler.accept(Records.end(771, 1000, 0L)));
    }

    @Test
    void refusesBeginWhileAnotherIsOpen() {
        assembler.accept(Records.begin(771, 1000));

        assertThatIllegalStateException()
                .isThrownBy(() -> assembler.accept(Records.begin(772, 1100)))
                .withMessageContaining("772")
                .withMessageContaining("771");
    }

    @Test
    void collectsSnapshotRowsIntoChunk() {
        assembler.accept(Records.change("r", 700, null, Records.rowStruct("c-1", "Ada"), "first"));
        assembler.accept(Records.change("r", 700, null, Records.rowStruct("c-2", "Grace"), "true"));

        assertThat(assembler.hasSnapshotRows()).isTrue();
        assertThat(assembler.inTransaction()).isFalse();
        assertThat(assembler.drainSnapshotChunk()).hasValueSatisfying(chunk -> {
            assertThat(chunk.snapshot()).isTrue();
            assertThat(chunk.completesSnapshot()).isFalse();
            assertThat(chunk.txId()).isEqualTo(700);
            assertThat(chunk.position()).isEqualTo(Records.LSN);
            assertThat(chunk.changes()).containsExactly(
                    new RowChange.Inserted("customer", Records.row("c-1", "Ada")),
                    new RowChange.Inserted("customer", Records.row("c-2", "Grace")));
        });
        assertThat(assembler.hasSnapshotRows()).isFalse();
        assertThat(assembler.drainSnapshotChunk()).isEmpty();
    }

    @Test
    void completesSnapshotOnlyWhenLastRowWasLast() {
        assembler.accept(Records.change("r", 700, null, Records.rowStruct("c-1", "Ada"), "true"));
        assembler.accept(Records.change("r", 700, null, Records.rowStruct("c-2", "Grace"), "last"));

        assertThat(assembler.drainSnapshotChunk()).map(SourceTransaction::completesSnapshot).hasValue(true);
    }

    @Test
    void snapshotChunkIsReadyAtItsSizeOrAtTheSnapshotsLastRow() {
        assembler.accept(Records.change("r", 700, null, Records.rowStruct("c-1", "Ada"), "first"));
        assertThat(assembler.snapshotChunkReady(2)).isFalse();
        assembler.accept(Records.change("r", 700, null, Records.rowStruct("c-2", "Grace"), "true"));
        assertThat(assembler.snapshotChunkReady(2)).isTrue();

        assembler.drainSnapshotChunk();
        assertThat(assembler.snapshotChunkReady(2)).isFalse();
        assembler.accept(Records.change("r", 700, null, Records.rowStruct("c-3", "Edsger"), "last"));
        assertThat(assembler.snapshotChunkReady(2)).isTrue();
    }

    @Test
    void ignoresRecordsWithoutStructValue() {
        assembler.accept(Records.begin(771, 1000));

        assertThat(assembler.accept(Records.tombstone())).isEmpty();
        assertThat(assembler.accept(Records.end(771, 1000, 0L))).isPresent();
    }

    @Test
    void ignoresHeartbeats() {
        assertThat(assembler.accept(Records.heartbeat())).isEmpty();

        assertThat(assembler.inTransaction()).isFalse();
        assertThat(assembler.hasSnapshotRows()).isFalse();
    }

    /** Records shaped like those of Debezium's PostgreSQL connector. */
    private static final class Records {

        static final long LSN = 4242;
        static final Instant COMMITTED_AT = Instant.parse("2025-01-02T03:04:05Z");

        private static final Schema ROW = SchemaBuilder.struct().optional()
                .field("id", Schema.STRING_SCHEMA)
                .field("name", Schema.STRING_SCHEMA)
                .build();

        private static final Schema SOURCE = SchemaBuilder.struct()
                .field("table", Schema.STRING_SCHEMA)
                .field("txId", Schema.INT64_SCHEMA)
                .field("lsn", Schema.INT64_SCHEMA)
                .field("ts_ms", Schema.INT64_SCHEMA)
                .field("snapshot", Schema.OPTIONAL_STRING_SCHEMA)
                .build();

        private static final Schema ENVELOPE = SchemaBuilder.struct()
                .field("op", Schema.STRING_SCHEMA)
                .field("before", ROW)
                .field("after", ROW)
                .field("source", SOURCE)
                .build();

        private static final Schema TRANSACTION = SchemaBuilder.struct()
                .field("status", Schema.STRING_SCHEMA)
                .field("id", Schema.STRING_SCHEMA)
                .field("event_count", Schema.OPTIONAL_INT64_SCHEMA)
                .field("ts_ms", Schema.INT64_SCHEMA)
                .build();

        private static final Schema HEARTBEAT = SchemaBuilder.struct()
                .field("ts_ms", Schema.INT64_SCHEMA)
                .build();

        static SourceRecord begin(long txId, long lsn) {
            return boundary("BEGIN", txId, lsn, null);
        }

        static SourceRecord end(long txId, long lsn, @Nullable Long eventCount) {
            return boundary("END", txId, lsn, eventCount);
        }

        static SourceRecord insert(long txId, String id, String name) {
            return change("c", txId, null, rowStruct(id, name), null);
        }

        static SourceRecord update(long txId, String id, String name) {
            return change("u", txId, null, rowStruct(id, name), null);
        }

        static SourceRecord change(String op, long txId, @Nullable Struct before, @Nullable Struct after,
                @Nullable String snapshot) {
            Struct source = new Struct(SOURCE)
                    .put("table", "customer")
                    .put("txId", txId)
                    .put("lsn", LSN)
                    .put("ts_ms", COMMITTED_AT.toEpochMilli())
                    .put("snapshot", snapshot);
            Struct value = new Struct(ENVELOPE)
                    .put("op", op)
                    .put("before", before)
                    .put("after", after)
                    .put("source", source);
            return record(ENVELOPE, value);
        }

        static SourceRecord heartbeat() {
            return record(HEARTBEAT, new Struct(HEARTBEAT).put("ts_ms", COMMITTED_AT.toEpochMilli()));
        }

        static SourceRecord tombstone() {
            return record(null, null);
        }

        static Struct rowStruct(String id, String name) {
            return new Struct(ROW).put("id", id).put("name", name);
        }

        static Row row(String id, String name) {
            return new Row(Map.of("id", id, "name", name));
        }

        private static SourceRecord boundary(String status, long txId, long lsn, @Nullable Long eventCount) {
            Struct value = new Struct(TRANSACTION)
                    .put("status", status)
                    .put("id", txId + ":" + lsn)
                    .put("event_count", eventCount)
                    .put("ts_ms", COMMITTED_AT.toEpochMilli());
            return record(TRANSACTION, value);
        }

        private static SourceRecord record(@Nullable Schema schema, @Nullable Struct value) {
            return new SourceRecord(Map.of(), Map.of(), "orderly.public.customer", schema, value);
        }
    }
}
