package io.orderly.cdc.kafka;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.orderly.cdc.assembly.Row;
import io.orderly.cdc.assembly.RowChange;
import io.orderly.cdc.assembly.SourceTransaction;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class TransactionReassemblerTests {

    private static final TopicPartition TRANSACTIONS = new TopicPartition("orderly.transaction", 0);
    private static final TopicPartition CUSTOMERS_0 = new TopicPartition("orderly.public.customers", 0);
    private static final TopicPartition CUSTOMERS_1 = new TopicPartition("orderly.public.customers", 1);
    private static final TopicPartition ORDERS = new TopicPartition("orderly.public.orders", 0);

    private final TransactionReassembler reassembler = new TransactionReassembler(List.of("customers", "orders"), 0);

    @Test
    void releasesATransactionOnceRowsOnEitherSideOfItsEndHaveAllArrived() {
        reassembler.accept(CUSTOMERS_1, 7, Events.row("customers", "c-2", 100, 1000, 2));
        reassembler.accept(TRANSACTIONS, 3, Events.end(100, 1000, Map.of("public.customers", 2L, "public.orders", 1L)));
        reassembler.accept(ORDERS, 4, Events.row("orders", "o-1", 100, 1000, 3));
        assertThat(reassembler.release()).isEmpty();

        reassembler.accept(CUSTOMERS_0, 9, Events.row("customers", "c-1", 100, 1000, 1));

        assertThat(reassembler.release()).singleElement().satisfies(transaction -> {
            assertThat(transaction.txId()).isEqualTo(100);
            assertThat(transaction.position()).isEqualTo(1000);
            assertThat(transaction.snapshot()).isFalse();
            assertThat(transaction.changes()).extracting(change -> change.row().string("id")).containsExactly("c-1", "c-2", "o-1");
        });
        assertThat(reassembler.waiting()).isFalse();
    }

    @Test
    void releasesInCommitOrderWhenALaterTransactionIsCompleteFirst() {
        reassembler.accept(TRANSACTIONS, 0, Events.end(100, 1000, Map.of("public.customers", 1L)));
        reassembler.accept(TRANSACTIONS, 1, Events.end(101, 2000, Map.of("public.orders", 1L)));
        reassembler.accept(ORDERS, 0, Events.row("orders", "o-1", 101, 2000, 1));
        assertThat(reassembler.release()).isEmpty();

        reassembler.accept(CUSTOMERS_0, 0, Events.row("customers", "c-1", 100, 1000, 1));

        assertThat(reassembler.release()).extracting(SourceTransaction::txId).containsExactly(100L, 101L);
    }

    @Test
    void waitsOnlyForTheRowsOfTheTablesItFollows() {
        reassembler.accept(TRANSACTIONS, 0, Events.end(100, 1000, Map.of("public.customers", 1L, "public.audit_log", 5L)));
        reassembler.accept(CUSTOMERS_0, 0, Events.row("customers", "c-1", 100, 1000, 1));

        assertThat(reassembler.release()).singleElement().extracting(transaction -> transaction.changes().size()).isEqualTo(1);
    }

    @Test
    void releasesATransactionWithoutFollowedRowsSoThatTheWatermarkMoves() {
        reassembler.accept(TRANSACTIONS, 0, Events.end(100, 1000, Map.of("public.audit_log", 1L)));

        assertThat(reassembler.release()).singleElement().satisfies(transaction -> {
            assertThat(transaction.position()).isEqualTo(1000);
            assertThat(transaction.changes()).isEmpty();
        });
    }

    @Test
    void countsARecordKafkaHoldsTwiceOnce() {
        reassembler.accept(TRANSACTIONS, 0, Events.end(100, 1000, Map.of("public.customers", 2L)));
        reassembler.accept(TRANSACTIONS, 1, Events.end(100, 1000, Map.of("public.customers", 2L)));
        reassembler.accept(CUSTOMERS_0, 0, Events.row("customers", "c-1", 100, 1000, 1));
        reassembler.accept(CUSTOMERS_0, 1, Events.row("customers", "c-1", 100, 1000, 1));
        assertThat(reassembler.release()).isEmpty();

        reassembler.accept(CUSTOMERS_0, 2, Events.row("customers", "c-2", 100, 1000, 2));
        assertThat(reassembler.release()).singleElement().extracting(transaction -> transaction.changes().size()).isEqualTo(2);

        reassembler.accept(CUSTOMERS_0, 3, Events.row("customers", "c-2", 100, 1000, 2));
        reassembler.accept(TRANSACTIONS, 2, Events.end(100, 1000, Map.of("public.customers", 2L)));
        assertThat(reassembler.release()).isEmpty();
        assertThat(reassembler.waiting()).isFalse();
    }

    @Test
    void skipsWhatTheReadModelsAlreadyApplied() {
        TransactionReassembler resumed = new TransactionReassembler(List.of("customers"), 1000);
        resumed.accept(CUSTOMERS_0, 0, Events.row("customers", "c-1", 100, 1000, 1));
        resumed.accept(TRANSACTIONS, 0, Events.end(100, 1000, Map.of("public.customers", 1L)));

        resumed.accept(CUSTOMERS_0, 1, Events.row("customers", "c-2", 100, 1000, 2));

        assertThat(resumed.release()).isEmpty();
        assertThat(resumed.waiting()).isFalse();
    }

    @Test
    void resumesEachPartitionAtItsFirstRecordNotYetReleased() {
        reassembler.accept(TRANSACTIONS, 10, Events.end(100, 1000, Map.of("public.customers", 1L)));
        reassembler.accept(CUSTOMERS_0, 20, Events.row("customers", "c-1", 100, 1000, 1));
        reassembler.accept(TRANSACTIONS, 11, Events.end(101, 2000, Map.of("public.customers", 1L, "public.orders", 1L)));
        reassembler.accept(CUSTOMERS_0, 21, Events.row("customers", "c-2", 101, 2000, 1));
        assertThat(reassembler.release()).extracting(SourceTransaction::txId).containsExactly(100L);

        Map<TopicPartition, Long> resume = reassembler.resumeOffsets(Map.of(TRANSACTIONS, 12L, CUSTOMERS_0, 22L, ORDERS, 5L));

        assertThat(resume).containsExactlyInAnyOrderEntriesOf(Map.of(TRANSACTIONS, 11L, CUSTOMERS_0, 21L, ORDERS, 5L));
    }

    @Test
    void releasesSnapshotRowsAsAChunkBeforeTransactionsCompletedAfterThem() {
        reassembler.accept(TRANSACTIONS, 0, Events.end(100, 1000, Map.of("public.customers", 1L)));
        reassembler.accept(CUSTOMERS_0, 0, Events.snapshotRow("customers", "c-1", 500, "true"));
        reassembler.accept(ORDERS, 0, Events.snapshotRow("orders", "o-1", 500, "last"));
        reassembler.accept(CUSTOMERS_0, 1, Events.row("customers", "c-1", 100, 1000, 1));

        List<SourceTransaction> released = reassembler.release();

        assertThat(released).extracting(SourceTransaction::snapshot).containsExactly(true, false);
        assertThat(released.get(0).completesSnapshot()).isTrue();
        assertThat(released.get(0).position()).isEqualTo(500);
        assertThat(released.get(0).changes()).containsExactly(
                new RowChange.Inserted("customers", new Row(Map.of("id", "c-1"))),
                new RowChange.Inserted("orders", new Row(Map.of("id", "o-1"))));
    }

    @Test
    void refusesRowsWithoutTransactionMetadata() {
        assertThatIllegalStateException()
                .isThrownBy(() -> reassembler.accept(CUSTOMERS_0, 0, Events.rowWithoutTransaction("customers", "c-1")))
                .withMessageContaining("provide.transaction.metadata=true");
    }

    /** Values shaped like those Debezium's PostgreSQL connector writes with transaction metadata. */
    private static final class Events {

        private static final Instant CHANGED_AT = Instant.parse("2026-01-02T03:04:05Z");

        private static final Schema ROW = SchemaBuilder.struct().optional().field("id", Schema.STRING_SCHEMA).build();

        private static final Schema SOURCE = SchemaBuilder.struct()
                .field("table", Schema.STRING_SCHEMA)
                .field("txId", Schema.INT64_SCHEMA)
                .field("lsn", Schema.INT64_SCHEMA)
                .field("ts_ms", Schema.INT64_SCHEMA)
                .field("snapshot", Schema.OPTIONAL_STRING_SCHEMA)
                .build();

        private static final Schema BLOCK = SchemaBuilder.struct().optional()
                .field("id", Schema.STRING_SCHEMA)
                .field("total_order", Schema.INT64_SCHEMA)
                .field("data_collection_order", Schema.INT64_SCHEMA)
                .build();

        private static final Schema ENVELOPE = SchemaBuilder.struct()
                .field("op", Schema.STRING_SCHEMA)
                .field("before", ROW)
                .field("after", ROW)
                .field("source", SOURCE)
                .field("transaction", BLOCK)
                .build();

        private static final Schema ENVELOPE_WITHOUT_TRANSACTION = SchemaBuilder.struct()
                .field("op", Schema.STRING_SCHEMA)
                .field("before", ROW)
                .field("after", ROW)
                .field("source", SOURCE)
                .build();

        private static final Schema COLLECTION = SchemaBuilder.struct()
                .field("data_collection", Schema.STRING_SCHEMA)
                .field("event_count", Schema.INT64_SCHEMA)
                .build();

        private static final Schema TRANSACTION = SchemaBuilder.struct()
                .field("status", Schema.STRING_SCHEMA)
                .field("id", Schema.STRING_SCHEMA)
                .field("event_count", Schema.OPTIONAL_INT64_SCHEMA)
                .field("data_collections", SchemaBuilder.array(COLLECTION).optional().build())
                .field("ts_ms", Schema.INT64_SCHEMA)
                .build();

        static Struct end(long txId, long lsn, Map<String, Long> counts) {
            return new Struct(TRANSACTION)
                    .put("status", "END")
                    .put("id", txId + ":" + lsn)
                    .put("event_count", counts.values().stream().mapToLong(Long::longValue).sum())
                    .put("data_collections", counts.entrySet().stream()
                            .map(count -> new Struct(COLLECTION).put("data_collection", count.getKey()).put("event_count", count.getValue()))
                            .toList())
                    .put("ts_ms", CHANGED_AT.toEpochMilli());
        }

        static Struct row(String table, String id, long txId, long lsn, long totalOrder) {
            return new Struct(ENVELOPE)
                    .put("op", "c")
                    .put("after", new Struct(ROW).put("id", id))
                    .put("source", source(table, txId, lsn, "false"))
                    // Rows carry the id of the BEGIN, whose position is before the commit's.
                    .put("transaction", new Struct(BLOCK).put("id", txId + ":" + (lsn - 500)).put("total_order", totalOrder)
                            .put("data_collection_order", totalOrder));
        }

        static Struct snapshotRow(String table, String id, long lsn, String snapshot) {
            return new Struct(ENVELOPE)
                    .put("op", "r")
                    .put("after", new Struct(ROW).put("id", id))
                    .put("source", source(table, 99, lsn, snapshot));
        }

        static Struct rowWithoutTransaction(String table, String id) {
            return new Struct(ENVELOPE_WITHOUT_TRANSACTION)
                    .put("op", "c")
                    .put("after", new Struct(ROW).put("id", id))
                    .put("source", source(table, 100, 1000, "false"));
        }

        private static Struct source(String table, long txId, long lsn, String snapshot) {
            return new Struct(SOURCE)
                    .put("table", table)
                    .put("txId", txId)
                    .put("lsn", lsn)
                    .put("ts_ms", CHANGED_AT.toEpochMilli())
                    .put("snapshot", snapshot);
        }
    }
}
